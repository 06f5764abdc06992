-- Rivers, lakes and forests and their chiefs (河湖长制 / 林长制, Art. 5): water bodies and
-- their segments, forest areas, chief posts tied to ordinary posts, patrols with the problems
-- they found, and regions' own patrol frequencies. Versioned and append-only like every other
-- record. See crates/store/src/waters.rs.
--
-- A patrol's problem becomes a finding with source 'patrol': the findings' CHECK on source
-- gains that value (below).

-- A river, lake or reservoir.
CREATE TABLE water_bodies (id INTEGER PRIMARY KEY);
CREATE TABLE water_body_versions (
    water_id INTEGER NOT NULL REFERENCES water_bodies (id),
    rev INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('river', 'lake', 'reservoir')),
    withdrawn INTEGER NOT NULL CHECK (withdrawn IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (water_id, rev)
);
CREATE INDEX water_body_versions_by_code ON water_body_versions (code);
CREATE VIEW water_body_current AS
    SELECT v.* FROM water_body_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM water_body_versions w WHERE w.water_id = v.water_id);

-- A segment (河段): one region's stretch of a water, numbered from the source (seq), with the
-- water-quality sections (by name, as the water module keeps them) that monitor it.
CREATE TABLE water_segments (id INTEGER PRIMARY KEY);
CREATE TABLE water_segment_versions (
    segment_id INTEGER NOT NULL REFERENCES water_segments (id),
    rev INTEGER NOT NULL,
    water_id INTEGER NOT NULL REFERENCES water_bodies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    seq INTEGER NOT NULL,
    sections TEXT NOT NULL,
    target_class INTEGER NOT NULL CHECK (target_class BETWEEN 1 AND 5),
    length_km TEXT,
    withdrawn INTEGER NOT NULL CHECK (withdrawn IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (segment_id, rev)
);
CREATE INDEX water_segment_versions_by_code ON water_segment_versions (code);
CREATE INDEX water_segment_versions_by_water ON water_segment_versions (water_id);
CREATE INDEX water_segment_versions_by_region ON water_segment_versions (region_code);
CREATE VIEW water_segment_current AS
    SELECT v.* FROM water_segment_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM water_segment_versions w WHERE w.segment_id = v.segment_id);

-- A forest area (林区).
CREATE TABLE forest_areas (id INTEGER PRIMARY KEY);
CREATE TABLE forest_area_versions (
    forest_id INTEGER NOT NULL REFERENCES forest_areas (id),
    rev INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    hectares TEXT,
    withdrawn INTEGER NOT NULL CHECK (withdrawn IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (forest_id, rev)
);
CREATE INDEX forest_area_versions_by_code ON forest_area_versions (code);
CREATE INDEX forest_area_versions_by_region ON forest_area_versions (region_code);
CREATE VIEW forest_area_current AS
    SELECT v.* FROM forest_area_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM forest_area_versions w WHERE w.forest_id = v.forest_id);

-- A chief post: an ordinary post (held through ordinary tenures) made 总河长 / 河长 / 湖长 /
-- 总林长 / 林长 of a level and region, with the segments or forest areas (codes, JSON) it
-- answers for.
CREATE TABLE chief_posts (id INTEGER PRIMARY KEY);
CREATE TABLE chief_post_versions (
    chief_id INTEGER NOT NULL REFERENCES chief_posts (id),
    rev INTEGER NOT NULL,
    post_id INTEGER NOT NULL REFERENCES posts (id),
    kind TEXT NOT NULL CHECK (kind IN ('general_river', 'river', 'lake', 'general_forest', 'forest')),
    level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
    region_code TEXT NOT NULL REFERENCES regions (code),
    segments TEXT NOT NULL,
    forests TEXT NOT NULL,
    retired INTEGER NOT NULL CHECK (retired IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (chief_id, rev)
);
CREATE INDEX chief_post_versions_by_post ON chief_post_versions (post_id);
CREATE INDEX chief_post_versions_by_region ON chief_post_versions (region_code);
CREATE VIEW chief_post_current AS
    SELECT v.* FROM chief_post_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM chief_post_versions w WHERE w.chief_id = v.chief_id);

-- A patrol (巡河 / 巡林): the chief post, the person who held it that day, what was patrolled,
-- the effort, the optional track (GeoJSON LineString) and the problems found (JSON: kind,
-- text, photos, and the finding each became).
CREATE TABLE patrols (id INTEGER PRIMARY KEY);
CREATE TABLE patrol_versions (
    patrol_id INTEGER NOT NULL REFERENCES patrols (id),
    rev INTEGER NOT NULL,
    chief_id INTEGER NOT NULL REFERENCES chief_posts (id),
    post_id INTEGER NOT NULL REFERENCES posts (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('segment', 'forest')),
    target_code TEXT NOT NULL,
    on_day TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    metres INTEGER NOT NULL,
    track TEXT,
    problems TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (patrol_id, rev)
);
CREATE INDEX patrol_versions_by_chief ON patrol_versions (chief_id, on_day);
CREATE INDEX patrol_versions_by_region ON patrol_versions (region_code, on_day);
CREATE VIEW patrol_current AS
    SELECT v.* FROM patrol_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM patrol_versions w WHERE w.patrol_id = v.patrol_id);

