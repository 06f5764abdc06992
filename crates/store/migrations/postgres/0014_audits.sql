-- Departure audits of natural-resource assets (自然资源资产离任审计, Art. 13): the asset
-- accounts per region and year (one record per region and year, its lines as JSON; a changed
-- account is a new version), and the audits of tenures (one record each: its findings and its
-- report travel in each version). Versioned and append-only like every other record. See
-- crates/store/src/audit/.

CREATE TABLE asset_accounts (id BIGINT PRIMARY KEY);
CREATE TABLE asset_account_versions (
    account_id BIGINT NOT NULL REFERENCES asset_accounts (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    year BIGINT NOT NULL,
    lines TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (account_id, rev)
);
CREATE INDEX asset_account_versions_by_region ON asset_account_versions (region_code, year);
CREATE VIEW asset_account_current AS
    SELECT v.* FROM asset_account_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM asset_account_versions w WHERE w.account_id = v.account_id);

CREATE TABLE audits (id BIGINT PRIMARY KEY);
CREATE TABLE audit_versions (
    audit_id BIGINT NOT NULL REFERENCES audits (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    tenure_id BIGINT NOT NULL REFERENCES tenures (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    post_id BIGINT NOT NULL REFERENCES posts (id),
    kind TEXT NOT NULL CHECK (kind IN ('departure', 'in_office')),
    status TEXT NOT NULL CHECK (status IN ('open', 'reported')),
    opened_on TEXT NOT NULL,
    data TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (audit_id, rev)
);
CREATE INDEX audit_versions_by_region ON audit_versions (region_code, opened_on);
CREATE INDEX audit_versions_by_tenure ON audit_versions (tenure_id);
CREATE INDEX audit_versions_by_person ON audit_versions (person_id);
CREATE VIEW audit_current AS
    SELECT v.* FROM audit_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM audit_versions w WHERE w.audit_id = v.audit_id);

CREATE TRIGGER asset_accounts_append_only BEFORE UPDATE OR DELETE ON asset_accounts
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER asset_account_versions_append_only BEFORE UPDATE OR DELETE ON asset_account_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER audits_append_only BEFORE UPDATE OR DELETE ON audits
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER audit_versions_append_only BEFORE UPDATE OR DELETE ON audit_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
