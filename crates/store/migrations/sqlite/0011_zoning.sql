-- Environmental zoning control (生态环境分区管控, Art. 7(2)): control units (环境管控单元) with
-- their category, optional boundary and admission list (生态环境准入清单, kept with the unit:
-- a changed list is a new version of the unit), and the project checks made against them.
-- Versioned and append-only like every other record. See crates/store/src/zoning.rs.

-- A unit. The bounding box (microdegrees) is derived from the boundary, for the point lookup.
CREATE TABLE zoning_units (id INTEGER PRIMARY KEY);
CREATE TABLE zoning_unit_versions (
    zoning_unit_id INTEGER NOT NULL REFERENCES zoning_units (id),
    rev INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    category TEXT NOT NULL CHECK (category IN ('priority_protection', 'key_control', 'general_control')),
    boundary TEXT,
    bbox_west INTEGER,
    bbox_south INTEGER,
    bbox_east INTEGER,
    bbox_north INTEGER,
    clauses TEXT NOT NULL,
    withdrawn INTEGER NOT NULL CHECK (withdrawn IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (zoning_unit_id, rev)
);
CREATE INDEX zoning_unit_versions_by_code ON zoning_unit_versions (code);
CREATE INDEX zoning_unit_versions_by_region ON zoning_unit_versions (region_code);
-- The point lookup ranges over the west edge and filters the rest inside the index.
CREATE INDEX zoning_unit_versions_by_bbox ON zoning_unit_versions (bbox_west, bbox_east, bbox_south, bbox_north);
CREATE VIEW zoning_unit_current AS
    SELECT v.* FROM zoning_unit_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM zoning_unit_versions w WHERE w.zoning_unit_id = v.zoning_unit_id);

-- A project check (项目准入研判): who asked what, when, and what the list answered.
CREATE TABLE zoning_checks (id INTEGER PRIMARY KEY);
CREATE TABLE zoning_check_versions (
    zoning_check_id INTEGER NOT NULL REFERENCES zoning_checks (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    zoning_unit_id INTEGER NOT NULL REFERENCES zoning_units (id),
    unit_rev INTEGER NOT NULL,
    unit_code TEXT NOT NULL,
    industry TEXT NOT NULL,
    point TEXT,
    effect TEXT NOT NULL CHECK (effect IN ('allowed', 'restricted', 'forbidden')),
    verdict TEXT NOT NULL,
    checked_by TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (zoning_check_id, rev)
);
CREATE INDEX zoning_check_versions_by_region ON zoning_check_versions (region_code, checked_at);
CREATE VIEW zoning_check_current AS
    SELECT v.* FROM zoning_check_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM zoning_check_versions w WHERE w.zoning_check_id = v.zoning_check_id);

CREATE TRIGGER zoning_units_no_update BEFORE UPDATE ON zoning_units
BEGIN SELECT RAISE(ABORT, 'zoning_units is append-only: UPDATE refused'); END;
CREATE TRIGGER zoning_units_no_delete BEFORE DELETE ON zoning_units
BEGIN SELECT RAISE(ABORT, 'zoning_units is append-only: DELETE refused'); END;
CREATE TRIGGER zoning_unit_versions_no_update BEFORE UPDATE ON zoning_unit_versions
BEGIN SELECT RAISE(ABORT, 'zoning_unit_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER zoning_unit_versions_no_delete BEFORE DELETE ON zoning_unit_versions
BEGIN SELECT RAISE(ABORT, 'zoning_unit_versions is append-only: DELETE refused'); END;
CREATE TRIGGER zoning_checks_no_update BEFORE UPDATE ON zoning_checks
BEGIN SELECT RAISE(ABORT, 'zoning_checks is append-only: UPDATE refused'); END;
CREATE TRIGGER zoning_checks_no_delete BEFORE DELETE ON zoning_checks
BEGIN SELECT RAISE(ABORT, 'zoning_checks is append-only: DELETE refused'); END;
CREATE TRIGGER zoning_check_versions_no_update BEFORE UPDATE ON zoning_check_versions
BEGIN SELECT RAISE(ABORT, 'zoning_check_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER zoning_check_versions_no_delete BEFORE DELETE ON zoning_check_versions
BEGIN SELECT RAISE(ABORT, 'zoning_check_versions is append-only: DELETE refused'); END;