-- A region's own patrol frequency for a chief level (the defaults are data in the domain
-- crate); the setting of the nearest region up the tree applies.
CREATE TABLE patrol_frequencies (id INTEGER PRIMARY KEY);
CREATE TABLE patrol_frequency_versions (
    frequency_id INTEGER NOT NULL REFERENCES patrol_frequencies (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
    per TEXT NOT NULL CHECK (per IN ('week', 'ten_days', 'month', 'quarter', 'year')),
    times INTEGER NOT NULL CHECK (times BETWEEN 1 AND 100),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (frequency_id, rev)
);
CREATE INDEX patrol_frequency_versions_by_region ON patrol_frequency_versions (region_code, level);
CREATE VIEW patrol_frequency_current AS
    SELECT v.* FROM patrol_frequency_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM patrol_frequency_versions w WHERE w.frequency_id = v.frequency_id);

CREATE TRIGGER water_bodies_no_update BEFORE UPDATE ON water_bodies
BEGIN SELECT RAISE(ABORT, 'water_bodies is append-only: UPDATE refused'); END;
CREATE TRIGGER water_bodies_no_delete BEFORE DELETE ON water_bodies
BEGIN SELECT RAISE(ABORT, 'water_bodies is append-only: DELETE refused'); END;
CREATE TRIGGER water_body_versions_no_update BEFORE UPDATE ON water_body_versions
BEGIN SELECT RAISE(ABORT, 'water_body_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER water_body_versions_no_delete BEFORE DELETE ON water_body_versions
BEGIN SELECT RAISE(ABORT, 'water_body_versions is append-only: DELETE refused'); END;
CREATE TRIGGER water_segments_no_update BEFORE UPDATE ON water_segments
BEGIN SELECT RAISE(ABORT, 'water_segments is append-only: UPDATE refused'); END;
CREATE TRIGGER water_segments_no_delete BEFORE DELETE ON water_segments
BEGIN SELECT RAISE(ABORT, 'water_segments is append-only: DELETE refused'); END;
CREATE TRIGGER water_segment_versions_no_update BEFORE UPDATE ON water_segment_versions
BEGIN SELECT RAISE(ABORT, 'water_segment_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER water_segment_versions_no_delete BEFORE DELETE ON water_segment_versions
BEGIN SELECT RAISE(ABORT, 'water_segment_versions is append-only: DELETE refused'); END;
CREATE TRIGGER forest_areas_no_update BEFORE UPDATE ON forest_areas
BEGIN SELECT RAISE(ABORT, 'forest_areas is append-only: UPDATE refused'); END;
CREATE TRIGGER forest_areas_no_delete BEFORE DELETE ON forest_areas
BEGIN SELECT RAISE(ABORT, 'forest_areas is append-only: DELETE refused'); END;
CREATE TRIGGER forest_area_versions_no_update BEFORE UPDATE ON forest_area_versions
BEGIN SELECT RAISE(ABORT, 'forest_area_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER forest_area_versions_no_delete BEFORE DELETE ON forest_area_versions
BEGIN SELECT RAISE(ABORT, 'forest_area_versions is append-only: DELETE refused'); END;
CREATE TRIGGER chief_posts_no_update BEFORE UPDATE ON chief_posts
BEGIN SELECT RAISE(ABORT, 'chief_posts is append-only: UPDATE refused'); END;
CREATE TRIGGER chief_posts_no_delete BEFORE DELETE ON chief_posts
BEGIN SELECT RAISE(ABORT, 'chief_posts is append-only: DELETE refused'); END;
CREATE TRIGGER chief_post_versions_no_update BEFORE UPDATE ON chief_post_versions
BEGIN SELECT RAISE(ABORT, 'chief_post_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER chief_post_versions_no_delete BEFORE DELETE ON chief_post_versions
BEGIN SELECT RAISE(ABORT, 'chief_post_versions is append-only: DELETE refused'); END;
CREATE TRIGGER patrols_no_update BEFORE UPDATE ON patrols
BEGIN SELECT RAISE(ABORT, 'patrols is append-only: UPDATE refused'); END;
CREATE TRIGGER patrols_no_delete BEFORE DELETE ON patrols
BEGIN SELECT RAISE(ABORT, 'patrols is append-only: DELETE refused'); END;
CREATE TRIGGER patrol_versions_no_update BEFORE UPDATE ON patrol_versions
BEGIN SELECT RAISE(ABORT, 'patrol_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER patrol_versions_no_delete BEFORE DELETE ON patrol_versions
BEGIN SELECT RAISE(ABORT, 'patrol_versions is append-only: DELETE refused'); END;
CREATE TRIGGER patrol_frequencies_no_update BEFORE UPDATE ON patrol_frequencies
BEGIN SELECT RAISE(ABORT, 'patrol_frequencies is append-only: UPDATE refused'); END;
CREATE TRIGGER patrol_frequencies_no_delete BEFORE DELETE ON patrol_frequencies
BEGIN SELECT RAISE(ABORT, 'patrol_frequencies is append-only: DELETE refused'); END;
CREATE TRIGGER patrol_frequency_versions_no_update BEFORE UPDATE ON patrol_frequency_versions
BEGIN SELECT RAISE(ABORT, 'patrol_frequency_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER patrol_frequency_versions_no_delete BEFORE DELETE ON patrol_frequency_versions
BEGIN SELECT RAISE(ABORT, 'patrol_frequency_versions is append-only: DELETE refused'); END;

-- Findings gain the source 'patrol'. SQLite cannot alter a CHECK, so the versions table is
-- rebuilt with the same columns and every row copied as it is (same values, same ledger_seq:
-- the ledger still verifies each version), then its view and triggers are made again as in
-- 0004. Dropping a table is not a DELETE: the append-only triggers are not asked.
CREATE TABLE finding_versions_0012 (
    finding_id INTEGER NOT NULL REFERENCES findings (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    source TEXT NOT NULL CHECK (source IN ('inspection', 'complaint', 'audit', 'indicator_warning', 'media', 'patrol')),
    inspection_id INTEGER REFERENCES inspections (id),
    complaint_id INTEGER,
    source_ref TEXT NOT NULL,
    serial TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('air', 'water', 'soil', 'ecology', 'solid_waste', 'noise', 'other')),
    severity TEXT NOT NULL CHECK (severity IN ('general', 'serious', 'major')),
    text TEXT NOT NULL,
    measures TEXT NOT NULL,
    units TEXT NOT NULL,
    posts TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('assigned', 'in_progress', 'closure_requested', 'verified', 'closed', 'long_term')),
    deadline TEXT,
    overdue_since TEXT,
    progress TEXT NOT NULL,
    closure_requested_by TEXT,
    closure_evidence TEXT NOT NULL,
    verified_by TEXT,
    review_every_days INTEGER,
    last_review TEXT,
    event TEXT NOT NULL,
    event_actor TEXT NOT NULL,
    event_on TEXT NOT NULL,
    event_comment TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (finding_id, rev)
);
INSERT INTO finding_versions_0012 SELECT * FROM finding_versions;
DROP VIEW finding_current;
DROP TABLE finding_versions;
ALTER TABLE finding_versions_0012 RENAME TO finding_versions;
CREATE VIEW finding_current AS
    SELECT v.* FROM finding_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM finding_versions w WHERE w.finding_id = v.finding_id);
CREATE TRIGGER finding_versions_head AFTER INSERT ON finding_versions
BEGIN
    UPDATE finding_heads SET rev = NEW.rev, region_code = NEW.region_code, status = NEW.status,
        deadline = NEW.deadline, overdue_since = NEW.overdue_since,
        next_review = CASE WHEN NEW.status = 'long_term'
            THEN date(NEW.last_review, '+' || NEW.review_every_days || ' days') END,
        category = NEW.category, severity = NEW.severity, source = NEW.source,
        inspection_id = NEW.inspection_id, complaint_id = NEW.complaint_id
    WHERE finding_id = NEW.finding_id;
    INSERT INTO finding_heads (finding_id, rev, region_code, status, deadline, overdue_since,
        next_review, category, severity, source, inspection_id, complaint_id)
    SELECT NEW.finding_id, NEW.rev, NEW.region_code, NEW.status, NEW.deadline, NEW.overdue_since,
        CASE WHEN NEW.status = 'long_term'
            THEN date(NEW.last_review, '+' || NEW.review_every_days || ' days') END,
        NEW.category, NEW.severity, NEW.source, NEW.inspection_id, NEW.complaint_id
    WHERE NOT EXISTS (SELECT 1 FROM finding_heads WHERE finding_id = NEW.finding_id);
END;
CREATE TRIGGER finding_versions_no_update BEFORE UPDATE ON finding_versions
BEGIN SELECT RAISE(ABORT, 'finding_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER finding_versions_no_delete BEFORE DELETE ON finding_versions
BEGIN SELECT RAISE(ABORT, 'finding_versions is append-only: DELETE refused'); END;

-- A local duty may be a chief's duty (the chief kind it binds); absent for a role's duty.
ALTER TABLE local_duty_versions ADD COLUMN chief_kind TEXT
    CHECK (chief_kind IN ('general_river', 'river', 'lake', 'general_forest', 'forest'));
