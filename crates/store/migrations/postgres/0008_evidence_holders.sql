-- Who holds each stored evidence file: everyone who uploaded its content (the first to store
-- it, and anyone who uploaded the same bytes later). Citing a file by its digest needs the
-- caller to hold it or to reach a record that cites it; a digest alone grants nothing.
CREATE TABLE evidence_holders (
    sha256 TEXT NOT NULL,
    actor TEXT NOT NULL,
    first_at TEXT NOT NULL,
    PRIMARY KEY (sha256, actor)
);
INSERT INTO evidence_holders (sha256, actor, first_at)
    SELECT entity_id, actor, MIN(recorded_at) FROM ledger WHERE entity = 'evidence'
    GROUP BY entity_id, actor;
CREATE TRIGGER evidence_holders_append_only BEFORE UPDATE OR DELETE ON evidence_holders
    FOR EACH ROW EXECUTE FUNCTION ecoduty_append_only();
