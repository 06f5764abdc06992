-- Accountability cases (追责, Arts. 17-18): a case with its source, the dates of the act or
-- omission, the persons proposed from the tenures of those dates and confirmed or removed,
-- their grounds, Art. 18's circumstances, the decision (决定书) and appeals. A case is one
-- versioned record (its persons and decision as JSON in each version), append-only and
-- ledgered like the others. Every read of a case is logged in accountability_case_reads.
-- Also: the discipline body's user role (纪检监察), which investigates and decides cases.
-- See crates/store/src/accountability/mod.rs.

ALTER TABLE user_versions DROP CONSTRAINT user_versions_role_check;
ALTER TABLE user_versions ADD CONSTRAINT user_versions_role_check
    CHECK (role IN ('system_admin', 'region_admin', 'inspector', 'officer', 'leader', 'auditor', 'organisation_department', 'discipline'));

CREATE TABLE accountability_cases (id BIGINT PRIMARY KEY);
CREATE TABLE accountability_case_versions (
    case_id BIGINT NOT NULL REFERENCES accountability_cases (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    status TEXT NOT NULL CHECK (status IN ('clue', 'investigation', 'decided', 'executed', 'archived', 'dismissed')),
    source_kind TEXT NOT NULL,
    source_id BIGINT,
    opened_on TEXT NOT NULL,
    data TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (case_id, rev)
);
CREATE INDEX accountability_case_versions_by_region ON accountability_case_versions (region_code, opened_on);
CREATE INDEX accountability_case_versions_by_source ON accountability_case_versions (source_kind, source_id);
CREATE VIEW accountability_case_current AS
    SELECT v.* FROM accountability_case_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM accountability_case_versions w WHERE w.case_id = v.case_id);

-- Who read which case, when, and how (page, api, cli, export): reviewed by auditors.
CREATE TABLE accountability_case_reads (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES accountability_cases (id),
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    via TEXT NOT NULL,
    read_at TEXT NOT NULL
);
CREATE INDEX accountability_case_reads_by_case ON accountability_case_reads (case_id, id);

CREATE TRIGGER accountability_cases_append_only BEFORE UPDATE OR DELETE ON accountability_cases
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER accountability_case_versions_append_only BEFORE UPDATE OR DELETE ON accountability_case_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER accountability_case_reads_append_only BEFORE UPDATE OR DELETE ON accountability_case_reads
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
