-- The supervision loop: work plans and tasks with progress reports, dispatch rounds,
-- inspections and their findings, evidence files, Art. 15's register of checks, public
-- complaints; and the scheduler's operational state: notifications, the outbox and leases.
-- See ../README.md and crates/store/src/supervision/mod.rs.
--
-- Records are versioned like tenures (identity table, versions, `*_current` view, ledger
-- entry per version). Lists of ids inside a version (units, posts, co-operating units) are
-- kept as comma-separated text; evidence references and milestones as JSON text.

-- Work plans, tasks, progress, dispatch -------------------------------------------------------

CREATE TABLE work_plans (id INTEGER PRIMARY KEY);
CREATE TABLE work_plan_versions (
    plan_id INTEGER NOT NULL REFERENCES work_plans (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    retired INTEGER NOT NULL CHECK (retired IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (plan_id, rev)
);
CREATE INDEX work_plan_versions_by_region ON work_plan_versions (region_code, year);

CREATE TABLE tasks (id INTEGER PRIMARY KEY);
CREATE TABLE task_versions (
    task_id INTEGER NOT NULL REFERENCES tasks (id),
    rev INTEGER NOT NULL,
    plan_id INTEGER NOT NULL REFERENCES work_plans (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    title TEXT NOT NULL,
    basis_kind TEXT NOT NULL CHECK (basis_kind IN ('article', 'indicator', 'finding', 'text')),
    basis TEXT NOT NULL,
    lead_organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    responsible_post_id INTEGER REFERENCES posts (id),
    cooperating TEXT NOT NULL,
    deadline TEXT NOT NULL,
    milestones TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'completed', 'cancelled')),
    percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    overdue_since TEXT,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (task_id, rev)
);
CREATE INDEX task_versions_by_plan ON task_versions (plan_id);
CREATE INDEX task_versions_by_region ON task_versions (region_code);
CREATE INDEX task_versions_by_deadline ON task_versions (status, deadline);

CREATE TABLE progress_reports (id INTEGER PRIMARY KEY);
CREATE TABLE progress_report_versions (
    report_id INTEGER NOT NULL REFERENCES progress_reports (id),
    rev INTEGER NOT NULL,
    task_id INTEGER NOT NULL REFERENCES tasks (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    round_id INTEGER,
    reported_on TEXT NOT NULL,
    reporter TEXT NOT NULL,
    text TEXT NOT NULL,
    percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    evidence TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (report_id, rev)
);
CREATE INDEX progress_report_versions_by_task ON progress_report_versions (task_id);
CREATE INDEX progress_report_versions_by_round ON progress_report_versions (round_id);

-- A round's expected reports (task and its lead unit at opening) are part of its record.
CREATE TABLE dispatch_rounds (id INTEGER PRIMARY KEY);
CREATE TABLE dispatch_round_versions (
    round_id INTEGER NOT NULL REFERENCES dispatch_rounds (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    title TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    due_date TEXT NOT NULL,
    expected TEXT NOT NULL,
    closed INTEGER NOT NULL CHECK (closed IN (0, 1)),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (round_id, rev)
);
CREATE INDEX dispatch_round_versions_by_region ON dispatch_round_versions (region_code);

-- Inspections and findings ------------------------------------------------------------------

CREATE TABLE inspections (id INTEGER PRIMARY KEY);
CREATE TABLE inspection_versions (
    inspection_id INTEGER NOT NULL REFERENCES inspections (id),
    rev INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('central', 'provincial', 'municipal')),
    kind TEXT NOT NULL CHECK (kind IN ('routine', 'special', 'follow_up')),
    title TEXT NOT NULL,
    regions TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    team TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (inspection_id, rev)
);
-- The regions each version inspected, one row each, so that lists can be scoped to a subtree.
CREATE TABLE inspection_regions (
    inspection_id INTEGER NOT NULL REFERENCES inspections (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    PRIMARY KEY (inspection_id, rev, region_code)
);
CREATE INDEX inspection_regions_by_region ON inspection_regions (region_code);

-- Each version of a finding is one step of its life: the event, who did it, on which day, and
-- the comment, with the state after it.
CREATE TABLE findings (id INTEGER PRIMARY KEY);
CREATE TABLE finding_versions (
    finding_id INTEGER NOT NULL REFERENCES findings (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    source TEXT NOT NULL CHECK (source IN ('inspection', 'complaint', 'audit', 'indicator_warning', 'media')),
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
CREATE VIEW finding_current AS
    SELECT v.* FROM finding_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM finding_versions w WHERE w.finding_id = v.finding_id);

-- An index over the latest version of each finding, kept by the database itself (the trigger
-- below) and never written by the application: lists of a million findings filtered by region
-- and status, and the scheduler's daily questions, need an index on present state, which the
-- versions table cannot give. It holds nothing the versions do not; rows are never deleted and
-- their revision only moves forward; Store::check_finding_heads compares it with the versions.
CREATE TABLE finding_heads (
    finding_id INTEGER PRIMARY KEY REFERENCES findings (id),
    rev INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    status TEXT NOT NULL,
    deadline TEXT,
    overdue_since TEXT,
    next_review TEXT,
    category TEXT NOT NULL,
    severity TEXT NOT NULL,
    source TEXT NOT NULL,
    inspection_id INTEGER,
    complaint_id INTEGER
);
CREATE INDEX finding_heads_by_region ON finding_heads (region_code, finding_id);
CREATE INDEX finding_heads_by_status ON finding_heads (status, region_code, finding_id);
CREATE INDEX finding_heads_by_deadline ON finding_heads (status, deadline);
CREATE INDEX finding_heads_by_overdue ON finding_heads (overdue_since);
CREATE INDEX finding_heads_by_review ON finding_heads (next_review);
CREATE INDEX finding_heads_by_inspection ON finding_heads (inspection_id);

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
CREATE TRIGGER finding_heads_forward BEFORE UPDATE ON finding_heads
WHEN NEW.rev <> OLD.rev + 1 OR NEW.finding_id <> OLD.finding_id
BEGIN SELECT RAISE(ABORT, 'finding_heads follows the versions: its revision only moves forward by one'); END;
CREATE TRIGGER finding_heads_no_delete BEFORE DELETE ON finding_heads
BEGIN SELECT RAISE(ABORT, 'finding_heads follows the versions: DELETE refused'); END;

-- Evidence ------------------------------------------------------------------------------------

-- Files by the SHA-256 of their content: one row per distinct content, never replaced. The
-- names a file was uploaded under live in the records that cite it.
CREATE TABLE evidence_blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    kind TEXT NOT NULL,
    media_type TEXT NOT NULL,
    content BLOB NOT NULL,
    ledger_seq INTEGER NOT NULL
);

-- Art. 15: checks ------------------------------------------------------------------------------

CREATE TABLE checks (id INTEGER PRIMARY KEY);
CREATE TABLE check_versions (
    check_id INTEGER NOT NULL REFERENCES checks (id),
    rev INTEGER NOT NULL,
    by_organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    by_level TEXT NOT NULL,
    on_organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    check_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
    -- The limits a plan broke (JSON), and who overrode the refusal and why.
    violations TEXT NOT NULL,
    override_by TEXT,
    override_justification TEXT,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (check_id, rev)
);
CREATE INDEX check_versions_by_unit ON check_versions (on_organisation_id, check_date);
CREATE INDEX check_versions_by_region ON check_versions (region_code, check_date);

-- The deployment's limits (one record, id 1), as the JSON of ecoduty_domain's CheckLimits.
CREATE TABLE check_rules (id INTEGER PRIMARY KEY);
CREATE TABLE check_rule_versions (
    rules_id INTEGER NOT NULL REFERENCES check_rules (id),
    rev INTEGER NOT NULL,
    limits TEXT NOT NULL,
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (rules_id, rev)
);

-- Public complaints ------------------------------------------------------------------------------

-- The tracking code is known by its SHA-256 only; the contact is kept apart (below), out of the
-- ledger that auditors read.
CREATE TABLE complaints (id INTEGER PRIMARY KEY);
CREATE TABLE complaint_versions (
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    rev INTEGER NOT NULL,
    tracking_hash TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    address TEXT NOT NULL,
    category TEXT NOT NULL,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    received_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'assigned', 'answered')),
    assigned_organisation_id INTEGER REFERENCES organisations (id),
    answer_due TEXT,
    answer TEXT,
    answered_on TEXT,
    answered_by TEXT,
    finding_id INTEGER REFERENCES findings (id),
    ledger_seq INTEGER NOT NULL,
    PRIMARY KEY (complaint_id, rev)
);
CREATE INDEX complaint_versions_by_tracking ON complaint_versions (tracking_hash);
CREATE INDEX complaint_versions_by_region ON complaint_versions (region_code);
CREATE TABLE complaint_contacts (
    complaint_id INTEGER PRIMARY KEY REFERENCES complaints (id),
    contact TEXT NOT NULL
);

CREATE VIEW work_plan_current AS
    SELECT v.* FROM work_plan_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM work_plan_versions w WHERE w.plan_id = v.plan_id);
