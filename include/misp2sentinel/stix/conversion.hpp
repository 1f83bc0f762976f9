#pragma once

// --- MISP event -> STIX 2.1 indicator drafts ---
//
// One draft per observable Sentinel can match on, with a single-comparison
// pattern (Sentinel does not index compound patterns). A draft holds every
// field that depends only on MISP data; the sync engine adds the fields that
// depend on history and time (`id`, `created`, `modified`, `valid_until`,
// `revoked`) with `finalize_indicator`. Attributes that give no indicator are
// reported with a reason, never dropped silently.

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/misp/event.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace m2s {

struct ConversionOptions {
  bool require_to_ids = true;
  int default_confidence = 50;
  std::string default_tlp = "tlp:clear";
  std::string misp_url; // for external_references links to the event
  // Local tags then count for nothing but TLP (a local TLP tag still
  // restricts).
  bool ignore_local_tags = true;
  // Only tags starting with one of these (ignoring ASCII case) become
  // labels; empty: every tag.
  std::vector<std::string> allowed_tag_prefixes;
};

// The options a run with `config` converts with.
[[nodiscard]] ConversionOptions make_conversion_options(const Config& config);

struct IndicatorDraft {
  std::string attribute_uuid;
  // "" for the attribute's primary observable; a name such as "ip" for the
  // second observable of a composite (`domain|ip`). Part of the id.
  std::string component;
  std::string event_uuid;
  std::string misp_type;
  std::string observable_type; // "ipv4-addr", "domain-name", "file", ...
  std::string value;           // the observable value, unescaped
  std::string pattern;         // e.g. [ipv4-addr:value = '203.0.113.7']
  std::int64_t attribute_timestamp = 0;
  // MISP's first_seen when usable, else the attribute's timestamp (the
  // event's for old data without one).
  std::int64_t valid_from_epoch = 0;
  // MISP's last_seen when usable and not before valid_from; with
  // expire_from = "valid_from" the expiry counts from it
  // (indicator_valid_until_ms; README "Other fields, ids and expiry").
  std::optional<std::int64_t> last_seen_epoch;
  // type, spec_version, pattern, pattern_type, pattern_version, valid_from,
  // name, description, indicator_types (when tagged), kill_chain_phases
  // (when tagged), confidence, labels (when any), object_marking_refs (when
  // the TLP is known), created_by_ref (when known), external_references;
  // always in this order.
  boost::json::object stix;
};

struct SkippedAttribute {
  std::string attribute_uuid;
  std::string event_uuid;
  std::string misp_type;
  std::string value;
  // Short and stable, e.g. "unsupported type"; the list is in the README
  // ("Conversion").
  std::string reason;
};

struct EventConversion {
  std::vector<IndicatorDraft> indicators;
  std::vector<SkippedAttribute> skipped;
};

// Convert every attribute of `event`. Never throws for bad attribute data:
// such attributes are skipped with a reason.
[[nodiscard]] EventConversion convert_event(const MispEvent& event,
                                            const ConversionOptions& options);

// Converts an event one attribute at a time, so that a caller can deal
// with each attribute's indicators before the next is made: memory then
// grows with one attribute, not with a 100,000-attribute event. Keeps
// references to `event` and `options`.
class EventConverter {
public:
  EventConverter(const MispEvent& event, const ConversionOptions& options);
  ~EventConverter();
  EventConverter(const EventConverter&) = delete;
  EventConverter& operator=(const EventConverter&) = delete;

  // Replace `out` with what `attribute` (one of the event's) gives.
  void convert(const MispAttribute& attribute, EventConversion& out) const;

private:
  struct Context;
  std::unique_ptr<Context> m_context;
};

// Escape `value` for a STIX pattern string literal: `\` -> `\\`, then
// `'` -> `\'`.
[[nodiscard]] std::string escape_pattern_literal(const std::string& value);

// The STIX marking definition id of a TLP tag ("tlp:clear", "TLP:AMBER",
// "tlp:amber+strict", ...; case-insensitive), or nullopt when `tlp_tag` is
// not one. Lets the config check `default_tlp`.
[[nodiscard]] std::optional<std::string>
tlp_marking_definition(std::string_view tlp_tag);

// The fields that depend on history and time, added by the sync engine.
struct IndicatorLifecycle {
  std::string id; // indicator--<uuid>
  std::string created;
  std::string modified;
  std::string valid_until; // empty: none
  bool revoked = false;
};

// `draft.stix` plus the lifecycle fields, ready to upload.
[[nodiscard]] boost::json::object
finalize_indicator(const IndicatorDraft& draft,
                   const IndicatorLifecycle& lifecycle);

// The JSON text of finalize_indicator(draft, lifecycle), made from
// `draft_json` (boost::json::serialize(draft.stix), which the caller has
// already made for the content hash) without building the object again.
[[nodiscard]] std::string
finalize_indicator_json(const IndicatorDraft& draft,
                        const std::string& draft_json,
                        const IndicatorLifecycle& lifecycle);

// valid_until of `draft` in epoch ms, sent at `now_ms`, under the
// [indicators] expiry policy: `days_to_expire_by_type[observable type]`
// (else `days_to_expire`) days after `now_ms` with expire_from = "now",
// after MISP's last_seen (when usable, see IndicatorDraft) or else
// valid_from with expire_from = "valid_from".
[[nodiscard]] std::int64_t
indicator_valid_until_ms(const IndicatorDraft& draft,
                         const IndicatorConfig& config,
                         std::int64_t now_ms);

// The part of the expiry policy that changes what would be sent for
// `draft`, folded into the content hash so that a policy change (or a new
// last_seen counted from) re-sends the indicators it affects. Never holds
// `now`: a valid_until counted from today changes by itself.
[[nodiscard]] std::string
indicator_expiry_fingerprint(const IndicatorDraft& draft,
                             const IndicatorConfig& config);

// The lifecycle of the first version of `draft` a sync would send at
// `now_ms` (generation 0, created = modified = now), or nullopt when its
// valid_until is not after `now_ms`: an indicator already expired at first
// sight is not sent (counted as skipped, reason "expired").
[[nodiscard]] std::optional<IndicatorLifecycle>
first_lifecycle(const IndicatorDraft& draft,
                const IndicatorConfig& config,
                std::int64_t now_ms);

// The namespace of the derived indicator ids (UUIDv5). Never change it:
// every derived id in every store and workspace depends on it.
inline constexpr std::string_view k_indicator_id_namespace =
    "dfe1561b-196b-464c-b51a-008ff4b13129";

// The deterministic STIX id: the attribute uuid itself (lower-cased) for the
// primary observable of generation 0 (so ids match the original tool's), a
// UUIDv5 of "<lower-cased uuid>|<component>|<generation>" in
// `k_indicator_id_namespace` otherwise.
[[nodiscard]] std::string indicator_id(const std::string& attribute_uuid,
                                       const std::string& component,
                                       int generation);

} // namespace m2s
