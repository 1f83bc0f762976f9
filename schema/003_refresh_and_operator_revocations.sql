-- Counts for expiry refreshes and removed events; events an operator
-- revoked with `misp2sentinel revoke`, which syncs leave alone.

ALTER TABLE runs ADD COLUMN indicators_refreshed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN events_removed INTEGER NOT NULL DEFAULT 0;

CREATE TABLE operator_revocations (
  event_uuid TEXT PRIMARY KEY,
  revoked_at TEXT NOT NULL
);
