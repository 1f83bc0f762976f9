#include "event_diff.hpp"

#include "scope.hpp"
#include "misp2sentinel/stix/conversion.hpp"
#include "misp2sentinel/util/hash.hpp"
#include "misp2sentinel/util/time.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <utility>

namespace m2s {

namespace {

using IndicatorKey = std::pair<std::string, std::string>; // uuid, component

// The fields of an attribute that can change what it yields. A stored
// hash that matches means the attribute row needs no write.
std::string attribute_hash(const MispAttribute& a) {
  std::string text = fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}",
                                 a.type,
                                 a.category,
                                 a.value,
                                 a.comment,
                                 a.to_ids ? 1 : 0,
                                 a.deleted ? 1 : 0,
                                 a.timestamp);
  text += fmt::format("\x1f{}\x1f{}\x1f{}\x1f{}",
                      a.first_seen.value_or(""),
                      a.last_seen.value_or(""),
                      a.object_name,
                      a.object_relation);
  for (const MispTag& tag : a.tags) {
    text += fmt::format("\x1e{}{}", tag.local ? "L:" : "", tag.name);
  }
  return sha256_hex(text);
}

// STIX `modified` must grow with every version, even when two versions are
// made within the same millisecond or the clock stepped back.
std::string next_modified(const std::string& previous, std::int64_t now_ms) {
  std::int64_t modified = now_ms;
  if (const auto before = parse_iso8601_ms(previous)) {
    modified = std::max(modified, *before + 1);
  }
  return format_utc_ms(modified);
}

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

// Queue the revocation of `row` (its newest generation), or just mark it
// revoked when it never reached Sentinel.
void revoke_indicator(Store& store, IndicatorRow row, std::int64_t now_ms) {
  row.modified = next_modified(row.modified, now_ms);
  if (row.sent_hash.empty()) {
    row.state = IndicatorState::revoked;
    store.upsert_indicator(row);
    store.drop_from_outbox(row.indicator_id);
    return;
  }

  row.state = IndicatorState::pending;
  row.content_hash = "revoked";
  store.upsert_indicator(row);

  OutboxItem item;
  item.indicator_id = row.indicator_id;
  item.action = OutboxAction::revoke;
  item.stix_object =
      boost::json::serialize(revocation_object(row, row.modified));
  item.content_hash = row.content_hash;
  store.enqueue(item);
}

