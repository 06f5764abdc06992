-- Environmental emergencies (突发生态环境事件, Arts. 7(6), 8(6)) and risk: risk sources,
-- risk reports, events with their timeline (初报, 续报, measures, monitoring, regrades, the end
-- of the response, closure with the investigation report) and the notification chain computed
-- from the grade and the posts (notices with deadlines, acknowledgements, escalations). Every
-- table is versioned and append-only like the others. See crates/store/src/emergency/mod.rs.

-- Risk sources (重点环境风险源 / 企业), graded by HJ 941-2018, imported from sheets.
CREATE TABLE risk_sources (id INTEGER PRIMARY KEY);
CREATE TABLE risk_source_versions (
    risk_source_id INTEGER NOT NULL REFERENCES risk_sources (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    name TEXT NOT NULL,
    credit_code TEXT,
    industry TEXT NOT NULL,
    substances TEXT NOT NULL,
    grade TEXT NOT NULL CHECK (grade IN ('general', 'large', 'major')),
    address TEXT NOT NULL,
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (risk_source_id, rev)
);
CREATE INDEX risk_source_versions_by_region ON risk_source_versions (region_code);
CREATE VIEW risk_source_current AS
    SELECT v.* FROM risk_source_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM risk_source_versions w WHERE w.risk_source_id = v.risk_source_id);

-- Risk reports (风险报告): a hazard found at a risk source or in a region, routed like an
-- early warning to the region's eco-environment posts and users.
CREATE TABLE risk_reports (id INTEGER PRIMARY KEY);
CREATE TABLE risk_report_versions (
    risk_report_id INTEGER NOT NULL REFERENCES risk_reports (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    risk_source_id INTEGER REFERENCES risk_sources (id),
    text TEXT NOT NULL,
    reported_on TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    evidence TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (risk_report_id, rev)
);
CREATE INDEX risk_report_versions_by_region ON risk_report_versions (region_code, reported_on);
CREATE VIEW risk_report_current AS
    SELECT v.* FROM risk_report_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM risk_report_versions w WHERE w.risk_report_id = v.risk_report_id);

-- Emergencies: the event as it stands (grade and state follow its updates).
CREATE TABLE emergencies (id INTEGER PRIMARY KEY);
CREATE TABLE emergency_versions (
    emergency_id INTEGER NOT NULL REFERENCES emergencies (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    kind TEXT NOT NULL,
    pollutants TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('I', 'II', 'III', 'IV')),
    occurred_at TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    risk_source_id INTEGER REFERENCES risk_sources (id),
    status TEXT NOT NULL CHECK (status IN ('reported', 'responding', 'response_ended', 'closed', 'withdrawn')),
    reported_by TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (emergency_id, rev)
);
CREATE INDEX emergency_versions_by_region ON emergency_versions (region_code, occurred_at);
CREATE VIEW emergency_current AS
    SELECT v.* FROM emergency_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM emergency_versions w WHERE w.emergency_id = v.emergency_id);

-- The timeline: 初报, 续报, measures, monitoring, regrades, the end of the response, closure.
CREATE TABLE emergency_updates (id INTEGER PRIMARY KEY);
CREATE TABLE emergency_update_versions (
    update_id INTEGER NOT NULL REFERENCES emergency_updates (id),
    rev INTEGER NOT NULL,
    emergency_id INTEGER NOT NULL REFERENCES emergencies (id),
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    text TEXT NOT NULL,
    new_level TEXT,
    evidence TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (update_id, rev)
);
CREATE INDEX emergency_update_versions_by_event ON emergency_update_versions (emergency_id);
CREATE VIEW emergency_update_current AS
    SELECT v.* FROM emergency_update_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM emergency_update_versions w WHERE w.update_id = v.update_id);

-- The notification chain: one notice per post told, with its deadline, acknowledgement and
-- escalation. The person is the holder of the post when the notice was written (none if vacant).
CREATE TABLE emergency_notices (id INTEGER PRIMARY KEY);
CREATE TABLE emergency_notice_versions (
    notice_id INTEGER NOT NULL REFERENCES emergency_notices (id),
    rev INTEGER NOT NULL,
    emergency_id INTEGER NOT NULL REFERENCES emergencies (id),
    tier TEXT NOT NULL CHECK (tier IN ('local', 'upper', 'province')),
    region_code TEXT NOT NULL REFERENCES regions (code),
    post_id INTEGER NOT NULL,
    role TEXT NOT NULL,
    person_id INTEGER,
    sent_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    ack_note TEXT,
    escalated_at TEXT,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (notice_id, rev)
);
CREATE INDEX emergency_notice_versions_by_event ON emergency_notice_versions (emergency_id);
CREATE INDEX emergency_notice_versions_by_due ON emergency_notice_versions (due_at);
CREATE VIEW emergency_notice_current AS
    SELECT v.* FROM emergency_notice_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM emergency_notice_versions w WHERE w.notice_id = v.notice_id);

