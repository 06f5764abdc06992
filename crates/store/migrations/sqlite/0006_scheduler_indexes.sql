-- The scheduler's daily questions, each answered by one index range (see
-- crates/store/src/supervision/scheduler.rs):
-- - open findings past their deadline not yet marked overdue
--   (status = ?, overdue_since IS NULL, deadline < ?);
-- - open findings that became overdue within the catch-up window (status = ?, overdue_since >= ?);
-- - long-term findings whose review is due (status = 'long_term', next_review <= ?).
-- The single-column indexes these replace made the planner walk every open finding instead.
DROP INDEX finding_heads_by_overdue;
CREATE INDEX finding_heads_by_overdue ON finding_heads (status, overdue_since, deadline);
DROP INDEX finding_heads_by_review;
CREATE INDEX finding_heads_by_review ON finding_heads (status, next_review);