// The newest generation of each attribute component of `event_uuid`.
std::map<IndicatorKey, IndicatorRow> newest_indicators(
    Store& store, const std::string& event_uuid) {
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

class EventDiff {
public:
  EventDiff(Store& store, const Config& config, const MispEvent& event,
            std::int64_t now_ms, const DiffOptions& options,
            RunCounts& counts)
      : m_store(store),
        m_config(config),
        m_event(event),
        m_now_ms(now_ms),
        m_options(options),
        m_counts(counts) {}

  void apply() {
    if (m_store.operator_revoked(m_event.uuid)) {
      ++m_counts.skips_by_reason["event revoked by operator"];
      return;
    }

    m_stored = newest_indicators(m_store, m_event.uuid);
    if (!event_in_scope(m_event, m_config.misp.filters)) {
      leave_scope();
      return;
    }

    const EventConversion conversion =
        convert_event(m_event, make_conversion_options(m_config));
    find_other_owners(conversion);
    record_event();
    record_attributes(conversion);

    for (const IndicatorDraft& draft : conversion.indicators) {
      apply_draft(draft);
    }
    revoke_gone();
  }

private:
  // A changed event that no longer matches [misp.filters] (a tag removed,
  // a not_tags tag added): what it had in Sentinel is revoked. One never
  // seen before is simply not recorded.
  void leave_scope() {
    bool revoked_any = false;
    for (auto& [key, row] : m_stored) {
      if (row.state != IndicatorState::revoked) {
        revoke_indicator(m_store, row, m_now_ms);
        ++m_counts.indicators_revoked;
        revoked_any = true;
      }
    }
    if (revoked_any) {
      ++m_counts.events_removed;
      record_event();
    }
  }

  // An attribute uuid that another event already holds a live indicator
  // for (a copy between instances, a hand-edited feed): the first event
  // keeps it, so the two do not take it from each other on every run.
  // Once that event's indicator is revoked (the event deleted or out of
  // scope), the next read of this one carries the lineage on.
  void find_other_owners(const EventConversion& conversion) {
    for (const IndicatorDraft& draft : conversion.indicators) {
      const IndicatorKey key{draft.attribute_uuid, draft.component};
      if (m_stored.count(key) != 0 || m_elsewhere.count(key) != 0) {
        continue;
      }
      auto row =
          m_store.latest_indicator(draft.attribute_uuid, draft.component);
      if (row && row->event_uuid != m_event.uuid
          && row->state != IndicatorState::revoked) {
        m_owned_elsewhere.insert(draft.attribute_uuid);
      }
      m_elsewhere.emplace(key, std::move(row));
    }
  }

  void record_event() {
    EventRow row;
    row.event_uuid = m_event.uuid;
    row.misp_event_id = m_event.id;
    row.info = m_event.info;
    row.org_name = m_event.orgc_name;
    row.published = m_event.published;
    row.timestamp_epoch = m_event.timestamp;
    row.publish_timestamp_epoch = m_event.publish_timestamp;
    row.attribute_count =
        static_cast<std::int64_t>(m_event.attributes.size());
    m_store.upsert_event(row);
  }

  void record_attributes(const EventConversion& conversion) {
    std::map<std::string, std::string> skip_reasons;
    for (const SkippedAttribute& skip : conversion.skipped) {
      skip_reasons.emplace(skip.attribute_uuid, skip.reason);
      ++m_counts.attributes_skipped;
      ++m_counts.skips_by_reason[skip.reason];
    }
    std::set<std::string> with_indicators;
    for (const IndicatorDraft& draft : conversion.indicators) {
      with_indicators.insert(draft.attribute_uuid);
    }

    const auto stored = m_store.attribute_hashes(m_event.uuid);
    for (const MispAttribute& a : m_event.attributes) {
      ++m_counts.attributes_read;
      if (a.uuid.empty()) {
        continue; // nothing to key it by; the skip is counted above
      }

      if (m_owned_elsewhere.count(a.uuid) != 0) {
        // The owner's row stays; counted once per attribute here.
        ++m_counts.attributes_skipped;
        ++m_counts.skips_by_reason["duplicate attribute uuid"];
        continue;
      }

      AttributeRow row;
      row.content_hash = attribute_hash(a);
      const auto it = stored.find(a.uuid);
      if (it != stored.end() && it->second == row.content_hash) {
        continue;
      }

      row.attribute_uuid = a.uuid;
      row.event_uuid = m_event.uuid;
      row.misp_type = a.type;
      row.category = a.category;
      row.value = a.value;
      row.to_ids = a.to_ids;
      row.deleted = a.deleted;
      row.object_name = a.object_name;
      row.timestamp_epoch = a.timestamp;
      if (with_indicators.count(a.uuid) == 0) {
        const auto reason = skip_reasons.find(a.uuid);
        row.skip_reason =
            reason == skip_reasons.end() ? "no indicator" : reason->second;
      }
      m_store.upsert_attribute(row);
    }
  }

  void apply_draft(const IndicatorDraft& draft) {
    const IndicatorKey key{draft.attribute_uuid, draft.component};
    if (m_owned_elsewhere.count(draft.attribute_uuid) != 0) {
      return;
    }
    if (!m_produced.insert(key).second) {
      // The same uuid twice in one event: broken data; the first wins.
      ++m_counts.attributes_skipped;
      ++m_counts.skips_by_reason["duplicate attribute uuid"];
      return;
    }

    const std::string hash = sha256_hex(
        boost::json::serialize(draft.stix) + "\x1f"
        + indicator_expiry_fingerprint(draft, m_config.indicators));

    const auto stored = m_stored.find(key);
    const IndicatorRow* previous =
        stored == m_stored.end() ? nullptr : &stored->second;
    if (previous == nullptr) {
      // The attribute may have moved from another event (broken data or a
      // re-import under a new event uuid): continue its lineage.
      const auto elsewhere = m_elsewhere.find(key);
      if (elsewhere != m_elsewhere.end() && elsewhere->second) {
        previous = &*elsewhere->second;
      }
    }

    if (previous != nullptr && previous->state != IndicatorState::revoked
        && previous->content_hash == hash) {
      if (due_for_refresh(*previous)) {
        queue_version(draft, hash, previous, OutboxAction::refresh);
        return;
      }
      ++m_counts.indicators_unchanged;
      return;
    }
    queue_version(draft, hash, previous, OutboxAction::upload);
  }

  // With valid_until counted from the upload, an unchanged indicator would
  // expire in Sentinel while MISP still holds it.
  // --full --resend also retries what Sentinel rejected: it is how a
  // setting that made Sentinel refuse good records is recovered from.
  bool due_for_refresh(const IndicatorRow& row) const {
    if (m_options.resend) {
      return row.state == IndicatorState::active
             || row.state == IndicatorState::rejected;
    }
    if (row.state != IndicatorState::active) {
      return false;
    }
    return !m_options.refresh_before.empty()
           && row.valid_until < m_options.refresh_before;
  }

  void queue_version(const IndicatorDraft& draft, const std::string& hash,
                     const IndicatorRow* previous, OutboxAction action) {
    // Revocation is permanent in STIX: a comeback needs a new id.
    const bool continues =
        previous != nullptr && previous->state != IndicatorState::revoked;
    const int generation =
        previous == nullptr ? 0
                            : previous->generation + (continues ? 0 : 1);

    const std::int64_t valid_from_ms = draft.valid_from_epoch * 1000;
    const std::int64_t until_ms =
        indicator_valid_until_ms(draft, m_config.indicators, m_now_ms);
    if (until_ms <= m_now_ms) {
      ++m_counts.attributes_skipped;
      ++m_counts.skips_by_reason["expired"];
      // Not produced after all: a version Sentinel still holds (sent
      // under an earlier expiry policy) is revoked by revoke_gone().
      m_produced.erase(IndicatorKey{draft.attribute_uuid, draft.component});
      return;
    }

    IndicatorLifecycle life;
    life.id = indicator_id(draft.attribute_uuid, draft.component, generation);
    life.created =
        continues ? previous->created : format_utc_ms(m_now_ms);
    life.modified =
        next_modified(continues ? previous->modified : "", m_now_ms);
    life.valid_until = format_utc_ms(until_ms);

    IndicatorRow row;
    row.indicator_id = life.id;
    row.attribute_uuid = draft.attribute_uuid;
    row.component = draft.component;
    row.generation = generation;
    row.event_uuid = m_event.uuid;
    row.misp_type = draft.misp_type;
    row.observable_type = draft.observable_type;
    row.value = draft.value;
    row.pattern = draft.pattern;
    row.content_hash = hash;
    row.state = IndicatorState::pending;
    row.created = life.created;
    row.modified = life.modified;
    row.valid_from = format_utc_ms(valid_from_ms);
    row.valid_until = life.valid_until;
    m_store.upsert_indicator(row);

    OutboxItem item;
    item.indicator_id = life.id;
    item.action = action;
    item.stix_object =
        boost::json::serialize(finalize_indicator(draft, life));
    item.content_hash = hash;
    m_store.enqueue(item);

    if (action == OutboxAction::refresh) {
      ++m_counts.indicators_refreshed;
    } else if (continues) {
      ++m_counts.indicators_changed;
    } else {
      ++m_counts.indicators_new;
    }
  }

  // Indicators the event yielded before and does not yield now: the
  // attribute was deleted, lost to_ids, or changed type or value.
  void revoke_gone() {
    for (auto& [key, row] : m_stored) {
      if (m_produced.count(key) != 0
          || row.state == IndicatorState::revoked) {
        continue;
      }
      revoke_indicator(m_store, row, m_now_ms);
      ++m_counts.indicators_revoked;
    }
  }

  Store& m_store;
  const Config& m_config;
  const MispEvent& m_event;
  std::int64_t m_now_ms;
  const DiffOptions& m_options;
  RunCounts& m_counts;
  std::map<IndicatorKey, IndicatorRow> m_stored;
  std::set<IndicatorKey> m_produced;
  // Newest indicator of each key this event does not hold yet, if any.
  std::map<IndicatorKey, std::optional<IndicatorRow>> m_elsewhere;
  std::set<std::string> m_owned_elsewhere;
};

} // namespace

void apply_event(Store& store, const Config& config, const MispEvent& event,
                 std::int64_t now_ms, const DiffOptions& options,
                 RunCounts& counts) {
  EventDiff(store, config, event, now_ms, options, counts).apply();
}

std::int64_t revoke_event(Store& store, const std::string& event_uuid,
                          std::int64_t now_ms) {
  std::int64_t revoked = 0;
  for (auto& [key, row] : newest_indicators(store, event_uuid)) {
    if (row.state != IndicatorState::revoked) {
      revoke_indicator(store, row, now_ms);
      ++revoked;
    }
  }
  return revoked;
}

} // namespace m2s
