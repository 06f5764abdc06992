-- Accountability cases (追责, Arts. 17-18): a case with its source, the dates of the act or
-- omission, the persons proposed from the tenures of those dates and confirmed or removed,
-- their grounds, Art. 18's circumstances, the decision (决定书) and appeals. A case is one
-- versioned record (its persons and decision as JSON in each version), append-only and
-- ledgered like the others. Every read of a case is logged in accountability_case_reads.
-- Also: the discipline body's user role (纪检监察), which investigates and decides cases.
-- See crates/store/src/accountability/mod.rs.

-- The role check of user_versions gains 'discipline'. SQLite cannot change a CHECK
-- constraint, so the table is rebuilt with its rows, index, view and triggers (as in 0007).
DROP VIEW user_current;
CREATE TABLE user_versions_0010 (
    user_id INTEGER NOT NULL REFERENCES users (id),
    rev INTEGER NOT NULL,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('system_admin', 'region_admin', 'inspector', 'officer', 'leader', 'auditor', 'organisation_department', 'discipline')),
    region_code TEXT REFERENCES regions (code),
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (user_id, rev)
);
INSERT INTO user_versions_0010 SELECT user_id, rev, username, display_name, role, region_code, active, ledger_seq FROM user_versions;
DROP TABLE user_versions;
ALTER TABLE user_versions_0010 RENAME TO user_versions;
CREATE INDEX user_versions_by_username ON user_versions (username);
CREATE VIEW user_current AS
    SELECT v.* FROM user_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM user_versions w WHERE w.user_id = v.user_id);
CREATE TRIGGER user_versions_no_update BEFORE UPDATE ON user_versions
BEGIN SELECT RAISE(ABORT, 'user_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER user_versions_no_delete BEFORE DELETE ON user_versions
BEGIN SELECT RAISE(ABORT, 'user_versions is append-only: DELETE refused'); END;

CREATE TABLE accountability_cases (id INTEGER PRIMARY KEY);
CREATE TABLE accountability_case_versions (
    case_id INTEGER NOT NULL REFERENCES accountability_cases (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    status TEXT NOT NULL CHECK (status IN ('clue', 'investigation', 'decided', 'executed', 'archived', 'dismissed')),
    source_kind TEXT NOT NULL,
    source_id INTEGER,
    opened_on TEXT NOT NULL,
    data TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (case_id, rev)
);
CREATE INDEX accountability_case_versions_by_region ON accountability_case_versions (region_code, opened_on);
CREATE INDEX accountability_case_versions_by_source ON accountability_case_versions (source_kind, source_id);
CREATE VIEW accountability_case_current AS
    SELECT v.* FROM accountability_case_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM accountability_case_versions w WHERE w.case_id = v.case_id);

-- Who read which case, when, and how (page, api, cli, export): reviewed by auditors.
CREATE TABLE accountability_case_reads (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES accountability_cases (id),
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    via TEXT NOT NULL,
    read_at TEXT NOT NULL
);
CREATE INDEX accountability_case_reads_by_case ON accountability_case_reads (case_id, id);

CREATE TRIGGER accountability_cases_no_update BEFORE UPDATE ON accountability_cases
BEGIN SELECT RAISE(ABORT, 'accountability_cases is append-only: UPDATE refused'); END;
CREATE TRIGGER accountability_cases_no_delete BEFORE DELETE ON accountability_cases
BEGIN SELECT RAISE(ABORT, 'accountability_cases is append-only: DELETE refused'); END;
CREATE TRIGGER accountability_case_versions_no_update BEFORE UPDATE ON accountability_case_versions
BEGIN SELECT RAISE(ABORT, 'accountability_case_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER accountability_case_versions_no_delete BEFORE DELETE ON accountability_case_versions
BEGIN SELECT RAISE(ABORT, 'accountability_case_versions is append-only: DELETE refused'); END;
CREATE TRIGGER accountability_case_reads_no_update BEFORE UPDATE ON accountability_case_reads
BEGIN SELECT RAISE(ABORT, 'accountability_case_reads is append-only: UPDATE refused'); END;
CREATE TRIGGER accountability_case_reads_no_delete BEFORE DELETE ON accountability_case_reads
BEGIN SELECT RAISE(ABORT, 'accountability_case_reads is append-only: DELETE refused'); END;
