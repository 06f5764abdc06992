-- Complaint attachments as part of the complaint's record, and the public forms' rate limit
-- shared by every server on the database. See ../README.md.
--
-- A complaint's attachments are evidence files (evidence_blobs, by content hash), cited by
-- each version as JSON text: a list of {"sha256", "name"}, like a progress report's evidence.
-- They are given when the complaint is filed and carried by every later version. Versions
-- written before this migration cite none ('[]'); their text may still name a file the old
-- way.
ALTER TABLE complaint_versions ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';

DROP VIEW complaint_current;
CREATE VIEW complaint_current AS
    SELECT v.* FROM complaint_versions v
    WHERE v.rev = (SELECT MAX(w.rev) FROM complaint_versions w WHERE w.complaint_id = v.complaint_id);

-- The public forms' rate limit (not an accountability record: no versions, no ledger): one
-- row per client address, known by the SHA-256 of the address only. `tat` is the generic cell
-- rate algorithm's theoretical arrival time in milliseconds since the epoch, moved forward
-- by one request's interval each time a request is allowed; `allowed` says whether the last
-- request was. One statement (INSERT … ON CONFLICT … DO UPDATE … RETURNING) decides and
-- records a request, so servers sharing the database share the limit. A row whose `tat` has
-- passed is the same as no row: such rows are deleted by the servers' housekeeping.
CREATE TABLE public_rate_limits (
    client_digest TEXT PRIMARY KEY,
    tat BIGINT NOT NULL,
    allowed BIGINT NOT NULL CHECK (allowed IN (0, 1))
);
CREATE INDEX public_rate_limits_by_tat ON public_rate_limits (tat);
