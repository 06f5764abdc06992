-- Access: users (versioned records), their credentials, sessions, sign-in attempts and
-- personal API tokens. Credentials and sessions are operational state, changed in place;
-- users and tokens are records: append-only, every change in the ledger. See ../README.md.

CREATE TABLE users (id INTEGER PRIMARY KEY);
CREATE TABLE user_versions (
    user_id INTEGER NOT NULL REFERENCES users (id),
    rev INTEGER NOT NULL,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('system_admin', 'region_admin', 'inspector', 'officer', 'leader', 'auditor')),
    region_code TEXT REFERENCES regions (code),
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (user_id, rev)
);
CREATE INDEX user_versions_by_username ON user_versions (username);
CREATE VIEW user_current AS
    SELECT v.* FROM user_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM user_versions w WHERE w.user_id = v.user_id);

-- The password hash (argon2id, PHC string). Kept out of the ledger, which auditors read.
CREATE TABLE user_credentials (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    password_hash TEXT NOT NULL,
    changed_at TEXT NOT NULL
);

-- A session is known by the SHA-256 of its cookie token, so a copy of the database does not
-- hand out live sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL,
    success INTEGER NOT NULL CHECK (success IN (0, 1))
);
CREATE INDEX login_attempts_by_username ON login_attempts (username, at);
CREATE INDEX login_attempts_by_ip ON login_attempts (ip, at);

CREATE TABLE api_tokens (id INTEGER PRIMARY KEY);
CREATE TABLE api_token_versions (
    token_id INTEGER NOT NULL REFERENCES api_tokens (id),
    rev INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked INTEGER NOT NULL CHECK (revoked IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (token_id, rev)
);
CREATE INDEX api_token_versions_by_user ON api_token_versions (user_id);
CREATE VIEW api_token_current AS
    SELECT v.* FROM api_token_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM api_token_versions w WHERE w.token_id = v.token_id);
-- The SHA-256 of the token; the token itself is shown once, when it is created.
CREATE TABLE api_token_secrets (
    token_id INTEGER PRIMARY KEY REFERENCES api_tokens (id),
    token_hash TEXT NOT NULL UNIQUE
);
CREATE TRIGGER users_no_update BEFORE UPDATE ON users
BEGIN SELECT RAISE(ABORT, 'users is append-only: UPDATE refused'); END;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN SELECT RAISE(ABORT, 'users is append-only: DELETE refused'); END;
CREATE TRIGGER user_versions_no_update BEFORE UPDATE ON user_versions
BEGIN SELECT RAISE(ABORT, 'user_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER user_versions_no_delete BEFORE DELETE ON user_versions
BEGIN SELECT RAISE(ABORT, 'user_versions is append-only: DELETE refused'); END;
CREATE TRIGGER api_tokens_no_update BEFORE UPDATE ON api_tokens
BEGIN SELECT RAISE(ABORT, 'api_tokens is append-only: UPDATE refused'); END;
CREATE TRIGGER api_tokens_no_delete BEFORE DELETE ON api_tokens
BEGIN SELECT RAISE(ABORT, 'api_tokens is append-only: DELETE refused'); END;
CREATE TRIGGER api_token_versions_no_update BEFORE UPDATE ON api_token_versions
BEGIN SELECT RAISE(ABORT, 'api_token_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER api_token_versions_no_delete BEFORE DELETE ON api_token_versions
BEGIN SELECT RAISE(ABORT, 'api_token_versions is append-only: DELETE refused'); END;
CREATE TRIGGER api_token_secrets_no_update BEFORE UPDATE ON api_token_secrets
BEGIN SELECT RAISE(ABORT, 'api_token_secrets is append-only: UPDATE refused'); END;
CREATE TRIGGER api_token_secrets_no_delete BEFORE DELETE ON api_token_secrets
BEGIN SELECT RAISE(ABORT, 'api_token_secrets is append-only: DELETE refused'); END;
