-- The yearly assessment (考核评价, Arts. 14-16): schemes (考核细则), entries made by the
-- scoring organisations for manual and veto items, scoring runs with their results, and
-- objections (申诉) to published results. Every table is versioned and append-only like the
-- others; a run's results (every unit's lines with their explanations and sources) are kept
-- as JSON in the run's version, so a published result never changes under it.
-- Also: the organisation department's user role (组织部门, Art. 16), which reads cadre records.
-- See ../README.md and crates/store/src/assessment/mod.rs.

ALTER TABLE user_versions DROP CONSTRAINT user_versions_role_check;
ALTER TABLE user_versions ADD CONSTRAINT user_versions_role_check
    CHECK (role IN ('system_admin', 'region_admin', 'inspector', 'officer', 'leader', 'auditor', 'organisation_department'));

-- Schemes: one per assessing region and year; a later change is a new version with a reason.
CREATE TABLE assessment_schemes (id BIGINT PRIMARY KEY);
CREATE TABLE assessment_scheme_versions (
    scheme_id BIGINT NOT NULL REFERENCES assessment_schemes (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    units TEXT NOT NULL,
    items TEXT NOT NULL,
    grading TEXT NOT NULL,
    objection_days BIGINT NOT NULL,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (scheme_id, rev)
);
CREATE INDEX assessment_scheme_versions_by_region ON assessment_scheme_versions (region_code, year);
CREATE VIEW assessment_scheme_current AS
    SELECT v.* FROM assessment_scheme_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM assessment_scheme_versions w WHERE w.scheme_id = v.scheme_id);

-- Entries of the scoring organisations: a manual item's points or a veto, with evidence.
CREATE TABLE assessment_entries (id BIGINT PRIMARY KEY);
CREATE TABLE assessment_entry_versions (
    entry_id BIGINT NOT NULL REFERENCES assessment_entries (id),
    rev BIGINT NOT NULL,
    scheme_id BIGINT NOT NULL REFERENCES assessment_schemes (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    unit TEXT NOT NULL,
    item TEXT NOT NULL,
    earned TEXT NOT NULL,
    triggered BIGINT NOT NULL CHECK (triggered IN (0, 1)),
    reason TEXT NOT NULL,
    evidence TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_on TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (entry_id, rev)
);
CREATE INDEX assessment_entry_versions_by_scheme ON assessment_entry_versions (scheme_id, unit, item);
CREATE VIEW assessment_entry_current AS
    SELECT v.* FROM assessment_entry_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM assessment_entry_versions w WHERE w.entry_id = v.entry_id);

-- Scoring runs: draft -> reviewed -> published; each version holds the results it states.
CREATE TABLE assessment_runs (id BIGINT PRIMARY KEY);
CREATE TABLE assessment_run_versions (
    run_id BIGINT NOT NULL REFERENCES assessment_runs (id),
    rev BIGINT NOT NULL,
    scheme_id BIGINT NOT NULL REFERENCES assessment_schemes (id),
    scheme_rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    year BIGINT NOT NULL,
    as_of TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'reviewed', 'published')),
    computed_by TEXT NOT NULL,
    reviewed_by TEXT,
    published_on TEXT,
    note TEXT NOT NULL,
    results TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (run_id, rev)
);
CREATE INDEX assessment_run_versions_by_region ON assessment_run_versions (region_code, year);
CREATE VIEW assessment_run_current AS
    SELECT v.* FROM assessment_run_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM assessment_run_versions w WHERE w.run_id = v.run_id);

-- Objections (申诉) of assessed units to a published result, and their answers.
CREATE TABLE assessment_objections (id BIGINT PRIMARY KEY);
CREATE TABLE assessment_objection_versions (
    objection_id BIGINT NOT NULL REFERENCES assessment_objections (id),
    rev BIGINT NOT NULL,
    run_id BIGINT NOT NULL REFERENCES assessment_runs (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    unit TEXT NOT NULL,
    item TEXT,
    text TEXT NOT NULL,
    lodged_by TEXT NOT NULL,
    lodged_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('lodged', 'upheld', 'rejected')),
    answer TEXT,
    answered_by TEXT,
    answered_on TEXT,
    adjusted TEXT,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (objection_id, rev)
);
CREATE INDEX assessment_objection_versions_by_run ON assessment_objection_versions (run_id);
CREATE VIEW assessment_objection_current AS
    SELECT v.* FROM assessment_objection_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM assessment_objection_versions w WHERE w.objection_id = v.objection_id);

CREATE TRIGGER assessment_schemes_append_only BEFORE UPDATE OR DELETE ON assessment_schemes
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER assessment_scheme_versions_append_only BEFORE UPDATE OR DELETE ON assessment_scheme_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER assessment_entries_append_only BEFORE UPDATE OR DELETE ON assessment_entries
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER assessment_entry_versions_append_only BEFORE UPDATE OR DELETE ON assessment_entry_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER assessment_runs_append_only BEFORE UPDATE OR DELETE ON assessment_runs
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER assessment_run_versions_append_only BEFORE UPDATE OR DELETE ON assessment_run_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER assessment_objections_append_only BEFORE UPDATE OR DELETE ON assessment_objections
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER assessment_objection_versions_append_only BEFORE UPDATE OR DELETE ON assessment_objection_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
