-- Monitoring data (air, surface water), binding-indicator targets and hand-reported indicator
-- values. See ../README.md and crates/store/src/quality/mod.rs.
--
-- Bulk monitoring data is not versioned row by row: each import is one row of `*_imports`
-- and one ledger entry, and its data rows carry the import's id. Nothing is ever updated or
-- deleted. A corrected file is a new import; the `*_current` views derive which import counts
-- for each station-day (air) and section-month (water): the latest one that has it. Data rows
-- are written before their import's row (whose ledger entry records their digest), so the
-- references to the import rows are checked when the transaction commits.

-- Air ------------------------------------------------------------------------------------

CREATE TABLE air_imports (
    id BIGINT PRIMARY KEY,
    station_list_name TEXT NOT NULL,
    station_list_sha256 TEXT NOT NULL,
    -- What the import skipped or refused (invalid values, unknown stations, ignored and
    -- already-imported files), as the JSON the ledger entry embeds.
    report_json TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL
);

-- The day files of an import, each with its digest: a file whose digest is already here is
-- not imported again.
CREATE TABLE air_import_files (
    import_id BIGINT NOT NULL REFERENCES air_imports (id) DEFERRABLE INITIALLY DEFERRED,
    file_no BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    day TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    stations BIGINT NOT NULL,
    invalid_values BIGINT NOT NULL,
    PRIMARY KEY (import_id, file_no)
);
CREATE INDEX air_import_files_by_sha256 ON air_import_files (sha256);

-- Station rows, written when a station is new or its row differs from the current one.
CREATE TABLE air_stations (
    import_id BIGINT NOT NULL REFERENCES air_imports (id) DEFERRABLE INITIALLY DEFERRED,
    row_no BIGINT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    longitude DOUBLE PRECISION,
    latitude DOUBLE PRECISION,
    -- The GB/T 2260 region the station's city maps to; NULL when it maps to none.
    region_code TEXT,
    PRIMARY KEY (import_id, row_no)
);
CREATE INDEX air_stations_by_code ON air_stations (code, import_id);

-- Hourly values: one row per station and day, the 24 hourly values of each pollutant packed
-- as text (comma-separated, empty = missing; NULL when all 24 are missing). See
-- quality/air.rs for why.
CREATE TABLE air_day_values (
    import_id BIGINT NOT NULL REFERENCES air_imports (id) DEFERRABLE INITIALLY DEFERRED,
    row_no BIGINT NOT NULL,
    station TEXT NOT NULL,
    day TEXT NOT NULL,
    so2 TEXT,
    no2 TEXT,
    pm10 TEXT,
    co TEXT,
    o3 TEXT,
    pm25 TEXT,
    PRIMARY KEY (import_id, row_no)
);
CREATE INDEX air_day_values_by_station_day ON air_day_values (station, day, import_id);

CREATE VIEW air_station_current AS
    SELECT s.* FROM air_stations s
    WHERE s.import_id = (SELECT MAX(t.import_id) FROM air_stations t WHERE t.code = s.code);
CREATE VIEW air_day_current AS
    SELECT v.* FROM air_day_values v
    WHERE v.import_id = (SELECT MAX(w.import_id) FROM air_day_values w
                         WHERE w.station = v.station AND w.day = v.day);

-- Surface water -----------------------------------------------------------------------------

CREATE TABLE water_imports (
    id BIGINT PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    -- Counts and what was superseded, as the JSON the ledger entry embeds.
    report_json TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL
);
CREATE INDEX water_imports_by_sha256 ON water_imports (sha256);

-- Section rows, written when a section is new or its row differs from the current one.
CREATE TABLE water_sections (
    import_id BIGINT NOT NULL REFERENCES water_imports (id) DEFERRABLE INITIALLY DEFERRED,
    row_no BIGINT NOT NULL,
    name TEXT NOT NULL,
    river_or_lake TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('river', 'lake')),
    region_code TEXT NOT NULL,
    PRIMARY KEY (import_id, row_no)
);
CREATE INDEX water_sections_by_name ON water_sections (name, import_id);

