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
    id INTEGER PRIMARY KEY,
    station_list_name TEXT NOT NULL,
    station_list_sha256 TEXT NOT NULL,
    -- What the import skipped or refused (invalid values, unknown stations, ignored and
    -- already-imported files), as the JSON the ledger entry embeds.
    report_json TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL
);

-- The day files of an import, each with its digest: a file whose digest is already here is
-- not imported again.
CREATE TABLE air_import_files (
    import_id INTEGER NOT NULL REFERENCES air_imports (id) DEFERRABLE INITIALLY DEFERRED,
    file_no INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    day TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    stations INTEGER NOT NULL,
    invalid_values INTEGER NOT NULL,
    PRIMARY KEY (import_id, file_no)
);
CREATE INDEX air_import_files_by_sha256 ON air_import_files (sha256);

-- Station rows, written when a station is new or its row differs from the current one.
CREATE TABLE air_stations (
    import_id INTEGER NOT NULL REFERENCES air_imports (id) DEFERRABLE INITIALLY DEFERRED,
    row_no INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    longitude REAL,
    latitude REAL,
    -- The GB/T 2260 region the station's city maps to; NULL when it maps to none.
    region_code TEXT,
    PRIMARY KEY (import_id, row_no)
);
CREATE INDEX air_stations_by_code ON air_stations (code, import_id);

-- Hourly values: one row per station and day, the 24 hourly values of each pollutant packed
-- as text (comma-separated, empty = missing; NULL when all 24 are missing). See
-- quality/air.rs for why.
CREATE TABLE air_day_values (
    import_id INTEGER NOT NULL REFERENCES air_imports (id) DEFERRABLE INITIALLY DEFERRED,
    row_no INTEGER NOT NULL,
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
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    -- Counts and what was superseded, as the JSON the ledger entry embeds.
    report_json TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL
);
CREATE INDEX water_imports_by_sha256 ON water_imports (sha256);

-- Section rows, written when a section is new or its row differs from the current one.
CREATE TABLE water_sections (
    import_id INTEGER NOT NULL REFERENCES water_imports (id) DEFERRABLE INITIALLY DEFERRED,
    row_no INTEGER NOT NULL,
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
    import_id INTEGER NOT NULL REFERENCES water_imports (id) DEFERRABLE INITIALLY DEFERRED,
    row_no INTEGER NOT NULL,
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
CREATE TABLE targets (id INTEGER PRIMARY KEY);
CREATE TABLE target_versions (
    target_id INTEGER NOT NULL REFERENCES targets (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    indicator TEXT NOT NULL,
    year INTEGER NOT NULL,
    target_value TEXT NOT NULL,
    source TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (target_id, rev)
);
CREATE INDEX target_versions_by_region ON target_versions (region_code, year, indicator);

CREATE TABLE indicator_reports (id INTEGER PRIMARY KEY);
CREATE TABLE indicator_report_versions (
    report_id INTEGER NOT NULL REFERENCES indicator_reports (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    indicator TEXT NOT NULL,
    year INTEGER NOT NULL,
    -- NULL: the annual value.
    month INTEGER CHECK (month BETWEEN 1 AND 12),
    reported_value TEXT NOT NULL,
    evidence TEXT NOT NULL,
    evidence_file TEXT,
    evidence_sha256 TEXT,
    reporter TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
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

CREATE TRIGGER air_imports_no_update BEFORE UPDATE ON air_imports
BEGIN SELECT RAISE(ABORT, 'air_imports is append-only: UPDATE refused'); END;
CREATE TRIGGER air_imports_no_delete BEFORE DELETE ON air_imports
BEGIN SELECT RAISE(ABORT, 'air_imports is append-only: DELETE refused'); END;
CREATE TRIGGER air_import_files_no_update BEFORE UPDATE ON air_import_files
BEGIN SELECT RAISE(ABORT, 'air_import_files is append-only: UPDATE refused'); END;
CREATE TRIGGER air_import_files_no_delete BEFORE DELETE ON air_import_files
BEGIN SELECT RAISE(ABORT, 'air_import_files is append-only: DELETE refused'); END;
CREATE TRIGGER air_stations_no_update BEFORE UPDATE ON air_stations
BEGIN SELECT RAISE(ABORT, 'air_stations is append-only: UPDATE refused'); END;
CREATE TRIGGER air_stations_no_delete BEFORE DELETE ON air_stations
BEGIN SELECT RAISE(ABORT, 'air_stations is append-only: DELETE refused'); END;
CREATE TRIGGER air_day_values_no_update BEFORE UPDATE ON air_day_values
BEGIN SELECT RAISE(ABORT, 'air_day_values is append-only: UPDATE refused'); END;
CREATE TRIGGER air_day_values_no_delete BEFORE DELETE ON air_day_values
BEGIN SELECT RAISE(ABORT, 'air_day_values is append-only: DELETE refused'); END;
CREATE TRIGGER water_imports_no_update BEFORE UPDATE ON water_imports
BEGIN SELECT RAISE(ABORT, 'water_imports is append-only: UPDATE refused'); END;
CREATE TRIGGER water_imports_no_delete BEFORE DELETE ON water_imports
BEGIN SELECT RAISE(ABORT, 'water_imports is append-only: DELETE refused'); END;
CREATE TRIGGER water_sections_no_update BEFORE UPDATE ON water_sections
BEGIN SELECT RAISE(ABORT, 'water_sections is append-only: UPDATE refused'); END;
CREATE TRIGGER water_sections_no_delete BEFORE DELETE ON water_sections
BEGIN SELECT RAISE(ABORT, 'water_sections is append-only: DELETE refused'); END;
CREATE TRIGGER water_measurements_no_update BEFORE UPDATE ON water_measurements
BEGIN SELECT RAISE(ABORT, 'water_measurements is append-only: UPDATE refused'); END;
CREATE TRIGGER water_measurements_no_delete BEFORE DELETE ON water_measurements
BEGIN SELECT RAISE(ABORT, 'water_measurements is append-only: DELETE refused'); END;
CREATE TRIGGER targets_no_update BEFORE UPDATE ON targets
BEGIN SELECT RAISE(ABORT, 'targets is append-only: UPDATE refused'); END;
CREATE TRIGGER targets_no_delete BEFORE DELETE ON targets
BEGIN SELECT RAISE(ABORT, 'targets is append-only: DELETE refused'); END;
CREATE TRIGGER target_versions_no_update BEFORE UPDATE ON target_versions
BEGIN SELECT RAISE(ABORT, 'target_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER target_versions_no_delete BEFORE DELETE ON target_versions
BEGIN SELECT RAISE(ABORT, 'target_versions is append-only: DELETE refused'); END;
CREATE TRIGGER indicator_reports_no_update BEFORE UPDATE ON indicator_reports
BEGIN SELECT RAISE(ABORT, 'indicator_reports is append-only: UPDATE refused'); END;
CREATE TRIGGER indicator_reports_no_delete BEFORE DELETE ON indicator_reports
BEGIN SELECT RAISE(ABORT, 'indicator_reports is append-only: DELETE refused'); END;
CREATE TRIGGER indicator_report_versions_no_update BEFORE UPDATE ON indicator_report_versions
BEGIN SELECT RAISE(ABORT, 'indicator_report_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER indicator_report_versions_no_delete BEFORE DELETE ON indicator_report_versions
BEGIN SELECT RAISE(ABORT, 'indicator_report_versions is append-only: DELETE refused'); END;
