#include "misp2sentinel/stix/conversion.hpp"

#include "indicator_fields.hpp"
#include "text.hpp"
#include "type_rules.hpp"

#include <utility>

namespace m2s {

namespace {

// The two parts of a composite value, or nullopt unless there is exactly
// one '|'.
std::optional<std::pair<std::string_view, std::string_view>>
split_composite(std::string_view value) {
  const auto bar = value.find('|');
  if (bar == std::string_view::npos
      || value.find('|', bar + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return std::pair{stix::trim_ascii(value.substr(0, bar)),
                   stix::trim_ascii(value.substr(bar + 1))};
}

std::string_view
select_part(stix::ValuePart part,
            std::string_view whole,
            const std::pair<std::string_view, std::string_view>& parts) {
  switch (part) {
  case stix::ValuePart::whole:
    return whole;
  case stix::ValuePart::first:
    return parts.first;
  case stix::ValuePart::second:
    return parts.second;
  }
  return whole;
}

// Why `attribute` gives no indicator at all, or "" when it may give some.
std::string_view rejection(const MispAttribute& attribute,
                           const ConversionOptions& options) {
  // Without a uuid there is no stable id, so no way to update or revoke
  // the indicator later.
  if (attribute.uuid.empty()) {
    return "missing uuid";
  }
  if (attribute.deleted) {
    return "deleted";
  }
  if (options.require_to_ids && !attribute.to_ids) {
    return "to_ids is false";
  }
  if (stix::find_type_rule(attribute.type) == nullptr) {
    return "unsupported type";
  }
  return "";
}

void skip(EventConversion& result,
          const MispEvent& event,
          const MispAttribute& attribute,
          std::string_view reason) {
  result.skipped.push_back(SkippedAttribute{attribute.uuid,
                                            event.uuid,
                                            attribute.type,
                                            attribute.value,
                                            std::string(reason)});
}

// A composite with one bad part still gives its good parts; the attribute
// is then also reported once as "invalid value".
void convert_attribute(const stix::EventContext& context,
                       const MispAttribute& attribute,
                       EventConversion& result) {
  const MispEvent& event = *context.event;
  const std::string_view reason = rejection(attribute, *context.options);
  if (!reason.empty()) {
    skip(result, event, attribute, reason);
    return;
  }

  const stix::TypeRule& rule = *stix::find_type_rule(attribute.type);
  const std::string_view value = stix::trim_ascii(attribute.value);
  std::pair<std::string_view, std::string_view> parts;
  if (rule.composite) {
    const auto split = split_composite(value);
    if (!split) {
      skip(result, event, attribute, "invalid value");
      return;
    }
    parts = *split;
  }

  bool all_valid = true;
  for (const stix::ComponentRule& component : rule.components) {
    auto observable = stix::make_observable(
        component, select_part(component.part, value, parts));
    if (!observable) {
      all_valid = false;
      continue;
    }
    result.indicators.push_back(stix::make_draft(
        context, attribute, component.component, std::move(*observable)));
  }
  if (!all_valid) {
    skip(result, event, attribute, "invalid value");
  }
}

} // namespace

EventConversion convert_event(const MispEvent& event,
                              const ConversionOptions& options) {
  const stix::EventContext context = stix::make_event_context(event, options);
  EventConversion result;
  for (const MispAttribute& attribute : event.attributes) {
    convert_attribute(context, attribute, result);
  }
  return result;
}

} // namespace m2s
