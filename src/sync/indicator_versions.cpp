#include "indicator_versions.hpp"

#include "misp2sentinel/util/time.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace m2s {

std::string next_modified(const std::string& previous, std::int64_t now_ms) {
  std::int64_t modified = now_ms;
  if (const auto before = parse_iso8601_ms(previous)) {
    modified = std::max(modified, *before + 1);
  }
  return format_utc_ms(modified);
}

namespace {

// A revocation re-sends the indicator with `revoked: true`. It carries the
// required fields only: a revoked indicator matches nothing, so its labels
// and description no longer matter.
boost::json::object revocation_object(const IndicatorRow& row,
                                      const std::string& modified) {
  boost::json::object o;
  o["type"] = "indicator";
  o["spec_version"] = "2.1";
  o["id"] = row.indicator_id;
  o["created"] = row.created;
  o["modified"] = modified;
  o["pattern"] = row.pattern;
  o["pattern_type"] = "stix";
  o["pattern_version"] = "2.1";
  o["valid_from"] = row.valid_from;
  if (!row.valid_until.empty()) {
    o["valid_until"] = row.valid_until;
  }
  o["revoked"] = true;
  return o;
}

} // namespace

void revoke_indicator(Store& store, IndicatorRow row, std::int64_t now_ms) {
  row.modified = next_modified(row.modified, now_ms);
  if (row.sent_hash.empty()) {
    row.state = IndicatorState::revoked;
    store.upsert_indicator(row);
    store.drop_from_outbox(row.key);
    return;
  }

  row.state = IndicatorState::pending;
  row.content_hash = k_revoked_hash;
  store.upsert_indicator(row);

  OutboxItem item;
  item.indicator_key = row.key;
  item.indicator_id = row.indicator_id;
  item.action = OutboxAction::revoke;
  item.stix_object =
      boost::json::serialize(revocation_object(row, row.modified));
  item.content_hash = row.content_hash;
  store.enqueue(item);
}

std::map<IndicatorKey, IndicatorRow>
newest_indicators(Store& store, const std::string& event_uuid) {
  std::map<IndicatorKey, IndicatorRow> newest;
  for (IndicatorRow& row : store.indicators_for_event(event_uuid)) {
    IndicatorKey key{row.attribute_uuid, row.component};
    auto it = newest.find(key);
    if (it == newest.end() || it->second.generation < row.generation) {
      newest[key] = std::move(row);
    }
  }
  return newest;
}

std::map<IndicatorKey, IndicatorHead>
newest_indicator_heads(Store& store, const std::string& event_uuid) {
  std::map<IndicatorKey, IndicatorHead> newest;
  for (IndicatorHead& head : store.indicator_heads_for_event(event_uuid)) {
    IndicatorKey key{std::move(head.attribute_uuid), std::move(head.component)};
    auto it = newest.find(key);
    if (it == newest.end()) {
      newest.emplace(std::move(key), std::move(head));
    } else if (it->second.generation < head.generation) {
      it->second = std::move(head);
    }
  }
  return newest;
}

} // namespace m2s
