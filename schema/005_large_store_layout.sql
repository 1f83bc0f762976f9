-- misp2sentinel store, version 5: a layout that stays fast with millions
-- of indicators (README "Performance").
--
-- A table keyed by a random uuid scatters its writes: each new row lands
-- on another page, and each commit rewrites every page it touched. So:
-- - attributes are kept in event order (keyed by event, then attribute),
--   so that an event's attributes sit together and are read together;
-- - indicators get an integer key in the order they were first seen, and
--   only a short prefix of the attribute uuid is indexed (enough to find
--   an attribute that moved between events); there is no index on
--   indicator_id, which is derived from the attribute uuid;
-- - the outbox refers to its indicator by that key;
-- - events remember what the last read of them hashed to, so that a run
--   can tell an unchanged event without converting it again.
-- Columns keep their names and meaning; the views are the same, joined on
-- the new keys. CHECKs spell their choices out with OR: SQLite builds a
-- temporary table for an IN (...) list on every row it checks, which cost
-- a first sync a sixth of its instructions.

DROP VIEW pending;
DROP VIEW rejected;
DROP VIEW active_by_type;
DROP VIEW event_summary;
DROP VIEW attribute_status;
DROP VIEW skip_reasons;
DROP VIEW sent_by_run;
DROP VIEW expiring;

-- --- events: what the last read of each event amounted to ---
-- input_hash: SHA-256 of everything the last read converted (the event,
-- its attributes and the settings that shape the indicators); NULL when
-- the next read must convert the event again. indicator_count and
-- skip_counts repeat that read's counts for runs that skip the event;
-- indicator_rows is how many indicator rows that read left, which a run
-- checks before it trusts the rest.
ALTER TABLE events ADD COLUMN input_hash TEXT;
ALTER TABLE events ADD COLUMN indicator_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN indicator_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN skip_counts TEXT;  -- JSON: reason -> count

-- Events a run read but did not convert: the same as at their last read.
ALTER TABLE runs ADD COLUMN events_unchanged INTEGER NOT NULL DEFAULT 0;

-- --- attributes, in event order ---
CREATE TABLE attributes_v5 (
  event_uuid      TEXT NOT NULL,
  attribute_uuid  TEXT NOT NULL,
  misp_type       TEXT NOT NULL,
  category        TEXT,
  value           TEXT NOT NULL,
  to_ids          INTEGER NOT NULL,
  deleted         INTEGER NOT NULL,
  object_name     TEXT,            -- MISP object it sits in, if any
  timestamp_epoch INTEGER NOT NULL,
  outcome         TEXT NOT NULL
                  CHECK (outcome = 'indicator' OR outcome = 'skipped'),
  skip_reason     TEXT,            -- why it gave no indicator
  content_hash    TEXT NOT NULL,   -- SHA-256 of the fields that matter
  last_read_at    TEXT NOT NULL,   -- when this row last changed
  PRIMARY KEY (event_uuid, attribute_uuid)
) WITHOUT ROWID;
INSERT INTO attributes_v5
  SELECT event_uuid, attribute_uuid, misp_type, category, value, to_ids,
         deleted, object_name, timestamp_epoch, outcome, skip_reason,
         content_hash, last_read_at
  FROM attributes;
DROP TABLE attributes;
ALTER TABLE attributes_v5 RENAME TO attributes;

