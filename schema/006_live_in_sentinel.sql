-- "active" in the views means live in Sentinel: the version Sentinel last
-- accepted is not a revocation. indicators.state is the state of the
-- newest version, so an indicator whose new version is queued ('pending')
-- or was refused ('rejected') counted as not active although Sentinel
-- still held its earlier version: a Sentinel outage during a resend read
-- as a drop to zero.

DROP VIEW active_by_type;
CREATE VIEW active_by_type AS
  SELECT observable_type, count(*) AS active
  FROM indicators
  WHERE sent_hash IS NOT NULL AND sent_hash <> '' AND sent_hash <> 'revoked'
  GROUP BY observable_type ORDER BY active DESC;

DROP VIEW event_summary;
CREATE VIEW event_summary AS
  SELECT e.event_uuid, e.info, e.org_name,
         count(i.indicator_id) AS indicators,
         coalesce(sum(i.sent_hash IS NOT NULL AND i.sent_hash <> ''
                      AND i.sent_hash <> 'revoked'), 0) AS active,
         sum(i.state = 'rejected') AS rejected,
         sum(i.state = 'revoked') AS revoked,
         e.last_read_at
  FROM events e LEFT JOIN indicators i USING (event_uuid)
  GROUP BY e.event_uuid ORDER BY indicators DESC;
