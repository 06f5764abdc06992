-- The yearly assessment (考核评价, Arts. 14-16): schemes (考核细则), entries made by the
-- scoring organisations for manual and veto items, scoring runs with their results, and
-- objections (申诉) to published results. Every table is versioned and append-only like the
-- others; a run's results (every unit's lines with their explanations and sources) are kept
-- as JSON in the run's version, so a published result never changes under it.
-- Also: the organisation department's user role (组织部门, Art. 16), which reads cadre records.
-- See ../README.md and crates/store/src/assessment/mod.rs.

-- The role check of user_versions gains 'organisation_department'. SQLite cannot change a
-- CHECK constraint, so the table is rebuilt with its rows, index, view and triggers.
-- (DROP TABLE fires no triggers; no table references user_versions.)
DROP VIEW user_current;
CREATE TABLE user_versions_0007 (
    user_id INTEGER NOT NULL REFERENCES users (id),
    rev INTEGER NOT NULL,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('system_admin', 'region_admin', 'inspector', 'officer', 'leader', 'auditor', 'organisation_department')),
    region_code TEXT REFERENCES regions (code),
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (user_id, rev)
);
INSERT INTO user_versions_0007 SELECT user_id, rev, username, display_name, role, region_code, active, ledger_seq FROM user_versions;
DROP TABLE user_versions;
ALTER TABLE user_versions_0007 RENAME TO user_versions;
CREATE INDEX user_versions_by_username ON user_versions (username);
CREATE VIEW user_current AS
    SELECT v.* FROM user_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM user_versions w WHERE w.user_id = v.user_id);
CREATE TRIGGER user_versions_no_update BEFORE UPDATE ON user_versions
BEGIN SELECT RAISE(ABORT, 'user_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER user_versions_no_delete BEFORE DELETE ON user_versions
BEGIN SELECT RAISE(ABORT, 'user_versions is append-only: DELETE refused'); END;

-- Schemes: one per assessing region and year; a later change is a new version with a reason.
CREATE TABLE assessment_schemes (id INTEGER PRIMARY KEY);
CREATE TABLE assessment_scheme_versions (
    scheme_id INTEGER NOT NULL REFERENCES assessment_schemes (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    units TEXT NOT NULL,
    items TEXT NOT NULL,
    grading TEXT NOT NULL,
    objection_days INTEGER NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (scheme_id, rev)
);
CREATE INDEX assessment_scheme_versions_by_region ON assessment_scheme_versions (region_code, year);
CREATE VIEW assessment_scheme_current AS
    SELECT v.* FROM assessment_scheme_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM assessment_scheme_versions w WHERE w.scheme_id = v.scheme_id);

-- Entries of the scoring organisations: a manual item's points or a veto, with evidence.
CREATE TABLE assessment_entries (id INTEGER PRIMARY KEY);
CREATE TABLE assessment_entry_versions (
    entry_id INTEGER NOT NULL REFERENCES assessment_entries (id),
    rev INTEGER NOT NULL,
    scheme_id INTEGER NOT NULL REFERENCES assessment_schemes (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    unit TEXT NOT NULL,
    item TEXT NOT NULL,
    earned TEXT NOT NULL,
    triggered INTEGER NOT NULL CHECK (triggered IN (0, 1)),
    reason TEXT NOT NULL,
    evidence TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_on TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (entry_id, rev)
);
CREATE INDEX assessment_entry_versions_by_scheme ON assessment_entry_versions (scheme_id, unit, item);
CREATE VIEW assessment_entry_current AS
    SELECT v.* FROM assessment_entry_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM assessment_entry_versions w WHERE w.entry_id = v.entry_id);

-- Scoring runs: draft -> reviewed -> published; each version holds the results it states.
CREATE TABLE assessment_runs (id INTEGER PRIMARY KEY);
CREATE TABLE assessment_run_versions (
    run_id INTEGER NOT NULL REFERENCES assessment_runs (id),
    rev INTEGER NOT NULL,
    scheme_id INTEGER NOT NULL REFERENCES assessment_schemes (id),
    scheme_rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    year INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'reviewed', 'published')),
    computed_by TEXT NOT NULL,
    reviewed_by TEXT,
    published_on TEXT,
    note TEXT NOT NULL,
    results TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (run_id, rev)
);
CREATE INDEX assessment_run_versions_by_region ON assessment_run_versions (region_code, year);
CREATE VIEW assessment_run_current AS
    SELECT v.* FROM assessment_run_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM assessment_run_versions w WHERE w.run_id = v.run_id);

