#include "tag_mapping.hpp"

#include "misp2sentinel/stix/conversion.hpp"
#include "text.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace m2s {

namespace {

struct TlpLevel {
  std::string_view tag;
  int rank; // higher is more restrictive
  std::string_view marking;
};

// TLP 1.0 marking definitions of the STIX 2.1 specification; TLP 2.0
// names map onto their nearest 1.0 level.
constexpr std::array<TlpLevel, 6> k_tlp_levels = {{
    {"tlp:white",
     0,
     "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"},
    {"tlp:clear",
     0,
     "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"},
    {"tlp:green",
     1,
     "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"},
    {"tlp:amber",
     2,
     "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"},
    {"tlp:amber+strict",
     3,
     "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"},
    {"tlp:red", 4, "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"},
}};

const TlpLevel* find_tlp_level(std::string_view tag) {
  const std::string name = stix::to_lower_ascii(stix::trim_ascii(tag));
  for (const TlpLevel& level : k_tlp_levels) {
    if (level.tag == name) {
      return &level;
    }
  }
  return nullptr;
}

struct ConfidenceLevel {
  std::string_view name;
  int value;
};

// The values of the MISP `misp:confidence-level` taxonomy ("evalued" is
// its spelling).
constexpr std::array<ConfidenceLevel, 6> k_confidence_levels = {{
    {"completely-confident", 100},
    {"usually-confident", 75},
    {"fairly-confident", 50},
    {"rarely-confident", 25},
    {"unconfident", 0},
    {"confidence-cannot-be-evalued", 50},
}};

constexpr std::string_view k_confidence_prefix = "misp:confidence-level=";
constexpr std::string_view k_threat_type_prefix = "sentinel-threattype:";

// The text after `prefix` (compared without case) in `tag`, trimmed and
// unquoted; nullopt when `tag` does not start with it.
std::optional<std::string_view> tag_value(std::string_view tag,
                                          std::string_view prefix) {
  tag = stix::trim_ascii(tag);
  if (tag.size() < prefix.size()
      || stix::to_lower_ascii(tag.substr(0, prefix.size())) != prefix) {
    return std::nullopt;
  }
  return stix::trim_ascii(stix::strip_quotes(tag.substr(prefix.size())));
}

bool is_tlp_tag(std::string_view tag) {
  return stix::to_lower_ascii(stix::trim_ascii(tag)).starts_with("tlp:");
}

void append_once(std::vector<std::string>& list, std::string_view item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) {
    list.emplace_back(item);
  }
}

} // namespace

std::optional<std::string> tlp_marking_definition(std::string_view tlp_tag) {
  const TlpLevel* level = find_tlp_level(tlp_tag);
  if (level == nullptr) {
    return std::nullopt;
  }
  return std::string(level->marking);
}

namespace stix {

std::optional<std::string> marking_from_tags(const std::vector<MispTag>& tags) {
  const TlpLevel* strictest = nullptr;
  for (const MispTag& tag : tags) {
    const TlpLevel* level = find_tlp_level(tag.name);
    if (level != nullptr
        && (strictest == nullptr || level->rank > strictest->rank)) {
      strictest = level;
    }
  }
  if (strictest == nullptr) {
    return std::nullopt;
  }
  return std::string(strictest->marking);
}

std::optional<int> confidence_from_tags(const std::vector<MispTag>& tags) {
  std::optional<int> lowest;
  for (const MispTag& tag : tags) {
    const auto value = tag_value(tag.name, k_confidence_prefix);
    if (!value) {
      continue;
    }
    const std::string name = to_lower_ascii(*value);
    for (const ConfidenceLevel& level : k_confidence_levels) {
      if (level.name == name && (!lowest || level.value < *lowest)) {
        lowest = level.value;
      }
    }
  }
  return lowest;
}

std::vector<std::string>
threat_types_from_tags(const std::vector<MispTag>& tags) {
  std::vector<std::string> types;
  for (const MispTag& tag : tags) {
    const auto value = tag_value(tag.name, k_threat_type_prefix);
    if (value && !value->empty()) {
      append_once(types, *value);
    }
  }
  return types;
}

std::vector<std::string>
labels_from_tags(const std::vector<MispTag>& attribute_tags,
                 const std::vector<MispTag>& event_tags) {
  std::vector<std::string> labels;
  for (const auto* tags : {&attribute_tags, &event_tags}) {
    for (const MispTag& tag : *tags) {
      const std::string_view name = trim_ascii(tag.name);
      if (!tag.local && !name.empty() && !is_tlp_tag(name)) {
        append_once(labels, name);
      }
    }
  }
  return labels;
}

} // namespace stix

} // namespace m2s
