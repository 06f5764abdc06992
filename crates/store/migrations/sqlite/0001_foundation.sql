-- The foundation: regions, organisations, posts, people, tenures, the regulation and its
-- duties, local duties, and the hash-chained change ledger. See ../README.md.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row whose update serialises every write: the ledger is one hash chain, so writers take
-- turns (SQLite: the UPDATE takes the database's write lock; PostgreSQL: it locks the row).
CREATE TABLE write_lock (
    id INTEGER PRIMARY KEY,
    n INTEGER NOT NULL
);
INSERT INTO write_lock (id, n) VALUES (1, 0);

-- The change ledger: every write, in order, chained by hash.
CREATE TABLE ledger (
    seq INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    rev INTEGER NOT NULL,
    action TEXT NOT NULL,
    region_code TEXT,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX ledger_by_entity ON ledger (entity, entity_id, seq);
-- The region a record belongs to (NULL for nationwide records such as people or the
-- regulation), so that users see the entries of their own region's subtree.
CREATE INDEX ledger_by_region ON ledger (region_code, seq);

CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'prefecture', 'county', 'township')),
    parent_code TEXT REFERENCES regions (code),
    development_zone INTEGER NOT NULL CHECK (development_zone IN (0, 1)),
    builtin INTEGER NOT NULL CHECK (builtin IN (0, 1)),
    ledger_seq INTEGER NOT NULL
);
CREATE INDEX regions_by_parent ON regions (parent_code);
CREATE INDEX regions_by_name ON regions (name);

CREATE TABLE organisations (id INTEGER PRIMARY KEY);
CREATE TABLE organisation_versions (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('party_committee', 'government', 'department')),
    eco_department INTEGER NOT NULL CHECK (eco_department IN (0, 1)),
    eco_duties INTEGER NOT NULL CHECK (eco_duties IN (0, 1)),
    retired INTEGER NOT NULL CHECK (retired IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, rev)
);
CREATE INDEX organisation_versions_by_region ON organisation_versions (region_code);

CREATE TABLE posts (id INTEGER PRIMARY KEY);
CREATE TABLE post_versions (
    post_id INTEGER NOT NULL REFERENCES posts (id),
    rev INTEGER NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    role TEXT NOT NULL,
    portfolio TEXT NOT NULL,
    retired INTEGER NOT NULL CHECK (retired IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (post_id, rev)
);
CREATE INDEX post_versions_by_organisation ON post_versions (organisation_id);

CREATE TABLE people (id INTEGER PRIMARY KEY);
CREATE TABLE person_versions (
    person_id INTEGER NOT NULL REFERENCES people (id),
    rev INTEGER NOT NULL,
    person_key TEXT NOT NULL,
    name TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (person_id, rev)
);
CREATE INDEX person_versions_by_name ON person_versions (name);
CREATE INDEX person_versions_by_key ON person_versions (person_key);

CREATE TABLE tenures (id INTEGER PRIMARY KEY);
CREATE TABLE tenure_versions (
    tenure_id INTEGER NOT NULL REFERENCES tenures (id),
    rev INTEGER NOT NULL,
    post_id INTEGER NOT NULL REFERENCES posts (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    start_date TEXT NOT NULL,
    end_date TEXT,
    acting INTEGER NOT NULL CHECK (acting IN (0, 1)),
    retracted INTEGER NOT NULL CHECK (retracted IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (tenure_id, rev)
);
CREATE INDEX tenure_versions_by_post ON tenure_versions (post_id, start_date);
CREATE INDEX tenure_versions_by_person ON tenure_versions (person_id);

CREATE TABLE regulation_versions (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    title TEXT NOT NULL,
    issued_on TEXT,
    effective_from TEXT NOT NULL,
    source_name TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    complete INTEGER NOT NULL CHECK (complete IN (0, 1)),
    builtin INTEGER NOT NULL CHECK (builtin IN (0, 1)),
    body TEXT NOT NULL,
    structure TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL
);

CREATE TABLE regulation_duties (
    version_id INTEGER NOT NULL REFERENCES regulation_versions (id),
    duty_key TEXT NOT NULL,
    citation TEXT NOT NULL,
    article INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    item INTEGER,
    roles TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (version_id, duty_key)
);

CREATE TABLE local_duties (id INTEGER PRIMARY KEY);
CREATE TABLE local_duty_versions (
    duty_id INTEGER NOT NULL REFERENCES local_duties (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    basis TEXT NOT NULL,
    retired INTEGER NOT NULL CHECK (retired IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (duty_id, rev)
);
CREATE INDEX local_duty_versions_by_region ON local_duty_versions (region_code, role);

CREATE VIEW organisation_current AS
    SELECT v.* FROM organisation_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM organisation_versions w WHERE w.organisation_id = v.organisation_id);
CREATE VIEW post_current AS
    SELECT v.* FROM post_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM post_versions w WHERE w.post_id = v.post_id);
CREATE VIEW person_current AS
    SELECT v.* FROM person_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM person_versions w WHERE w.person_id = v.person_id);
CREATE VIEW tenure_current AS
    SELECT v.* FROM tenure_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM tenure_versions w WHERE w.tenure_id = v.tenure_id);
CREATE VIEW local_duty_current AS
    SELECT v.* FROM local_duty_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM local_duty_versions w WHERE w.duty_id = v.duty_id);

