#include "event_diff.hpp"

#include "indicator_versions.hpp"
#include "input_hash.hpp"
#include "misp2sentinel/stix/conversion.hpp"
#include "misp2sentinel/util/hash.hpp"
#include "misp2sentinel/util/time.hpp"
#include "scope.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace m2s {

namespace {

// How many converted attributes between two offers to commit: a clock
// read per attribute would cost more than it saves.
constexpr std::int64_t k_checkpoint_every = 512;

// attributes.skip_reason of an attribute that gave nothing and was not
// skipped for a reason of the converter's.
constexpr const char* k_no_indicator = "no indicator";

class EventDiff {
public:
  EventDiff(Store& store,
            const Config& config,
            const MispEvent& event,
            std::int64_t now_ms,
            const DiffOptions& options,
            RunCounts& counts)
      : m_store(store),
        m_config(config),
        m_event(event),
        m_now_ms(now_ms),
        m_options(options),
        m_counts(counts) {}

  void apply() {
    if (m_store.operator_revoked(m_event.uuid)) {
      // Counted per attribute, as every other skip reason is.
      const auto attributes =
          static_cast<std::int64_t>(m_event.attributes.size());
      if (attributes > 0) {
        m_counts.attributes_read += attributes;
        m_counts.attributes_skipped += attributes;
        m_counts.skips_by_reason["event revoked by operator"] += attributes;
      }
      return;
    }

    m_input_hash = event_input_hash(m_event, m_config);
    if (reuse_last_outcome()) {
      return;
    }

    m_stored = newest_indicator_heads(m_store, m_event.uuid);
    if (!event_in_scope(m_event, m_config.misp.filters)) {
      leave_scope();
      record_outcome();
      return;
    }

    record_event();
    convert_attributes();
    revoke_gone();
    record_outcome();
  }

private:
  // An event read before with the same input converts to what the store
  // already holds: its counts are repeated and nothing else happens. Not
  // for events with indicators due for refresh, nor with --resend, which
  // must re-send unchanged indicators.
  bool reuse_last_outcome() {
    if (!m_options.reuse_outcomes || m_options.resend
        || (m_options.refresh_due != nullptr
            && m_options.refresh_due->count(m_event.uuid) != 0)) {
      return false;
    }
    const std::optional<EventOutcome> last =
        m_store.event_outcome(m_event.uuid);
    if (!last || last->input_hash != m_input_hash) {
      return false;
    }
    // The store must still hold the rows that read left: one deleted by
    // hand sends the event the long way.
    if (m_store.indicator_rows(m_event.uuid) != last->indicator_rows) {
      return false;
    }

    ++m_counts.events_unchanged;
    m_counts.attributes_read +=
        static_cast<std::int64_t>(m_event.attributes.size());
    m_counts.indicators_unchanged += last->indicator_count;
    for (const auto& [reason, count] : last->skips_by_reason) {
      m_counts.attributes_skipped += count;
      m_counts.skips_by_reason[reason] += count;
    }
    m_store.touch_event(m_event.uuid);
    return true;
  }

  // What this read amounted to, for the next read of the same input. An
  // event that yielded to another event's live indicator must be looked
  // at again: that indicator may be revoked by then.
  void record_outcome() {
    if (!m_owned_elsewhere.empty()) {
      m_store.forget_event_outcome(m_event.uuid);
      return;
    }
    EventOutcome outcome;
    outcome.input_hash = m_input_hash;
    outcome.indicator_count = static_cast<std::int64_t>(m_produced.size());
    outcome.indicator_rows = m_store.indicator_rows(m_event.uuid);
    outcome.skips_by_reason = m_event_skips;
    m_store.set_event_outcome(m_event.uuid, outcome);
  }

  void count_skip(const std::string& reason) {
    ++m_counts.attributes_skipped;
    ++m_counts.skips_by_reason[reason];
    ++m_event_skips[reason];
  }

  // One attribute at a time: its indicators are queued before the next
  // attribute is converted, so that a 100,000-attribute event never holds
  // all its drafts at once. An attribute whose input is what it was at
  // its last read is not converted again (an edit of one attribute of a
  // large event converts that attribute, not the event).
  void convert_attributes() {
    const ConversionOptions options = make_conversion_options(m_config);
    const EventConverter converter(m_event, options);
    const AttributeInputHasher hasher(m_event, m_config);
    const auto stored = m_store.stored_attributes(m_event.uuid);
    std::unordered_set<std::string> seen;
    EventConversion conversion;
    for (const MispAttribute& attribute : m_event.attributes) {
      ++m_counts.attributes_read;
      const std::string hash =
          attribute.uuid.empty() ? std::string() : hasher.hash(attribute);
      // A uuid twice in one event: the second is converted, and loses.
      const bool first =
          attribute.uuid.empty() || seen.insert(attribute.uuid).second;
      if (first && reuse_attribute(attribute, hash, stored)) {
        continue;
      }

      ++m_counts.attributes_converted;
      converter.convert(attribute, conversion);
      find_other_owners(conversion);
      m_expired_parts = 0;
      for (const IndicatorDraft& draft : conversion.indicators) {
        apply_draft(draft);
      }
      record_attribute(attribute, hash, conversion, stored);
      if (m_options.checkpoint
          && m_counts.attributes_converted % k_checkpoint_every == 0) {
        m_options.checkpoint();
      }
    }
  }

