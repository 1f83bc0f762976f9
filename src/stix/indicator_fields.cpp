#include "indicator_fields.hpp"

#include "misp2sentinel/util/hash.hpp"
#include "misp2sentinel/util/time.hpp"
#include "pattern.hpp"
#include "tag_mapping.hpp"
#include "text.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace m2s::stix {

namespace {

boost::json::array to_json_array(const std::vector<std::string>& items) {
  boost::json::array array;
  for (const std::string& item : items) {
    array.emplace_back(item);
  }
  return array;
}

boost::json::array kill_chain_array(const std::vector<std::string>& phases) {
  boost::json::array array;
  for (const std::string& phase : phases) {
    boost::json::object entry;
    entry["kill_chain_name"] = "lockheed-martin-cyber-kill-chain";
    entry["phase_name"] = phase;
    array.emplace_back(std::move(entry));
  }
  return array;
}

boost::json::array external_references(const MispEvent& event,
                                       const std::string& name,
                                       std::string_view misp_url) {
  boost::json::object reference;
  reference["source_name"] = "MISP";
  reference["description"] =
      event.info.empty() ? name : "MISP event " + event.info;
  reference["external_id"] = event.uuid;

  while (misp_url.ends_with('/')) {
    misp_url.remove_suffix(1);
  }
  if (!misp_url.empty()) {
    reference["url"] = std::string(misp_url) + "/events/view/" + event.uuid;
  }
  return boost::json::array{std::move(reference)};
}

// First seen when MISP has a usable one, else when the attribute (or, for
// old data without attribute timestamps, the event) last changed.
std::int64_t valid_from_ms(const MispEvent& event,
                           const MispAttribute& attribute) {
  if (attribute.first_seen) {
    if (const auto first_seen = parse_iso8601_ms(*attribute.first_seen)) {
      return *first_seen;
    }
  }
  const std::int64_t seconds =
      attribute.timestamp > 0 ? attribute.timestamp : event.timestamp;
  return seconds * 1000;
}

// MISP's last_seen, when it parses and is not before valid_from: MISP
// lets both be edited freely, and a last sighting before the first says
// nothing usable.
std::optional<std::int64_t> last_seen_epoch(const MispAttribute& attribute,
                                            std::int64_t valid_from_epoch) {
  if (!attribute.last_seen) {
    return std::nullopt;
  }
  const auto last_seen_ms = parse_iso8601_ms(*attribute.last_seen);
  if (!last_seen_ms) {
    return std::nullopt;
  }
  const std::int64_t seconds = std::chrono::floor<std::chrono::seconds>(
                                   std::chrono::milliseconds{*last_seen_ms})
                                   .count();
  if (seconds < valid_from_epoch) {
    return std::nullopt;
  }
  return seconds;
}

std::string description(const EventContext& context,
                        const MispAttribute& attribute,
                        std::string_view detail) {
  std::string text;
  const auto add = [&text](std::string_view part) {
    if (!text.empty()) {
      text += "; ";
    }
    text += part;
  };

  const std::string_view comment = trim_ascii(attribute.comment);
  if (!comment.empty()) {
    add(comment);
  }
  if (!detail.empty()) {
    add(detail);
  }
  if (!attribute.object_name.empty()) {
    std::string object = "object " + attribute.object_name;
    if (!attribute.object_relation.empty()) {
      object += ", relation " + attribute.object_relation;
    }
    add(object);
  }
  const MispEvent& event = *context.event;
  add(event.info.empty() ? context.name : "MISP event: " + event.info);
  return text;
}

// Labels for the object an attribute sits in, in misp-stix's spelling for
// the object name and meta-category, so that Sentinel users can filter on
// them as they would on misp-stix output.
std::vector<std::string> object_labels(const MispAttribute& attribute) {
  std::vector<std::string> labels;
  if (attribute.object_name.empty()) {
    return labels;
  }
  labels.push_back("misp:name=\"" + attribute.object_name + "\"");
  if (!attribute.object_meta_category.empty()) {
    labels.push_back("misp:meta-category=\"" + attribute.object_meta_category
                     + "\"");
  }
  if (!attribute.object_relation.empty()) {
    labels.push_back("misp:object-relation=\"" + attribute.object_relation
                     + "\"");
  }
  return labels;
}

std::vector<MispTag> counted_tags(const std::vector<MispTag>& tags,
                                  const ConversionOptions& options) {
  return options.ignore_local_tags ? without_local_tags(tags) : tags;
}

} // namespace

