-- Departure audits of natural-resource assets (自然资源资产离任审计, Art. 13): the asset
-- accounts per region and year (one record per region and year, its lines as JSON; a changed
-- account is a new version), and the audits of tenures (one record each: its findings and its
-- report travel in each version). Versioned and append-only like every other record. See
-- crates/store/src/audit/.

CREATE TABLE asset_accounts (id INTEGER PRIMARY KEY);
CREATE TABLE asset_account_versions (
    account_id INTEGER NOT NULL REFERENCES asset_accounts (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    year INTEGER NOT NULL,
    lines TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (account_id, rev)
);
CREATE INDEX asset_account_versions_by_region ON asset_account_versions (region_code, year);
CREATE VIEW asset_account_current AS
    SELECT v.* FROM asset_account_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM asset_account_versions w WHERE w.account_id = v.account_id);

CREATE TABLE audits (id INTEGER PRIMARY KEY);
CREATE TABLE audit_versions (
    audit_id INTEGER NOT NULL REFERENCES audits (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    tenure_id INTEGER NOT NULL REFERENCES tenures (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    post_id INTEGER NOT NULL REFERENCES posts (id),
    kind TEXT NOT NULL CHECK (kind IN ('departure', 'in_office')),
    status TEXT NOT NULL CHECK (status IN ('open', 'reported')),
    opened_on TEXT NOT NULL,
    data TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (audit_id, rev)
);
CREATE INDEX audit_versions_by_region ON audit_versions (region_code, opened_on);
CREATE INDEX audit_versions_by_tenure ON audit_versions (tenure_id);
CREATE INDEX audit_versions_by_person ON audit_versions (person_id);
CREATE VIEW audit_current AS
    SELECT v.* FROM audit_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM audit_versions w WHERE w.audit_id = v.audit_id);

CREATE TRIGGER asset_accounts_no_update BEFORE UPDATE ON asset_accounts
BEGIN SELECT RAISE(ABORT, 'asset_accounts is append-only: UPDATE refused'); END;
CREATE TRIGGER asset_accounts_no_delete BEFORE DELETE ON asset_accounts
BEGIN SELECT RAISE(ABORT, 'asset_accounts is append-only: DELETE refused'); END;
CREATE TRIGGER asset_account_versions_no_update BEFORE UPDATE ON asset_account_versions
BEGIN SELECT RAISE(ABORT, 'asset_account_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER asset_account_versions_no_delete BEFORE DELETE ON asset_account_versions
BEGIN SELECT RAISE(ABORT, 'asset_account_versions is append-only: DELETE refused'); END;
CREATE TRIGGER audits_no_update BEFORE UPDATE ON audits
BEGIN SELECT RAISE(ABORT, 'audits is append-only: UPDATE refused'); END;
CREATE TRIGGER audits_no_delete BEFORE DELETE ON audits
BEGIN SELECT RAISE(ABORT, 'audits is append-only: DELETE refused'); END;
CREATE TRIGGER audit_versions_no_update BEFORE UPDATE ON audit_versions
BEGIN SELECT RAISE(ABORT, 'audit_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER audit_versions_no_delete BEFORE DELETE ON audit_versions
BEGIN SELECT RAISE(ABORT, 'audit_versions is append-only: DELETE refused'); END;