  // The stored outcome of an attribute whose input hash is unchanged,
  // counted as a conversion would count it. Not when --resend or a refresh
  // wants its indicators sent, nor when that outcome cannot be told from
  // the store alone (a part skipped or expired, no live indicator here).
  bool reuse_attribute(
      const MispAttribute& a,
      const std::string& hash,
      const std::unordered_map<std::string, StoredAttribute>& stored) {
    if (m_options.resend || a.uuid.empty()) {
      return false;
    }
    const auto it = stored.find(a.uuid);
    if (it == stored.end() || it->second.content_hash != hash) {
      return false;
    }
    const StoredAttribute& last = it->second;
    if (!last.gave_indicators) {
      // "no indicator" is the row's word for a conversion that counted
      // no skip.
      if (last.skip_reason != k_no_indicator) {
        count_skip(last.skip_reason);
      }
      return true;
    }
    if (!last.skip_reason.empty()) {
      return false;
    }

    std::vector<IndicatorKey> live;
    for (auto row = m_stored.lower_bound(IndicatorKey{a.uuid, ""});
         row != m_stored.end() && row->first.first == a.uuid;
         ++row) {
      const IndicatorHead& indicator = row->second;
      if (indicator.state == IndicatorState::revoked
          || indicator.content_hash == k_revoked_hash) {
        continue;
      }
      if (due_for_refresh(indicator.state, indicator.valid_until)) {
        return false;
      }
      live.push_back(row->first);
    }
    if (live.empty()) {
      return false;
    }
    for (IndicatorKey& key : live) {
      m_produced.insert(std::move(key));
      ++m_counts.indicators_unchanged;
    }
    return true;
  }

