-- Covering indexes for the findings an assessment reads (issue 11: scoring the whole country
-- on the million-finding ledger). The facts query scans a prefecture's findings by region and
-- reads, for each, its versions' events (raised, returned, closed) and its current units.
-- Versions are stored in insertion order, so a finding's versions lie on pages far apart;
-- these indexes hold what the query reads in (region, …) and (finding, rev) order, so it is
-- answered from the indexes alone, without a table seek per finding and per version.
-- Derived by the database from the rows; nothing is written to them by the application.
CREATE INDEX finding_heads_for_facts ON finding_heads (region_code, finding_id, deadline, inspection_id, rev);
CREATE INDEX finding_versions_for_facts ON finding_versions (finding_id, rev, event, event_on, units);