-- One row per measurement; the reading is kept in the file's notation ("0.5", "<0.01", "ND"),
-- which round-trips exactly (ecoduty_water::Reading).
CREATE TABLE water_measurements (
    import_id BIGINT NOT NULL REFERENCES water_imports (id) DEFERRABLE INITIALLY DEFERRED,
    row_no BIGINT NOT NULL,
    section TEXT NOT NULL,
    month TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    parameter TEXT NOT NULL,
    reading TEXT NOT NULL,
    PRIMARY KEY (import_id, row_no)
);
CREATE INDEX water_measurements_by_section_month ON water_measurements (section, month, import_id);

CREATE VIEW water_section_current AS
    SELECT s.* FROM water_sections s
    WHERE s.import_id = (SELECT MAX(t.import_id) FROM water_sections t WHERE t.name = s.name);
CREATE VIEW water_measurement_current AS
    SELECT m.* FROM water_measurements m
    WHERE m.import_id = (SELECT MAX(n.import_id) FROM water_measurements n
                         WHERE n.section = m.section AND n.month = m.month);

-- Targets and hand-reported values (versioned accountability records) -----------------------

-- Numbers set by a document (a target, a reported value) are kept as the decimal text of the
-- value, which reads back to the same f64 (see quality/targets.rs).
CREATE TABLE targets (id BIGINT PRIMARY KEY);
CREATE TABLE target_versions (
    target_id BIGINT NOT NULL REFERENCES targets (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    indicator TEXT NOT NULL,
    year BIGINT NOT NULL,
    target_value TEXT NOT NULL,
    source TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (target_id, rev)
);
CREATE INDEX target_versions_by_region ON target_versions (region_code, year, indicator);

CREATE TABLE indicator_reports (id BIGINT PRIMARY KEY);
CREATE TABLE indicator_report_versions (
    report_id BIGINT NOT NULL REFERENCES indicator_reports (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    indicator TEXT NOT NULL,
    year BIGINT NOT NULL,
    -- NULL: the annual value.
    month BIGINT CHECK (month BETWEEN 1 AND 12),
    reported_value TEXT NOT NULL,
    evidence TEXT NOT NULL,
    evidence_file TEXT,
    evidence_sha256 TEXT,
    reporter TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (report_id, rev)
);
CREATE INDEX indicator_report_versions_by_region ON indicator_report_versions (region_code, year, indicator);

CREATE VIEW target_current AS
    SELECT v.* FROM target_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM target_versions w WHERE w.target_id = v.target_id);
CREATE VIEW indicator_report_current AS
    SELECT v.* FROM indicator_report_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM indicator_report_versions w WHERE w.report_id = v.report_id);

-- Append-only --------------------------------------------------------------------------------

-- ecoduty_append_only() is defined by 0001_foundation.sql.
CREATE TRIGGER air_imports_append_only BEFORE UPDATE OR DELETE ON air_imports
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER air_import_files_append_only BEFORE UPDATE OR DELETE ON air_import_files
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER air_stations_append_only BEFORE UPDATE OR DELETE ON air_stations
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER air_day_values_append_only BEFORE UPDATE OR DELETE ON air_day_values
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER water_imports_append_only BEFORE UPDATE OR DELETE ON water_imports
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER water_sections_append_only BEFORE UPDATE OR DELETE ON water_sections
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER water_measurements_append_only BEFORE UPDATE OR DELETE ON water_measurements
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER targets_append_only BEFORE UPDATE OR DELETE ON targets
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER target_versions_append_only BEFORE UPDATE OR DELETE ON target_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER indicator_reports_append_only BEFORE UPDATE OR DELETE ON indicator_reports
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER indicator_report_versions_append_only BEFORE UPDATE OR DELETE ON indicator_report_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