CREATE TRIGGER risk_sources_no_update BEFORE UPDATE ON risk_sources
BEGIN SELECT RAISE(ABORT, 'risk_sources is append-only: UPDATE refused'); END;
CREATE TRIGGER risk_sources_no_delete BEFORE DELETE ON risk_sources
BEGIN SELECT RAISE(ABORT, 'risk_sources is append-only: DELETE refused'); END;
CREATE TRIGGER risk_source_versions_no_update BEFORE UPDATE ON risk_source_versions
BEGIN SELECT RAISE(ABORT, 'risk_source_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER risk_source_versions_no_delete BEFORE DELETE ON risk_source_versions
BEGIN SELECT RAISE(ABORT, 'risk_source_versions is append-only: DELETE refused'); END;
CREATE TRIGGER risk_reports_no_update BEFORE UPDATE ON risk_reports
BEGIN SELECT RAISE(ABORT, 'risk_reports is append-only: UPDATE refused'); END;
CREATE TRIGGER risk_reports_no_delete BEFORE DELETE ON risk_reports
BEGIN SELECT RAISE(ABORT, 'risk_reports is append-only: DELETE refused'); END;
CREATE TRIGGER risk_report_versions_no_update BEFORE UPDATE ON risk_report_versions
BEGIN SELECT RAISE(ABORT, 'risk_report_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER risk_report_versions_no_delete BEFORE DELETE ON risk_report_versions
BEGIN SELECT RAISE(ABORT, 'risk_report_versions is append-only: DELETE refused'); END;
CREATE TRIGGER emergencies_no_update BEFORE UPDATE ON emergencies
BEGIN SELECT RAISE(ABORT, 'emergencies is append-only: UPDATE refused'); END;
CREATE TRIGGER emergencies_no_delete BEFORE DELETE ON emergencies
BEGIN SELECT RAISE(ABORT, 'emergencies is append-only: DELETE refused'); END;
CREATE TRIGGER emergency_versions_no_update BEFORE UPDATE ON emergency_versions
BEGIN SELECT RAISE(ABORT, 'emergency_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER emergency_versions_no_delete BEFORE DELETE ON emergency_versions
BEGIN SELECT RAISE(ABORT, 'emergency_versions is append-only: DELETE refused'); END;
CREATE TRIGGER emergency_updates_no_update BEFORE UPDATE ON emergency_updates
BEGIN SELECT RAISE(ABORT, 'emergency_updates is append-only: UPDATE refused'); END;
CREATE TRIGGER emergency_updates_no_delete BEFORE DELETE ON emergency_updates
BEGIN SELECT RAISE(ABORT, 'emergency_updates is append-only: DELETE refused'); END;
CREATE TRIGGER emergency_update_versions_no_update BEFORE UPDATE ON emergency_update_versions
BEGIN SELECT RAISE(ABORT, 'emergency_update_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER emergency_update_versions_no_delete BEFORE DELETE ON emergency_update_versions
BEGIN SELECT RAISE(ABORT, 'emergency_update_versions is append-only: DELETE refused'); END;
CREATE TRIGGER emergency_notices_no_update BEFORE UPDATE ON emergency_notices
BEGIN SELECT RAISE(ABORT, 'emergency_notices is append-only: UPDATE refused'); END;
CREATE TRIGGER emergency_notices_no_delete BEFORE DELETE ON emergency_notices
BEGIN SELECT RAISE(ABORT, 'emergency_notices is append-only: DELETE refused'); END;
CREATE TRIGGER emergency_notice_versions_no_update BEFORE UPDATE ON emergency_notice_versions
BEGIN SELECT RAISE(ABORT, 'emergency_notice_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER emergency_notice_versions_no_delete BEFORE DELETE ON emergency_notice_versions
BEGIN SELECT RAISE(ABORT, 'emergency_notice_versions is append-only: DELETE refused'); END;