-- --- indicators, keyed in the order they were first seen ---
CREATE TABLE indicators_v5 (
  indicator_key   INTEGER PRIMARY KEY,
  indicator_id    TEXT NOT NULL,     -- STIX id, deterministic
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
                  CHECK (state = 'pending' OR state = 'active'
                         OR state = 'rejected' OR state = 'revoked'),
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
INSERT INTO indicators_v5 (indicator_id, attribute_uuid, component,
                           generation, event_uuid, misp_type,
                           observable_type, value, pattern, content_hash,
                           state, created, modified, valid_from, valid_until,
                           sent_hash, sent_at, rejection, first_seen_at,
                           updated_at)
  SELECT indicator_id, attribute_uuid, component, generation, event_uuid,
         misp_type, observable_type, value, pattern, content_hash, state,
         created, modified, valid_from, valid_until, sent_hash, sent_at,
         rejection, first_seen_at, updated_at
  FROM indicators ORDER BY event_uuid, rowid;

-- --- the outbox, by indicator key ---
-- seq without AUTOINCREMENT: keeping sqlite_sequence up to date was a
-- second write per queued version; a seq may come again once the outbox
-- is empty, which nothing relies on.
CREATE TABLE outbox_v5 (
  seq           INTEGER PRIMARY KEY,
  indicator_key INTEGER NOT NULL UNIQUE,  -- indicators.indicator_key
  indicator_id  TEXT NOT NULL,            -- the same indicator's STIX id
  action        TEXT NOT NULL
                CHECK (action = 'upload' OR action = 'revoke'
                       OR action = 'refresh'),
  stix_object   TEXT NOT NULL,   -- the JSON sent, exactly
  content_hash  TEXT NOT NULL,
  queued_at     TEXT NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT
);
INSERT INTO outbox_v5 (seq, indicator_key, indicator_id, action,
                       stix_object, content_hash, queued_at, attempts,
                       last_error)
  SELECT o.seq, i.indicator_key, o.indicator_id, o.action, o.stix_object,
         o.content_hash, o.queued_at, o.attempts, o.last_error
  FROM outbox o JOIN indicators_v5 i USING (indicator_id);
DROP TABLE outbox;
DROP TABLE indicators;
ALTER TABLE indicators_v5 RENAME TO indicators;
ALTER TABLE outbox_v5 RENAME TO outbox;

CREATE INDEX indicators_by_event ON indicators (event_uuid);
-- What the expiry refresh asks for, and only that: an upload accepted adds
-- one entry, where an index on (state, valid_until) moved one.
CREATE INDEX indicators_by_expiry ON indicators (valid_until)
  WHERE state = 'active';
-- Eight hex digits tell almost every attribute uuid apart in a third of
-- the size of the whole uuid; lookups compare the whole uuid after it.
CREATE INDEX indicators_by_attribute
  ON indicators (substr(attribute_uuid, 1, 8));

-- --- the views of versions 1 and 2, on the new keys ---

CREATE VIEW pending AS
  SELECT o.seq, o.action, i.indicator_id, i.observable_type, i.value,
         i.event_uuid, o.queued_at, o.attempts, o.last_error
  FROM outbox o JOIN indicators i USING (indicator_key)
  ORDER BY o.seq;

CREATE VIEW rejected AS
  SELECT indicator_id, observable_type, value, event_uuid, rejection,
         updated_at
  FROM indicators WHERE state = 'rejected';

CREATE VIEW active_by_type AS
  SELECT observable_type, count(*) AS active
  FROM indicators WHERE state = 'active'
  GROUP BY observable_type ORDER BY active DESC;

CREATE VIEW event_summary AS
  SELECT e.event_uuid, e.info, e.org_name,
         count(i.indicator_id) AS indicators,
         sum(i.state = 'active') AS active,
         sum(i.state = 'rejected') AS rejected,
         sum(i.state = 'revoked') AS revoked,
         e.last_read_at
  FROM events e LEFT JOIN indicators i USING (event_uuid)
  GROUP BY e.event_uuid ORDER BY indicators DESC;

CREATE VIEW attribute_status AS
  SELECT a.value, a.misp_type, a.category, a.to_ids, a.deleted,
         a.outcome, a.skip_reason,
         i.indicator_id, i.observable_type, i.state, i.rejection,
         i.sent_at, i.valid_until,
         o.action AS queued_action, o.attempts AS queued_attempts,
         o.last_error AS queued_error,
         e.info AS event_info, a.event_uuid, a.attribute_uuid,
         a.last_read_at
  FROM attributes a
  LEFT JOIN events e ON e.event_uuid = a.event_uuid
  LEFT JOIN indicators i ON i.event_uuid = a.event_uuid
                        AND i.attribute_uuid = a.attribute_uuid
  LEFT JOIN outbox o ON o.indicator_key = i.indicator_key;

CREATE VIEW skip_reasons AS
  SELECT skip_reason AS reason, count(*) AS attributes
  FROM attributes WHERE outcome = 'skipped'
  GROUP BY skip_reason ORDER BY attributes DESC, reason;

CREATE VIEW sent_by_run AS
  SELECT r.run_id, r.mode AS run_mode, r.started_at AS run_started_at,
         i.sent_at, i.indicator_id, i.observable_type, i.value, i.state,
         i.event_uuid
  FROM indicators i
  JOIN runs r
    ON i.sent_at >= r.started_at
   AND i.sent_at <= coalesce(r.finished_at, '9999-12-31T23:59:59.999Z')
  ORDER BY r.run_id, i.sent_at;

CREATE VIEW expiring AS
  SELECT indicator_id, observable_type, value, valid_until,
         round(julianday(valid_until) - julianday('now'), 1) AS days_left,
         sent_at, event_uuid
  FROM indicators
  WHERE state = 'active' AND valid_until IS NOT NULL
  ORDER BY valid_until;
