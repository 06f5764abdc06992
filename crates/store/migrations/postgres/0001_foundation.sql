-- The foundation: regions, organisations, posts, people, tenures, the regulation and its
-- duties, local duties, and the hash-chained change ledger. See ../README.md.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row whose update serialises every write: the ledger is one hash chain, so writers take
-- turns (SQLite: the UPDATE takes the database's write lock; PostgreSQL: it locks the row).
CREATE TABLE write_lock (
    id BIGINT PRIMARY KEY,
    n BIGINT NOT NULL
);
INSERT INTO write_lock (id, n) VALUES (1, 0);

-- The change ledger: every write, in order, chained by hash.
CREATE TABLE ledger (
    seq BIGINT PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    rev BIGINT NOT NULL,
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
    development_zone BIGINT NOT NULL CHECK (development_zone IN (0, 1)),
    builtin BIGINT NOT NULL CHECK (builtin IN (0, 1)),
    ledger_seq BIGINT NOT NULL
);
CREATE INDEX regions_by_parent ON regions (parent_code);
CREATE INDEX regions_by_name ON regions (name);

CREATE TABLE organisations (id BIGINT PRIMARY KEY);
CREATE TABLE organisation_versions (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('party_committee', 'government', 'department')),
    eco_department BIGINT NOT NULL CHECK (eco_department IN (0, 1)),
    eco_duties BIGINT NOT NULL CHECK (eco_duties IN (0, 1)),
    retired BIGINT NOT NULL CHECK (retired IN (0, 1)),
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, rev)
);
CREATE INDEX organisation_versions_by_region ON organisation_versions (region_code);

CREATE TABLE posts (id BIGINT PRIMARY KEY);
CREATE TABLE post_versions (
    post_id BIGINT NOT NULL REFERENCES posts (id),
    rev BIGINT NOT NULL,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    role TEXT NOT NULL,
    portfolio TEXT NOT NULL,
    retired BIGINT NOT NULL CHECK (retired IN (0, 1)),
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (post_id, rev)
);
CREATE INDEX post_versions_by_organisation ON post_versions (organisation_id);

CREATE TABLE people (id BIGINT PRIMARY KEY);
CREATE TABLE person_versions (
    person_id BIGINT NOT NULL REFERENCES people (id),
    rev BIGINT NOT NULL,
    person_key TEXT NOT NULL,
    name TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (person_id, rev)
);
CREATE INDEX person_versions_by_name ON person_versions (name);
CREATE INDEX person_versions_by_key ON person_versions (person_key);

CREATE TABLE tenures (id BIGINT PRIMARY KEY);
CREATE TABLE tenure_versions (
    tenure_id BIGINT NOT NULL REFERENCES tenures (id),
    rev BIGINT NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    start_date TEXT NOT NULL,
    end_date TEXT,
    acting BIGINT NOT NULL CHECK (acting IN (0, 1)),
    retracted BIGINT NOT NULL CHECK (retracted IN (0, 1)),
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (tenure_id, rev)
);
CREATE INDEX tenure_versions_by_post ON tenure_versions (post_id, start_date);
CREATE INDEX tenure_versions_by_person ON tenure_versions (person_id);

CREATE TABLE regulation_versions (
    id BIGINT PRIMARY KEY,
    label TEXT NOT NULL,
    title TEXT NOT NULL,
    issued_on TEXT,
    effective_from TEXT NOT NULL,
    source_name TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    complete BIGINT NOT NULL CHECK (complete IN (0, 1)),
    builtin BIGINT NOT NULL CHECK (builtin IN (0, 1)),
    body TEXT NOT NULL,
    structure TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL
);

CREATE TABLE regulation_duties (
    version_id BIGINT NOT NULL REFERENCES regulation_versions (id),
    duty_key TEXT NOT NULL,
    citation TEXT NOT NULL,
    article BIGINT NOT NULL,
    paragraph BIGINT NOT NULL,
    item BIGINT,
    roles TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (version_id, duty_key)
);

CREATE TABLE local_duties (id BIGINT PRIMARY KEY);
CREATE TABLE local_duty_versions (
    duty_id BIGINT NOT NULL REFERENCES local_duties (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    basis TEXT NOT NULL,
    retired BIGINT NOT NULL CHECK (retired IN (0, 1)),
    ledger_seq BIGINT NOT NULL,
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
CREATE FUNCTION ecoduty_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER regions_append_only BEFORE UPDATE OR DELETE ON regions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER organisations_append_only BEFORE UPDATE OR DELETE ON organisations
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER organisation_versions_append_only BEFORE UPDATE OR DELETE ON organisation_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER posts_append_only BEFORE UPDATE OR DELETE ON posts
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER post_versions_append_only BEFORE UPDATE OR DELETE ON post_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER people_append_only BEFORE UPDATE OR DELETE ON people
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER person_versions_append_only BEFORE UPDATE OR DELETE ON person_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER tenures_append_only BEFORE UPDATE OR DELETE ON tenures
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER tenure_versions_append_only BEFORE UPDATE OR DELETE ON tenure_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER regulation_versions_append_only BEFORE UPDATE OR DELETE ON regulation_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER regulation_duties_append_only BEFORE UPDATE OR DELETE ON regulation_duties
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER local_duties_append_only BEFORE UPDATE OR DELETE ON local_duties
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER local_duty_versions_append_only BEFORE UPDATE OR DELETE ON local_duty_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
