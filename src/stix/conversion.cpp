#include "misp2sentinel/stix/conversion.hpp"

#include "indicator_fields.hpp"
#include "object_rules.hpp"
#include "text.hpp"
#include "type_rules.hpp"

#include <utility>

namespace m2s {

namespace {

// MISP stores a value in TEXT columns of at most 65,535 bytes; anything
// longer did not come from a MISP database and would only bloat (or get
// refused with) an upload request.
constexpr std::size_t k_max_value_bytes = 65535;

using Parts = std::pair<std::string_view, std::string_view>;

// The two parts of a composite value as `split` cuts it, or nullopt when
// the value has no '|' (or, for Split::one_bar, more than one).
std::optional<Parts> split_composite(std::string_view value,
                                     stix::Split split) {
  const auto bar = value.find('|');
  if (bar == std::string_view::npos
      || (split == stix::Split::one_bar
          && value.find('|', bar + 1) != std::string_view::npos)) {
    return std::nullopt;
  }
  return Parts{stix::trim_ascii(value.substr(0, bar)),
               stix::trim_ascii(value.substr(bar + 1))};
}

std::string_view
select_part(stix::ValuePart part, std::string_view whole, const Parts& parts) {
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

// Why `attribute` gives no indicator whatever its value, or "" when it may
// give some.
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
  return "";
}

// Why `value` gives no observable for `component`: a `uri` or `link` that
// is a path or a reference rather than a URL is not an error in MISP.
std::string_view invalid_reason(const stix::ComponentRule& component,
                                std::string_view value) {
  if (component.kind == stix::ObservableKind::absolute_url
      && !stix::has_url_scheme(value)) {
    return "not an absolute url";
  }
  return "invalid value";
}

// "port 443" for the part of a composite that gives no indicator.
std::string detail_of(const stix::TypeRule& rule,
                      std::string_view value,
                      const Parts& parts) {
  if (!rule.context) {
    return {};
  }
  const std::string_view text = select_part(rule.context->part, value, parts);
  if (text.empty()) {
    return {};
  }
  return std::string(rule.context->name) + " " + std::string(text);
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
// is then also reported once with the bad part's reason.
void convert_attribute(const stix::EventContext& context,
                       const MispAttribute& attribute,
                       EventConversion& result) {
  const MispEvent& event = *context.event;
  std::string_view reason = rejection(attribute, *context.options);
  const stix::AttributeRule found = stix::rule_for(attribute);
  if (reason.empty() && found.rule == nullptr) {
    reason = found.skip_reason;
  }
  if (!reason.empty()) {
    skip(result, event, attribute, reason);
    return;
  }

  const stix::TypeRule& rule = *found.rule;
  const std::string_view value = stix::trim_ascii(attribute.value);
  Parts parts;
  if (rule.split != stix::Split::none) {
    const auto split = split_composite(value, rule.split);
    if (!split) {
      skip(result, event, attribute, "invalid value");
      return;
    }
    parts = *split;
  }

  // Each part of a composite has a TEXT column of its own in MISP.
  const bool too_long = rule.split == stix::Split::none
                            ? value.size() > k_max_value_bytes
                            : parts.first.size() > k_max_value_bytes
                                  || parts.second.size() > k_max_value_bytes;
  if (too_long) {
    skip(result, event, attribute, "value too long");
    return;
  }
  const std::string detail = detail_of(rule, value, parts);

  std::string_view bad_part_reason;
  for (const stix::ComponentRule& component : rule.components) {
    const std::string_view text = select_part(component.part, value, parts);
    auto observable = stix::make_observable(component, text);
    if (!observable) {
      bad_part_reason = invalid_reason(component, text);
      continue;
    }
    result.indicators.push_back(stix::make_draft(context,
                                                 attribute,
                                                 component.component,
                                                 std::move(*observable),
                                                 detail));
  }
  if (!bad_part_reason.empty()) {
    skip(result, event, attribute, bad_part_reason);
  }
}

} // namespace

struct EventConverter::Context {
  stix::EventContext event;
};

EventConverter::EventConverter(const MispEvent& event,
                               const ConversionOptions& options)
    : m_context(std::make_unique<Context>(
        Context{stix::make_event_context(event, options)})) {}

EventConverter::~EventConverter() = default;

void EventConverter::convert(const MispAttribute& attribute,
                             EventConversion& out) const {
  out.indicators.clear();
  out.skipped.clear();
  convert_attribute(m_context->event, attribute, out);
}

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