CREATE VIEW task_current AS
    SELECT v.* FROM task_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM task_versions w WHERE w.task_id = v.task_id);
CREATE VIEW progress_report_current AS
    SELECT v.* FROM progress_report_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM progress_report_versions w WHERE w.report_id = v.report_id);
CREATE VIEW dispatch_round_current AS
    SELECT v.* FROM dispatch_round_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM dispatch_round_versions w WHERE w.round_id = v.round_id);
CREATE VIEW inspection_current AS
    SELECT v.* FROM inspection_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM inspection_versions w WHERE w.inspection_id = v.inspection_id);
CREATE VIEW check_current AS
    SELECT v.* FROM check_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM check_versions w WHERE w.check_id = v.check_id);
CREATE VIEW check_rule_current AS
    SELECT v.* FROM check_rule_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM check_rule_versions w WHERE w.rules_id = v.rules_id);
CREATE VIEW complaint_current AS
    SELECT v.* FROM complaint_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM complaint_versions w WHERE w.complaint_id = v.complaint_id);

-- Notifications, outbox, leases (operational state, changed in place) -----------------------------

-- One row per recipient (a user's inbox, or a person holding a responsible post), item, notice
-- and the day the notice is about (a deadline, the day an item became overdue …): the unique
-- key is what makes the scheduler's passes idempotent.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('user', 'person')),
    recipient_id INTEGER NOT NULL,
    item_kind TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    notice TEXT NOT NULL,
    on_day TEXT NOT NULL,
    region_code TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    UNIQUE (recipient_kind, recipient_id, item_kind, item_id, notice, on_day)
);
CREATE INDEX notifications_by_item ON notifications (item_kind, item_id, notice, on_day);
CREATE INDEX notifications_by_recipient ON notifications (recipient_kind, recipient_id, id);

