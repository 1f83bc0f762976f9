-- misp2sentinel store, version 1.
-- Times are ISO-8601 UTC text (*_at, created, modified, valid_*) or
-- integers named *_epoch (MISP's own clock, seconds).

-- Where the next delta run asks MISP from.
CREATE TABLE sync_cursor (
  name           TEXT PRIMARY KEY,   -- 'misp_events'
  field          TEXT NOT NULL,      -- 'publish_timestamp' or 'timestamp'
  position_epoch INTEGER NOT NULL,   -- MISP clock; the next run asks >= this
  updated_at     TEXT NOT NULL
);

-- Every MISP event a run has read.
CREATE TABLE events (
  event_uuid              TEXT PRIMARY KEY,
  misp_event_id           TEXT,
  info                    TEXT NOT NULL,
  org_name                TEXT,
  published               INTEGER NOT NULL,
  timestamp_epoch         INTEGER NOT NULL,
  publish_timestamp_epoch INTEGER NOT NULL,
  attribute_count         INTEGER NOT NULL,
  first_read_at           TEXT NOT NULL,
  last_read_at            TEXT NOT NULL
);

-- Every MISP attribute seen, and whether it became indicators.
CREATE TABLE attributes (
  attribute_uuid  TEXT PRIMARY KEY,
  event_uuid      TEXT NOT NULL,
  misp_type       TEXT NOT NULL,
  category        TEXT,
  value           TEXT NOT NULL,
  to_ids          INTEGER NOT NULL,
  deleted         INTEGER NOT NULL,
  object_name     TEXT,            -- MISP object it sits in, if any
  timestamp_epoch INTEGER NOT NULL,
  outcome         TEXT NOT NULL CHECK (outcome IN ('indicator', 'skipped')),
  skip_reason     TEXT,            -- why it gave no indicator
  content_hash    TEXT NOT NULL,   -- SHA-256 of the fields that matter
  last_read_at    TEXT NOT NULL
);
CREATE INDEX attributes_by_event ON attributes (event_uuid);

-- One row per STIX indicator this tool owns in Sentinel.
CREATE TABLE indicators (
  indicator_id    TEXT PRIMARY KEY,  -- STIX id, deterministic
  attribute_uuid  TEXT NOT NULL,
  component       TEXT NOT NULL,     -- '' or e.g. 'ip' for domain|ip
  generation      INTEGER NOT NULL,  -- grows when a revoked one returns
  event_uuid      TEXT NOT NULL,
  misp_type       TEXT NOT NULL,
  observable_type TEXT NOT NULL,
  value           TEXT NOT NULL,
  pattern         TEXT NOT NULL,
  content_hash    TEXT NOT NULL,     -- of the version that should be there
  state           TEXT NOT NULL
                  CHECK (state IN ('pending', 'active', 'rejected',
                                   'revoked')),
  created         TEXT NOT NULL,     -- STIX created; never changes
  modified        TEXT NOT NULL,     -- STIX modified of the newest version
  valid_from      TEXT NOT NULL,
  valid_until     TEXT,
  sent_hash       TEXT,              -- content hash Sentinel last accepted
  sent_at         TEXT,
  rejection       TEXT,              -- Sentinel's message, when rejected
  first_seen_at   TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX indicators_by_attribute
  ON indicators (attribute_uuid, component, generation);
CREATE INDEX indicators_by_event ON indicators (event_uuid);
CREATE INDEX indicators_by_state ON indicators (state);

-- What must reach Sentinel. A row leaves only when Sentinel accepted or
-- definitively rejected it.
CREATE TABLE outbox (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  indicator_id TEXT NOT NULL UNIQUE REFERENCES indicators (indicator_id),
  action       TEXT NOT NULL CHECK (action IN ('upload', 'revoke',
                                               'refresh')),
  stix_object  TEXT NOT NULL,   -- the JSON sent, exactly
  content_hash TEXT NOT NULL,
  queued_at    TEXT NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT
);

-- One row per run, with its counts.
CREATE TABLE runs (
  run_id               INTEGER PRIMARY KEY AUTOINCREMENT,
  mode                 TEXT NOT NULL,  -- 'delta' or 'full'
  started_at           TEXT NOT NULL,
  finished_at          TEXT,
  outcome              TEXT NOT NULL DEFAULT 'running'
                       CHECK (outcome IN ('running', 'ok', 'some_rejected',
                                          'failed', 'interrupted')),
  cursor_from_epoch    INTEGER,
  cursor_to_epoch      INTEGER,
  events_read          INTEGER NOT NULL DEFAULT 0,
  attributes_read      INTEGER NOT NULL DEFAULT 0,
  indicators_new       INTEGER NOT NULL DEFAULT 0,
  indicators_changed   INTEGER NOT NULL DEFAULT 0,
  indicators_unchanged INTEGER NOT NULL DEFAULT 0,
  indicators_revoked   INTEGER NOT NULL DEFAULT 0,
  attributes_skipped   INTEGER NOT NULL DEFAULT 0,
  objects_sent         INTEGER NOT NULL DEFAULT 0,
  objects_rejected     INTEGER NOT NULL DEFAULT 0,
  requests             INTEGER NOT NULL DEFAULT 0,
  throttled            INTEGER NOT NULL DEFAULT 0,
  error                TEXT
);

-- Attributes skipped per reason, per run.
CREATE TABLE run_skips (
  run_id INTEGER NOT NULL REFERENCES runs (run_id),
  reason TEXT NOT NULL,
  count  INTEGER NOT NULL,
  PRIMARY KEY (run_id, reason)
);

-- --- Views for people reading the store with sqlite3 ---

CREATE VIEW pending AS
  SELECT o.seq, o.action, i.indicator_id, i.observable_type, i.value,
         i.event_uuid, o.queued_at, o.attempts, o.last_error
  FROM outbox o JOIN indicators i USING (indicator_id)
  ORDER BY o.seq;

CREATE VIEW rejected AS
  SELECT indicator_id, observable_type, value, event_uuid, rejection,
         updated_at
  FROM indicators WHERE state = 'rejected';

CREATE VIEW active_by_type AS
  SELECT observable_type, count(*) AS active
  FROM indicators WHERE state = 'active'
  GROUP BY observable_type ORDER BY active DESC;

CREATE VIEW recent_runs AS
  SELECT run_id, mode, started_at, finished_at, outcome, events_read,
         indicators_new, indicators_changed, indicators_unchanged,
         indicators_revoked, attributes_skipped, objects_sent,
         objects_rejected, error
  FROM runs ORDER BY run_id DESC LIMIT 20;

CREATE VIEW event_summary AS
  SELECT e.event_uuid, e.info, e.org_name,
         count(i.indicator_id) AS indicators,
         sum(i.state = 'active') AS active,
         sum(i.state = 'rejected') AS rejected,
         sum(i.state = 'revoked') AS revoked,
         e.last_read_at
  FROM events e LEFT JOIN indicators i USING (event_uuid)
  GROUP BY e.event_uuid ORDER BY indicators DESC;
