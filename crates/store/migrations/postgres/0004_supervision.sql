-- The supervision loop: work plans and tasks with progress reports, dispatch rounds,
-- inspections and their findings, evidence files, Art. 15's register of checks, public
-- complaints; and the scheduler's operational state: notifications, the outbox and leases.
-- See ../README.md and crates/store/src/supervision/mod.rs.
--
-- Records are versioned like tenures (identity table, versions, `*_current` view, ledger
-- entry per version). Lists of ids inside a version (units, posts, co-operating units) are
-- kept as comma-separated text; evidence references and milestones as JSON text.

-- Work plans, tasks, progress, dispatch -------------------------------------------------------

CREATE TABLE work_plans (id BIGINT PRIMARY KEY);
CREATE TABLE work_plan_versions (
    plan_id BIGINT NOT NULL REFERENCES work_plans (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    retired BIGINT NOT NULL CHECK (retired IN (0, 1)),
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (plan_id, rev)
);
CREATE INDEX work_plan_versions_by_region ON work_plan_versions (region_code, year);

CREATE TABLE tasks (id BIGINT PRIMARY KEY);
CREATE TABLE task_versions (
    task_id BIGINT NOT NULL REFERENCES tasks (id),
    rev BIGINT NOT NULL,
    plan_id BIGINT NOT NULL REFERENCES work_plans (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    title TEXT NOT NULL,
    basis_kind TEXT NOT NULL CHECK (basis_kind IN ('article', 'indicator', 'finding', 'text')),
    basis TEXT NOT NULL,
    lead_organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    responsible_post_id BIGINT REFERENCES posts (id),
    cooperating TEXT NOT NULL,
    deadline TEXT NOT NULL,
    milestones TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'completed', 'cancelled')),
    percent BIGINT NOT NULL CHECK (percent BETWEEN 0 AND 100),
    overdue_since TEXT,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (task_id, rev)
);
CREATE INDEX task_versions_by_plan ON task_versions (plan_id);
CREATE INDEX task_versions_by_region ON task_versions (region_code);
CREATE INDEX task_versions_by_deadline ON task_versions (status, deadline);

