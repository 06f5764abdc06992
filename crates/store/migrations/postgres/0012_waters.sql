-- Rivers, lakes and forests and their chiefs (河湖长制 / 林长制, Art. 5): water bodies and
-- their segments, forest areas, chief posts tied to ordinary posts, patrols with the problems
-- they found, and regions' own patrol frequencies. Versioned and append-only like every other
-- record. See crates/store/src/waters.rs.
--
-- A patrol's problem becomes a finding with source 'patrol': the findings' CHECK on source
-- gains that value (below).

-- A river, lake or reservoir.
CREATE TABLE water_bodies (id BIGINT PRIMARY KEY);
CREATE TABLE water_body_versions (
    water_id BIGINT NOT NULL REFERENCES water_bodies (id),
    rev BIGINT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('river', 'lake', 'reservoir')),
    withdrawn BIGINT NOT NULL CHECK (withdrawn IN (0, 1)),
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (water_id, rev)
);
CREATE INDEX water_body_versions_by_code ON water_body_versions (code);
CREATE VIEW water_body_current AS
    SELECT v.* FROM water_body_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM water_body_versions w WHERE w.water_id = v.water_id);

-- A segment (河段): one region's stretch of a water, numbered from the source (seq), with the
-- water-quality sections (by name, as the water module keeps them) that monitor it.
CREATE TABLE water_segments (id BIGINT PRIMARY KEY);
CREATE TABLE water_segment_versions (
    segment_id BIGINT NOT NULL REFERENCES water_segments (id),
    rev BIGINT NOT NULL,
    water_id BIGINT NOT NULL REFERENCES water_bodies (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    seq BIGINT NOT NULL,
    sections TEXT NOT NULL,
    target_class BIGINT NOT NULL CHECK (target_class BETWEEN 1 AND 5),
    length_km TEXT,
    withdrawn BIGINT NOT NULL CHECK (withdrawn IN (0, 1)),
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (segment_id, rev)
);
CREATE INDEX water_segment_versions_by_code ON water_segment_versions (code);
CREATE INDEX water_segment_versions_by_water ON water_segment_versions (water_id);
CREATE INDEX water_segment_versions_by_region ON water_segment_versions (region_code);
CREATE VIEW water_segment_current AS
    SELECT v.* FROM water_segment_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM water_segment_versions w WHERE w.segment_id = v.segment_id);

-- A forest area (林区).
CREATE TABLE forest_areas (id BIGINT PRIMARY KEY);
CREATE TABLE forest_area_versions (
    forest_id BIGINT NOT NULL REFERENCES forest_areas (id),
    rev BIGINT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    hectares TEXT,
    withdrawn BIGINT NOT NULL CHECK (withdrawn IN (0, 1)),
    ledger_seq BIGINT NOT NULL,
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
CREATE TABLE chief_posts (id BIGINT PRIMARY KEY);
CREATE TABLE chief_post_versions (
    chief_id BIGINT NOT NULL REFERENCES chief_posts (id),
    rev BIGINT NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts (id),
    kind TEXT NOT NULL CHECK (kind IN ('general_river', 'river', 'lake', 'general_forest', 'forest')),
    level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
    region_code TEXT NOT NULL REFERENCES regions (code),
    segments TEXT NOT NULL,
    forests TEXT NOT NULL,
    retired BIGINT NOT NULL CHECK (retired IN (0, 1)),
    ledger_seq BIGINT NOT NULL,
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
CREATE TABLE patrols (id BIGINT PRIMARY KEY);
CREATE TABLE patrol_versions (
    patrol_id BIGINT NOT NULL REFERENCES patrols (id),
    rev BIGINT NOT NULL,
    chief_id BIGINT NOT NULL REFERENCES chief_posts (id),
    post_id BIGINT NOT NULL REFERENCES posts (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('segment', 'forest')),
    target_code TEXT NOT NULL,
    on_day TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    metres BIGINT NOT NULL,
    track TEXT,
    problems TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (patrol_id, rev)
);
CREATE INDEX patrol_versions_by_chief ON patrol_versions (chief_id, on_day);
CREATE INDEX patrol_versions_by_region ON patrol_versions (region_code, on_day);
CREATE VIEW patrol_current AS
    SELECT v.* FROM patrol_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM patrol_versions w WHERE w.patrol_id = v.patrol_id);

-- A region's own patrol frequency for a chief level (the defaults are data in the domain
-- crate); the setting of the nearest region up the tree applies.
CREATE TABLE patrol_frequencies (id BIGINT PRIMARY KEY);
CREATE TABLE patrol_frequency_versions (
    frequency_id BIGINT NOT NULL REFERENCES patrol_frequencies (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
    per TEXT NOT NULL CHECK (per IN ('week', 'ten_days', 'month', 'quarter', 'year')),
    times BIGINT NOT NULL CHECK (times BETWEEN 1 AND 100),
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (frequency_id, rev)
);
CREATE INDEX patrol_frequency_versions_by_region ON patrol_frequency_versions (region_code, level);
CREATE VIEW patrol_frequency_current AS
    SELECT v.* FROM patrol_frequency_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM patrol_frequency_versions w WHERE w.frequency_id = v.frequency_id);

CREATE TRIGGER water_bodies_append_only BEFORE UPDATE OR DELETE ON water_bodies
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER water_body_versions_append_only BEFORE UPDATE OR DELETE ON water_body_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER water_segments_append_only BEFORE UPDATE OR DELETE ON water_segments
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER water_segment_versions_append_only BEFORE UPDATE OR DELETE ON water_segment_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER forest_areas_append_only BEFORE UPDATE OR DELETE ON forest_areas
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER forest_area_versions_append_only BEFORE UPDATE OR DELETE ON forest_area_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER chief_posts_append_only BEFORE UPDATE OR DELETE ON chief_posts
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER chief_post_versions_append_only BEFORE UPDATE OR DELETE ON chief_post_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER patrols_append_only BEFORE UPDATE OR DELETE ON patrols
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER patrol_versions_append_only BEFORE UPDATE OR DELETE ON patrol_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER patrol_frequencies_append_only BEFORE UPDATE OR DELETE ON patrol_frequencies
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER patrol_frequency_versions_append_only BEFORE UPDATE OR DELETE ON patrol_frequency_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();

-- Findings gain the source 'patrol'.
ALTER TABLE finding_versions DROP CONSTRAINT finding_versions_source_check;
ALTER TABLE finding_versions ADD CONSTRAINT finding_versions_source_check
    CHECK (source IN ('inspection', 'complaint', 'audit', 'indicator_warning', 'media', 'patrol'));

-- A local duty may be a chief's duty (the chief kind it binds); absent for a role's duty.
ALTER TABLE local_duty_versions ADD COLUMN chief_kind TEXT
    CHECK (chief_kind IN ('general_river', 'river', 'lake', 'general_forest', 'forest'));
-- PostgreSQL expanded the view's * when it was made: it is made again with the new column.
CREATE OR REPLACE VIEW local_duty_current AS
    SELECT v.* FROM local_duty_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM local_duty_versions w WHERE w.duty_id = v.duty_id);