-- Objections (申诉) of assessed units to a published result, and their answers.
CREATE TABLE assessment_objections (id INTEGER PRIMARY KEY);
CREATE TABLE assessment_objection_versions (
    objection_id INTEGER NOT NULL REFERENCES assessment_objections (id),
    rev INTEGER NOT NULL,
    run_id INTEGER NOT NULL REFERENCES assessment_runs (id),
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
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (objection_id, rev)
);
CREATE INDEX assessment_objection_versions_by_run ON assessment_objection_versions (run_id);
CREATE VIEW assessment_objection_current AS
    SELECT v.* FROM assessment_objection_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM assessment_objection_versions w WHERE w.objection_id = v.objection_id);

CREATE TRIGGER assessment_schemes_no_update BEFORE UPDATE ON assessment_schemes
BEGIN SELECT RAISE(ABORT, 'assessment_schemes is append-only: UPDATE refused'); END;
CREATE TRIGGER assessment_schemes_no_delete BEFORE DELETE ON assessment_schemes
BEGIN SELECT RAISE(ABORT, 'assessment_schemes is append-only: DELETE refused'); END;
CREATE TRIGGER assessment_scheme_versions_no_update BEFORE UPDATE ON assessment_scheme_versions
BEGIN SELECT RAISE(ABORT, 'assessment_scheme_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER assessment_scheme_versions_no_delete BEFORE DELETE ON assessment_scheme_versions
BEGIN SELECT RAISE(ABORT, 'assessment_scheme_versions is append-only: DELETE refused'); END;
CREATE TRIGGER assessment_entries_no_update BEFORE UPDATE ON assessment_entries
BEGIN SELECT RAISE(ABORT, 'assessment_entries is append-only: UPDATE refused'); END;
CREATE TRIGGER assessment_entries_no_delete BEFORE DELETE ON assessment_entries
BEGIN SELECT RAISE(ABORT, 'assessment_entries is append-only: DELETE refused'); END;
CREATE TRIGGER assessment_entry_versions_no_update BEFORE UPDATE ON assessment_entry_versions
BEGIN SELECT RAISE(ABORT, 'assessment_entry_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER assessment_entry_versions_no_delete BEFORE DELETE ON assessment_entry_versions
BEGIN SELECT RAISE(ABORT, 'assessment_entry_versions is append-only: DELETE refused'); END;
CREATE TRIGGER assessment_runs_no_update BEFORE UPDATE ON assessment_runs
BEGIN SELECT RAISE(ABORT, 'assessment_runs is append-only: UPDATE refused'); END;
CREATE TRIGGER assessment_runs_no_delete BEFORE DELETE ON assessment_runs
BEGIN SELECT RAISE(ABORT, 'assessment_runs is append-only: DELETE refused'); END;
CREATE TRIGGER assessment_run_versions_no_update BEFORE UPDATE ON assessment_run_versions
BEGIN SELECT RAISE(ABORT, 'assessment_run_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER assessment_run_versions_no_delete BEFORE DELETE ON assessment_run_versions
BEGIN SELECT RAISE(ABORT, 'assessment_run_versions is append-only: DELETE refused'); END;
CREATE TRIGGER assessment_objections_no_update BEFORE UPDATE ON assessment_objections
BEGIN SELECT RAISE(ABORT, 'assessment_objections is append-only: UPDATE refused'); END;
CREATE TRIGGER assessment_objections_no_delete BEFORE DELETE ON assessment_objections
BEGIN SELECT RAISE(ABORT, 'assessment_objections is append-only: DELETE refused'); END;
CREATE TRIGGER assessment_objection_versions_no_update BEFORE UPDATE ON assessment_objection_versions
BEGIN SELECT RAISE(ABORT, 'assessment_objection_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER assessment_objection_versions_no_delete BEFORE DELETE ON assessment_objection_versions
BEGIN SELECT RAISE(ABORT, 'assessment_objection_versions is append-only: DELETE refused'); END;