  // A changed event that no longer matches [misp.filters] (a tag removed,
  // a not_tags tag added): what it had in Sentinel is revoked. One never
  // seen before is simply not recorded.
  void leave_scope() {
    bool revoked_any = false;
    for (auto& [key, head] : m_stored) {
      if (head.state != IndicatorState::revoked) {
        revoke_indicator(m_store, m_store.indicator(head.key), m_now_ms);
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
      if (!row) {
        continue;
      }
      if (row->event_uuid != m_event.uuid
          && row->state != IndicatorState::revoked) {
        m_owned_elsewhere.insert(draft.attribute_uuid);
      }
      m_elsewhere.emplace(key, std::move(*row));
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
    row.attribute_count = static_cast<std::int64_t>(m_event.attributes.size());
    m_store.upsert_event(row);
  }

  void record_attribute(
      const MispAttribute& a,
      const std::string& hash,
      const EventConversion& conversion,
      const std::unordered_map<std::string, StoredAttribute>& stored) {
    for (const SkippedAttribute& skip : conversion.skipped) {
      count_skip(skip.reason);
    }
    if (a.uuid.empty()) {
      return; // nothing to key it by; the skip is counted above
    }

    if (m_owned_elsewhere.count(a.uuid) != 0) {
      // The owner's row stays; counted once per attribute here.
      count_skip("duplicate attribute uuid");
      return;
    }

    AttributeRow row;
    row.content_hash = hash;
    row.gave_indicators = !conversion.indicators.empty();
    if (!conversion.skipped.empty()) {
      row.skip_reason = conversion.skipped.front().reason;
    } else if (m_expired_parts > 0) {
      row.skip_reason = "expired";
    } else if (!row.gave_indicators) {
      row.skip_reason = k_no_indicator;
    }
    const auto it = stored.find(a.uuid);
    if (it != stored.end() && it->second.content_hash == row.content_hash
        && it->second.gave_indicators == row.gave_indicators
        && it->second.skip_reason == row.skip_reason) {
      return;
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
    m_store.upsert_attribute(row);
  }

  void apply_draft(const IndicatorDraft& draft) {
    const IndicatorKey key{draft.attribute_uuid, draft.component};
    if (m_owned_elsewhere.count(draft.attribute_uuid) != 0) {
      return;
    }
    if (!m_produced.insert(key).second) {
      // The same uuid twice in one event: broken data; the first wins.
      count_skip("duplicate attribute uuid");
      return;
    }

    m_draft_json = boost::json::serialize(draft.stix);
    const std::string hash =
        sha256_hex(m_draft_json + "\x1f"
                   + indicator_expiry_fingerprint(draft, m_config.indicators));

    // Most indicators of a changed event are unchanged: that is told from
    // the head, and the whole row is read only to queue a new version.
    const IndicatorRow* previous = nullptr;
    std::optional<IndicatorRow> stored_row;
    std::optional<OutboxAction> action;
    const auto stored = m_stored.find(key);
    if (stored != m_stored.end()) {
      action = action_for(&stored->second, hash);
      if (action) {
        stored_row = m_store.indicator(stored->second.key);
        previous = &*stored_row;
      }
    } else {
      // The attribute may have moved from another event (broken data or a
      // re-import under a new event uuid): continue its lineage.
      const auto elsewhere = m_elsewhere.find(key);
      if (elsewhere != m_elsewhere.end()) {
        previous = &elsewhere->second;
      }
      action = action_for(previous, hash);
    }

    if (!action) {
      ++m_counts.indicators_unchanged;
      return;
    }
    queue_version(draft, hash, previous, *action);
  }

  // What a draft with content `hash` needs, given the stored version (an
  // IndicatorHead or IndicatorRow; null: none): nothing when that version
  // is live with this content and not due for refresh.
  template <typename Version>
  std::optional<OutboxAction> action_for(const Version* previous,
                                         const std::string& hash) const {
    if (previous == nullptr || previous->state == IndicatorState::revoked
        || previous->content_hash != hash) {
      return OutboxAction::upload;
    }
    if (due_for_refresh(previous->state, previous->valid_until)) {
      return OutboxAction::refresh;
    }
    return std::nullopt;
  }

  // With valid_until counted from the upload, an unchanged indicator would
  // expire in Sentinel while MISP still holds it.
  // --full --resend also retries what Sentinel rejected: it is how a
  // setting that made Sentinel refuse good records is recovered from.
  bool due_for_refresh(IndicatorState state,
                       const std::string& valid_until) const {
    if (m_options.resend) {
      return state == IndicatorState::active
             || state == IndicatorState::rejected;
    }
    if (state != IndicatorState::active) {
      return false;
    }
    return !m_options.refresh_before.empty()
           && valid_until < m_options.refresh_before;
  }

  void queue_version(const IndicatorDraft& draft,
                     const std::string& hash,
                     const IndicatorRow* previous,
                     OutboxAction action) {
    // Revocation is permanent in STIX: a comeback needs a new id.
    const bool continues =
        previous != nullptr && previous->state != IndicatorState::revoked;
    const int generation =
        previous == nullptr ? 0 : previous->generation + (continues ? 0 : 1);

    const std::int64_t valid_from_ms = draft.valid_from_epoch * 1000;
    const std::int64_t until_ms =
        indicator_valid_until_ms(draft, m_config.indicators, m_now_ms);
    if (until_ms <= m_now_ms) {
      count_skip("expired");
      ++m_expired_parts;
      // Not produced after all: a version Sentinel still holds (sent
      // under an earlier expiry policy) is revoked by revoke_gone().
      m_produced.erase(IndicatorKey{draft.attribute_uuid, draft.component});
      return;
    }

    IndicatorLifecycle life;
    life.id = indicator_id(draft.attribute_uuid, draft.component, generation);
    life.created = continues ? previous->created : format_utc_ms(m_now_ms);
    life.modified =
        next_modified(continues ? previous->modified : "", m_now_ms);
    life.valid_until = format_utc_ms(until_ms);

    IndicatorRow row;
    // The same id is the same row; a new generation is a row of its own.
    row.key = continues ? previous->key : 0;
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
    row.key = m_store.upsert_indicator(row);

    OutboxItem item;
    item.indicator_key = row.key;
    item.indicator_id = life.id;
    item.action = action;
    item.stix_object = finalize_indicator_json(draft, m_draft_json, life);
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
    for (auto& [key, head] : m_stored) {
      if (m_produced.count(key) != 0 || head.state == IndicatorState::revoked) {
        continue;
      }
      revoke_indicator(m_store, m_store.indicator(head.key), m_now_ms);
      ++m_counts.indicators_revoked;
    }
  }

  Store& m_store;
  const Config& m_config;
  const MispEvent& m_event;
  std::int64_t m_now_ms;
  const DiffOptions& m_options;
  RunCounts& m_counts;
  std::string m_input_hash;
  // The JSON of the draft apply_draft() is at, made once for its hash and
  // its upload body.
  std::string m_draft_json;
  std::map<IndicatorKey, IndicatorHead> m_stored;
  std::set<IndicatorKey> m_produced;
  // Newest indicator of each key this event does not hold yet, where one
  // exists (in another event, or in an earlier duplicate of this one).
  std::map<IndicatorKey, IndicatorRow> m_elsewhere;
  std::set<std::string> m_owned_elsewhere;
  // This event's skips per reason (m_counts sums them over the run).
  std::map<std::string, std::int64_t> m_event_skips;
  // Parts of the attribute being converted that were already expired.
  int m_expired_parts = 0;
};

} // namespace

void apply_event(Store& store,
                 const Config& config,
                 const MispEvent& event,
                 std::int64_t now_ms,
                 const DiffOptions& options,
                 RunCounts& counts) {
  EventDiff(store, config, event, now_ms, options, counts).apply();
}

std::int64_t
revoke_event(Store& store, const std::string& event_uuid, std::int64_t now_ms) {
  // Should the event come back as it was, it must be converted again.
  store.forget_event_outcome(event_uuid);
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