EventContext make_event_context(const MispEvent& event,
                                const ConversionOptions& options) {
  EventContext context;
  context.event = &event;
  context.options = &options;
  context.name = event.info.empty() ? "MISP event " + event.uuid : event.info;
  context.tags = counted_tags(event.tags, options);
  context.confidence = confidence_from_tags(context.tags);
  // Every TLP tag counts, local ones too: a marking only ever restricts.
  context.marking = marking_from_tags(event.tags);
  if (!context.marking) {
    context.marking = tlp_marking_definition(options.default_tlp);
  }
  context.threat_types = threat_types_from_tags(context.tags);
  context.kill_chain_phases = kill_chain_phases_from_tags(context.tags);
  if (is_canonical_uuid(event.orgc_uuid)) {
    context.created_by_ref = "identity--" + to_lower_ascii(event.orgc_uuid);
  }
  context.external_references =
      external_references(event, context.name, options.misp_url);
  return context;
}

IndicatorDraft make_draft(const EventContext& context,
                          const MispAttribute& attribute,
                          std::string_view component,
                          Observable observable,
                          std::string_view detail) {
  const MispEvent& event = *context.event;
  const ConversionOptions& options = *context.options;
  const std::vector<MispTag> tags = counted_tags(attribute.tags, options);
  IndicatorDraft draft;
  draft.attribute_uuid = attribute.uuid;
  draft.component = std::string(component);
  draft.event_uuid = event.uuid;
  draft.misp_type = attribute.type;
  draft.observable_type = observable.type;
  draft.pattern = build_pattern(observable);
  draft.value = std::move(observable.value);
  draft.attribute_timestamp = attribute.timestamp;

  const std::int64_t valid_from = valid_from_ms(event, attribute);
  draft.valid_from_epoch = std::chrono::floor<std::chrono::seconds>(
                               std::chrono::milliseconds{valid_from})
                               .count();
  draft.last_seen_epoch = last_seen_epoch(attribute, draft.valid_from_epoch);

  boost::json::object& stix = draft.stix;
  stix["type"] = "indicator";
  stix["spec_version"] = "2.1";
  stix["pattern"] = draft.pattern;
  stix["pattern_type"] = "stix";
  stix["pattern_version"] = "2.1";
  stix["valid_from"] = format_utc_ms(valid_from);
  stix["name"] = context.name;
  stix["description"] = description(context, attribute, detail);

  auto threat_types = threat_types_from_tags(tags);
  if (threat_types.empty()) {
    threat_types = context.threat_types;
  }
  if (!threat_types.empty()) {
    stix["indicator_types"] = to_json_array(threat_types);
  }

  auto phases = kill_chain_phases_from_tags(tags);
  if (phases.empty()) {
    phases = context.kill_chain_phases;
  }
  if (!phases.empty()) {
    stix["kill_chain_phases"] = kill_chain_array(phases);
  }

  stix["confidence"] = confidence_from_tags(tags).value_or(
      context.confidence.value_or(options.default_confidence));

  std::vector<std::string> labels = object_labels(attribute);
  for (std::string& label :
       labels_from_tags(tags, context.tags, options.allowed_tag_prefixes)) {
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) {
      labels.push_back(std::move(label));
    }
  }
  if (!labels.empty()) {
    stix["labels"] = to_json_array(labels);
  }

  auto marking = marking_from_tags(attribute.tags);
  if (!marking) {
    marking = context.marking;
  }
  if (marking) {
    stix["object_marking_refs"] = boost::json::array{*marking};
  }

  if (context.created_by_ref) {
    stix["created_by_ref"] = *context.created_by_ref;
  }
  stix["external_references"] = context.external_references;
  return draft;
}

} // namespace m2s::stix