-- Append-only: accountability records are never changed or deleted in place.
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: UPDATE refused'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: DELETE refused'); END;
CREATE TRIGGER regions_no_update BEFORE UPDATE ON regions
BEGIN SELECT RAISE(ABORT, 'regions is append-only: UPDATE refused'); END;
CREATE TRIGGER regions_no_delete BEFORE DELETE ON regions
BEGIN SELECT RAISE(ABORT, 'regions is append-only: DELETE refused'); END;
CREATE TRIGGER organisations_no_update BEFORE UPDATE ON organisations
BEGIN SELECT RAISE(ABORT, 'organisations is append-only: UPDATE refused'); END;
CREATE TRIGGER organisations_no_delete BEFORE DELETE ON organisations
BEGIN SELECT RAISE(ABORT, 'organisations is append-only: DELETE refused'); END;
CREATE TRIGGER organisation_versions_no_update BEFORE UPDATE ON organisation_versions
BEGIN SELECT RAISE(ABORT, 'organisation_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER organisation_versions_no_delete BEFORE DELETE ON organisation_versions
BEGIN SELECT RAISE(ABORT, 'organisation_versions is append-only: DELETE refused'); END;
CREATE TRIGGER posts_no_update BEFORE UPDATE ON posts
BEGIN SELECT RAISE(ABORT, 'posts is append-only: UPDATE refused'); END;
CREATE TRIGGER posts_no_delete BEFORE DELETE ON posts
BEGIN SELECT RAISE(ABORT, 'posts is append-only: DELETE refused'); END;
CREATE TRIGGER post_versions_no_update BEFORE UPDATE ON post_versions
BEGIN SELECT RAISE(ABORT, 'post_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER post_versions_no_delete BEFORE DELETE ON post_versions
BEGIN SELECT RAISE(ABORT, 'post_versions is append-only: DELETE refused'); END;
CREATE TRIGGER people_no_update BEFORE UPDATE ON people
BEGIN SELECT RAISE(ABORT, 'people is append-only: UPDATE refused'); END;
CREATE TRIGGER people_no_delete BEFORE DELETE ON people
BEGIN SELECT RAISE(ABORT, 'people is append-only: DELETE refused'); END;
CREATE TRIGGER person_versions_no_update BEFORE UPDATE ON person_versions
BEGIN SELECT RAISE(ABORT, 'person_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER person_versions_no_delete BEFORE DELETE ON person_versions
BEGIN SELECT RAISE(ABORT, 'person_versions is append-only: DELETE refused'); END;
CREATE TRIGGER tenures_no_update BEFORE UPDATE ON tenures
BEGIN SELECT RAISE(ABORT, 'tenures is append-only: UPDATE refused'); END;
CREATE TRIGGER tenures_no_delete BEFORE DELETE ON tenures
BEGIN SELECT RAISE(ABORT, 'tenures is append-only: DELETE refused'); END;
CREATE TRIGGER tenure_versions_no_update BEFORE UPDATE ON tenure_versions
BEGIN SELECT RAISE(ABORT, 'tenure_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER tenure_versions_no_delete BEFORE DELETE ON tenure_versions
BEGIN SELECT RAISE(ABORT, 'tenure_versions is append-only: DELETE refused'); END;
CREATE TRIGGER regulation_versions_no_update BEFORE UPDATE ON regulation_versions
BEGIN SELECT RAISE(ABORT, 'regulation_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER regulation_versions_no_delete BEFORE DELETE ON regulation_versions
BEGIN SELECT RAISE(ABORT, 'regulation_versions is append-only: DELETE refused'); END;
CREATE TRIGGER regulation_duties_no_update BEFORE UPDATE ON regulation_duties
BEGIN SELECT RAISE(ABORT, 'regulation_duties is append-only: UPDATE refused'); END;
CREATE TRIGGER regulation_duties_no_delete BEFORE DELETE ON regulation_duties
BEGIN SELECT RAISE(ABORT, 'regulation_duties is append-only: DELETE refused'); END;
CREATE TRIGGER local_duties_no_update BEFORE UPDATE ON local_duties
BEGIN SELECT RAISE(ABORT, 'local_duties is append-only: UPDATE refused'); END;
CREATE TRIGGER local_duties_no_delete BEFORE DELETE ON local_duties
BEGIN SELECT RAISE(ABORT, 'local_duties is append-only: DELETE refused'); END;
CREATE TRIGGER local_duty_versions_no_update BEFORE UPDATE ON local_duty_versions
BEGIN SELECT RAISE(ABORT, 'local_duty_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER local_duty_versions_no_delete BEFORE DELETE ON local_duty_versions
BEGIN SELECT RAISE(ABORT, 'local_duty_versions is append-only: DELETE refused'); END;
