-- One-time passwords (issue 14 §4): a password printed by `user add` or `serve --demo`, or set
-- by an administrator for someone else, opens one session only, and that session can do
-- nothing but change it. `one_time` marks such a password; `one_time_used_at` is set when it
-- signs in (it is then refused); changing the password clears both. Credentials are
-- operational state kept out of the ledger (the ledger records that a password changed).
ALTER TABLE user_credentials ADD COLUMN one_time INTEGER NOT NULL DEFAULT 0 CHECK (one_time IN (0, 1));
ALTER TABLE user_credentials ADD COLUMN one_time_used_at TEXT;