CREATE TABLE progress_reports (id BIGINT PRIMARY KEY);
CREATE TABLE progress_report_versions (
    report_id BIGINT NOT NULL REFERENCES progress_reports (id),
    rev BIGINT NOT NULL,
    task_id BIGINT NOT NULL REFERENCES tasks (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    round_id BIGINT,
    reported_on TEXT NOT NULL,
    reporter TEXT NOT NULL,
    text TEXT NOT NULL,
    percent BIGINT NOT NULL CHECK (percent BETWEEN 0 AND 100),
    evidence TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (report_id, rev)
);
CREATE INDEX progress_report_versions_by_task ON progress_report_versions (task_id);
CREATE INDEX progress_report_versions_by_round ON progress_report_versions (round_id);

-- A round's expected reports (task and its lead unit at opening) are part of its record.
CREATE TABLE dispatch_rounds (id BIGINT PRIMARY KEY);
CREATE TABLE dispatch_round_versions (
    round_id BIGINT NOT NULL REFERENCES dispatch_rounds (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    title TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    due_date TEXT NOT NULL,
    expected TEXT NOT NULL,
    closed BIGINT NOT NULL CHECK (closed IN (0, 1)),
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (round_id, rev)
);
CREATE INDEX dispatch_round_versions_by_region ON dispatch_round_versions (region_code);

-- Inspections and findings ------------------------------------------------------------------

CREATE TABLE inspections (id BIGINT PRIMARY KEY);
CREATE TABLE inspection_versions (
    inspection_id BIGINT NOT NULL REFERENCES inspections (id),
    rev BIGINT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('central', 'provincial', 'municipal')),
    kind TEXT NOT NULL CHECK (kind IN ('routine', 'special', 'follow_up')),
    title TEXT NOT NULL,
    regions TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    team TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (inspection_id, rev)
);
-- The regions each version inspected, one row each, so that lists can be scoped to a subtree.
CREATE TABLE inspection_regions (
    inspection_id BIGINT NOT NULL REFERENCES inspections (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    PRIMARY KEY (inspection_id, rev, region_code)
);
CREATE INDEX inspection_regions_by_region ON inspection_regions (region_code);

-- Each version of a finding is one step of its life: the event, who did it, on which day, and
-- the comment, with the state after it.
CREATE TABLE findings (id BIGINT PRIMARY KEY);
CREATE TABLE finding_versions (
    finding_id BIGINT NOT NULL REFERENCES findings (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    source TEXT NOT NULL CHECK (source IN ('inspection', 'complaint', 'audit', 'indicator_warning', 'media')),
    inspection_id BIGINT REFERENCES inspections (id),
    complaint_id BIGINT,
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
    review_every_days BIGINT,
    last_review TEXT,
    event TEXT NOT NULL,
    event_actor TEXT NOT NULL,
    event_on TEXT NOT NULL,
    event_comment TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL,
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
    finding_id BIGINT PRIMARY KEY REFERENCES findings (id),
    rev BIGINT NOT NULL,
    region_code TEXT NOT NULL,
    status TEXT NOT NULL,
    deadline TEXT,
    overdue_since TEXT,
    next_review TEXT,
    category TEXT NOT NULL,
    severity TEXT NOT NULL,
    source TEXT NOT NULL,
    inspection_id BIGINT,
    complaint_id BIGINT
);
CREATE INDEX finding_heads_by_region ON finding_heads (region_code, finding_id);
CREATE INDEX finding_heads_by_status ON finding_heads (status, region_code, finding_id);
CREATE INDEX finding_heads_by_deadline ON finding_heads (status, deadline);
CREATE INDEX finding_heads_by_overdue ON finding_heads (overdue_since);
CREATE INDEX finding_heads_by_review ON finding_heads (next_review);
CREATE INDEX finding_heads_by_inspection ON finding_heads (inspection_id);

CREATE FUNCTION ecoduty_finding_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO finding_heads (finding_id, rev, region_code, status, deadline, overdue_since,
        next_review, category, severity, source, inspection_id, complaint_id)
    VALUES (NEW.finding_id, NEW.rev, NEW.region_code, NEW.status, NEW.deadline, NEW.overdue_since,
        CASE WHEN NEW.status = 'long_term'
            THEN to_char(NEW.last_review::date + NEW.review_every_days::integer, 'YYYY-MM-DD') END,
        NEW.category, NEW.severity, NEW.source, NEW.inspection_id, NEW.complaint_id)
    ON CONFLICT (finding_id) DO UPDATE SET rev = EXCLUDED.rev, region_code = EXCLUDED.region_code,
        status = EXCLUDED.status, deadline = EXCLUDED.deadline, overdue_since = EXCLUDED.overdue_since,
        next_review = EXCLUDED.next_review, category = EXCLUDED.category, severity = EXCLUDED.severity,
        source = EXCLUDED.source, inspection_id = EXCLUDED.inspection_id, complaint_id = EXCLUDED.complaint_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER finding_versions_head AFTER INSERT ON finding_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_finding_head();
CREATE FUNCTION ecoduty_finding_heads_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'finding_heads follows the versions: DELETE refused';
    END IF;
    IF NEW.rev <> OLD.rev + 1 OR NEW.finding_id <> OLD.finding_id THEN
        RAISE EXCEPTION 'finding_heads follows the versions: its revision only moves forward by one';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER finding_heads_guard BEFORE UPDATE OR DELETE ON finding_heads
    FOR EACH ROW EXECUTE FUNCTION ecoduty_finding_heads_guard();

-- Evidence ------------------------------------------------------------------------------------

-- Files by the SHA-256 of their content: one row per distinct content, never replaced. The
-- names a file was uploaded under live in the records that cite it.
CREATE TABLE evidence_blobs (
    sha256 TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    kind TEXT NOT NULL,
    media_type TEXT NOT NULL,
    content BYTEA NOT NULL,
    ledger_seq BIGINT NOT NULL
);

-- Art. 15: checks ------------------------------------------------------------------------------

CREATE TABLE checks (id BIGINT PRIMARY KEY);
CREATE TABLE check_versions (
    check_id BIGINT NOT NULL REFERENCES checks (id),
    rev BIGINT NOT NULL,
    by_organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    by_level TEXT NOT NULL,
    on_organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    check_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
    -- The limits a plan broke (JSON), and who overrode the refusal and why.
    violations TEXT NOT NULL,
    override_by TEXT,
    override_justification TEXT,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (check_id, rev)
);
CREATE INDEX check_versions_by_unit ON check_versions (on_organisation_id, check_date);
CREATE INDEX check_versions_by_region ON check_versions (region_code, check_date);

-- The deployment's limits (one record, id 1), as the JSON of ecoduty_domain's CheckLimits.
CREATE TABLE check_rules (id BIGINT PRIMARY KEY);
CREATE TABLE check_rule_versions (
    rules_id BIGINT NOT NULL REFERENCES check_rules (id),
    rev BIGINT NOT NULL,
    limits TEXT NOT NULL,
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (rules_id, rev)
);

-- Public complaints ------------------------------------------------------------------------------

-- The tracking code is known by its SHA-256 only; the contact is kept apart (below), out of the
-- ledger that auditors read.
CREATE TABLE complaints (id BIGINT PRIMARY KEY);
CREATE TABLE complaint_versions (
    complaint_id BIGINT NOT NULL REFERENCES complaints (id),
    rev BIGINT NOT NULL,
    tracking_hash TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    address TEXT NOT NULL,
    category TEXT NOT NULL,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    received_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'assigned', 'answered')),
    assigned_organisation_id BIGINT REFERENCES organisations (id),
    answer_due TEXT,
    answer TEXT,
    answered_on TEXT,
    answered_by TEXT,
    finding_id BIGINT REFERENCES findings (id),
    ledger_seq BIGINT NOT NULL,
    PRIMARY KEY (complaint_id, rev)
);
CREATE INDEX complaint_versions_by_tracking ON complaint_versions (tracking_hash);
CREATE INDEX complaint_versions_by_region ON complaint_versions (region_code);
CREATE TABLE complaint_contacts (
    complaint_id BIGINT PRIMARY KEY REFERENCES complaints (id),
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
    id BIGSERIAL PRIMARY KEY,
    recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('user', 'person')),
    recipient_id BIGINT NOT NULL,
    item_kind TEXT NOT NULL,
    item_id BIGINT NOT NULL,
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
    id BIGSERIAL PRIMARY KEY,
    notification_id BIGINT NOT NULL UNIQUE REFERENCES notifications (id),
    created_at TEXT NOT NULL,
    attempts BIGINT NOT NULL,
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

CREATE TRIGGER work_plans_append_only BEFORE UPDATE OR DELETE ON work_plans
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER work_plan_versions_append_only BEFORE UPDATE OR DELETE ON work_plan_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER tasks_append_only BEFORE UPDATE OR DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER task_versions_append_only BEFORE UPDATE OR DELETE ON task_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER progress_reports_append_only BEFORE UPDATE OR DELETE ON progress_reports
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER progress_report_versions_append_only BEFORE UPDATE OR DELETE ON progress_report_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER dispatch_rounds_append_only BEFORE UPDATE OR DELETE ON dispatch_rounds
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER dispatch_round_versions_append_only BEFORE UPDATE OR DELETE ON dispatch_round_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER inspections_append_only BEFORE UPDATE OR DELETE ON inspections
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER inspection_versions_append_only BEFORE UPDATE OR DELETE ON inspection_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER inspection_regions_append_only BEFORE UPDATE OR DELETE ON inspection_regions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER findings_append_only BEFORE UPDATE OR DELETE ON findings
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER finding_versions_append_only BEFORE UPDATE OR DELETE ON finding_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER evidence_blobs_append_only BEFORE UPDATE OR DELETE ON evidence_blobs
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER checks_append_only BEFORE UPDATE OR DELETE ON checks
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER check_versions_append_only BEFORE UPDATE OR DELETE ON check_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER check_rules_append_only BEFORE UPDATE OR DELETE ON check_rules
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER check_rule_versions_append_only BEFORE UPDATE OR DELETE ON check_rule_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER complaints_append_only BEFORE UPDATE OR DELETE ON complaints
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
CREATE TRIGGER complaint_versions_append_only BEFORE UPDATE OR DELETE ON complaint_versions
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