-- External delivery: one row per notification to send, retried with growing delays until the
-- receiver accepts it. A sender claims a row (claimed_until) before sending it.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    notification_id INTEGER NOT NULL UNIQUE REFERENCES notifications (id),
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    claimed_until TEXT,
    delivered_at TEXT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (delivered_at, next_attempt_at);

-- Who runs a scheduler pass now: a process takes the row until expires_at.
CREATE TABLE scheduler_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Append-only --------------------------------------------------------------------------------------

CREATE TRIGGER work_plans_no_update BEFORE UPDATE ON work_plans
BEGIN SELECT RAISE(ABORT, 'work_plans is append-only: UPDATE refused'); END;
CREATE TRIGGER work_plans_no_delete BEFORE DELETE ON work_plans
BEGIN SELECT RAISE(ABORT, 'work_plans is append-only: DELETE refused'); END;
CREATE TRIGGER work_plan_versions_no_update BEFORE UPDATE ON work_plan_versions
BEGIN SELECT RAISE(ABORT, 'work_plan_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER work_plan_versions_no_delete BEFORE DELETE ON work_plan_versions
BEGIN SELECT RAISE(ABORT, 'work_plan_versions is append-only: DELETE refused'); END;
CREATE TRIGGER tasks_no_update BEFORE UPDATE ON tasks
BEGIN SELECT RAISE(ABORT, 'tasks is append-only: UPDATE refused'); END;
CREATE TRIGGER tasks_no_delete BEFORE DELETE ON tasks
BEGIN SELECT RAISE(ABORT, 'tasks is append-only: DELETE refused'); END;
CREATE TRIGGER task_versions_no_update BEFORE UPDATE ON task_versions
BEGIN SELECT RAISE(ABORT, 'task_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER task_versions_no_delete BEFORE DELETE ON task_versions
BEGIN SELECT RAISE(ABORT, 'task_versions is append-only: DELETE refused'); END;
CREATE TRIGGER progress_reports_no_update BEFORE UPDATE ON progress_reports
BEGIN SELECT RAISE(ABORT, 'progress_reports is append-only: UPDATE refused'); END;
CREATE TRIGGER progress_reports_no_delete BEFORE DELETE ON progress_reports
BEGIN SELECT RAISE(ABORT, 'progress_reports is append-only: DELETE refused'); END;
CREATE TRIGGER progress_report_versions_no_update BEFORE UPDATE ON progress_report_versions
BEGIN SELECT RAISE(ABORT, 'progress_report_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER progress_report_versions_no_delete BEFORE DELETE ON progress_report_versions
BEGIN SELECT RAISE(ABORT, 'progress_report_versions is append-only: DELETE refused'); END;
CREATE TRIGGER dispatch_rounds_no_update BEFORE UPDATE ON dispatch_rounds
BEGIN SELECT RAISE(ABORT, 'dispatch_rounds is append-only: UPDATE refused'); END;
CREATE TRIGGER dispatch_rounds_no_delete BEFORE DELETE ON dispatch_rounds
BEGIN SELECT RAISE(ABORT, 'dispatch_rounds is append-only: DELETE refused'); END;
CREATE TRIGGER dispatch_round_versions_no_update BEFORE UPDATE ON dispatch_round_versions
BEGIN SELECT RAISE(ABORT, 'dispatch_round_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER dispatch_round_versions_no_delete BEFORE DELETE ON dispatch_round_versions
BEGIN SELECT RAISE(ABORT, 'dispatch_round_versions is append-only: DELETE refused'); END;
CREATE TRIGGER inspections_no_update BEFORE UPDATE ON inspections
BEGIN SELECT RAISE(ABORT, 'inspections is append-only: UPDATE refused'); END;
CREATE TRIGGER inspections_no_delete BEFORE DELETE ON inspections
BEGIN SELECT RAISE(ABORT, 'inspections is append-only: DELETE refused'); END;
CREATE TRIGGER inspection_versions_no_update BEFORE UPDATE ON inspection_versions
BEGIN SELECT RAISE(ABORT, 'inspection_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER inspection_versions_no_delete BEFORE DELETE ON inspection_versions
BEGIN SELECT RAISE(ABORT, 'inspection_versions is append-only: DELETE refused'); END;
CREATE TRIGGER inspection_regions_no_update BEFORE UPDATE ON inspection_regions
BEGIN SELECT RAISE(ABORT, 'inspection_regions is append-only: UPDATE refused'); END;
CREATE TRIGGER inspection_regions_no_delete BEFORE DELETE ON inspection_regions
BEGIN SELECT RAISE(ABORT, 'inspection_regions is append-only: DELETE refused'); END;
CREATE TRIGGER findings_no_update BEFORE UPDATE ON findings
BEGIN SELECT RAISE(ABORT, 'findings is append-only: UPDATE refused'); END;
CREATE TRIGGER findings_no_delete BEFORE DELETE ON findings
BEGIN SELECT RAISE(ABORT, 'findings is append-only: DELETE refused'); END;
CREATE TRIGGER finding_versions_no_update BEFORE UPDATE ON finding_versions
BEGIN SELECT RAISE(ABORT, 'finding_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER finding_versions_no_delete BEFORE DELETE ON finding_versions
BEGIN SELECT RAISE(ABORT, 'finding_versions is append-only: DELETE refused'); END;
CREATE TRIGGER evidence_blobs_no_update BEFORE UPDATE ON evidence_blobs
BEGIN SELECT RAISE(ABORT, 'evidence_blobs is append-only: UPDATE refused'); END;
CREATE TRIGGER evidence_blobs_no_delete BEFORE DELETE ON evidence_blobs
BEGIN SELECT RAISE(ABORT, 'evidence_blobs is append-only: DELETE refused'); END;
CREATE TRIGGER checks_no_update BEFORE UPDATE ON checks
BEGIN SELECT RAISE(ABORT, 'checks is append-only: UPDATE refused'); END;
CREATE TRIGGER checks_no_delete BEFORE DELETE ON checks
BEGIN SELECT RAISE(ABORT, 'checks is append-only: DELETE refused'); END;
CREATE TRIGGER check_versions_no_update BEFORE UPDATE ON check_versions
BEGIN SELECT RAISE(ABORT, 'check_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER check_versions_no_delete BEFORE DELETE ON check_versions
BEGIN SELECT RAISE(ABORT, 'check_versions is append-only: DELETE refused'); END;
CREATE TRIGGER check_rules_no_update BEFORE UPDATE ON check_rules
BEGIN SELECT RAISE(ABORT, 'check_rules is append-only: UPDATE refused'); END;
CREATE TRIGGER check_rules_no_delete BEFORE DELETE ON check_rules
BEGIN SELECT RAISE(ABORT, 'check_rules is append-only: DELETE refused'); END;
CREATE TRIGGER check_rule_versions_no_update BEFORE UPDATE ON check_rule_versions
BEGIN SELECT RAISE(ABORT, 'check_rule_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER check_rule_versions_no_delete BEFORE DELETE ON check_rule_versions
BEGIN SELECT RAISE(ABORT, 'check_rule_versions is append-only: DELETE refused'); END;
CREATE TRIGGER complaints_no_update BEFORE UPDATE ON complaints
BEGIN SELECT RAISE(ABORT, 'complaints is append-only: UPDATE refused'); END;
CREATE TRIGGER complaints_no_delete BEFORE DELETE ON complaints
BEGIN SELECT RAISE(ABORT, 'complaints is append-only: DELETE refused'); END;
CREATE TRIGGER complaint_versions_no_update BEFORE UPDATE ON complaint_versions
BEGIN SELECT RAISE(ABORT, 'complaint_versions is append-only: UPDATE refused'); END;
CREATE TRIGGER complaint_versions_no_delete BEFORE DELETE ON complaint_versions
BEGIN SELECT RAISE(ABORT, 'complaint_versions is append-only: DELETE refused'); END;
