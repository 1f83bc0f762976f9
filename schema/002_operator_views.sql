-- misp2sentinel store, version 2: more views for people reading the store
-- with sqlite3 (README "Inspecting the store" asks its questions of these).
-- Views only: no table changes. They name columns of schema 1 alone, so
-- later migrations that add columns leave them valid.

-- What became of each MISP attribute: skipped (and why), or the indicators
-- it gave and where each stands with Sentinel. One row per attribute and
-- indicator; NULL indicator columns for a skipped attribute.
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
  LEFT JOIN indicators i ON i.attribute_uuid = a.attribute_uuid
  LEFT JOIN outbox o ON o.indicator_id = i.indicator_id;

-- Why attributes gave no indicator, over the whole store (run_skips has
-- the same per run).
CREATE VIEW skip_reasons AS
  SELECT skip_reason AS reason, count(*) AS attributes
  FROM attributes WHERE outcome = 'skipped'
  GROUP BY skip_reason ORDER BY attributes DESC, reason;

-- Each indicator with the run that last sent it (accepted or revoked):
-- its sent_at falls between the run's start and end.
CREATE VIEW sent_by_run AS
  SELECT r.run_id, r.mode AS run_mode, r.started_at AS run_started_at,
         i.sent_at, i.indicator_id, i.observable_type, i.value, i.state,
         i.event_uuid
  FROM indicators i
  JOIN runs r
    ON i.sent_at >= r.started_at
   AND i.sent_at <= coalesce(r.finished_at, '9999-12-31T23:59:59.999Z')
  ORDER BY r.run_id, i.sent_at;

-- Active indicators by expiry, soonest first. Runs send them again before
-- they expire ([indicators] refresh_before_days).
CREATE VIEW expiring AS
  SELECT indicator_id, observable_type, value, valid_until,
         round(julianday(valid_until) - julianday('now'), 1) AS days_left,
         sent_at, event_uuid
  FROM indicators
  WHERE state = 'active' AND valid_until IS NOT NULL
  ORDER BY valid_until;

-- Where the next delta run asks MISP from, as UTC time.
CREATE VIEW sync_position AS
  SELECT field,
         strftime('%Y-%m-%dT%H:%M:%SZ', position_epoch, 'unixepoch')
           AS position,
         position_epoch, updated_at
  FROM sync_cursor;
