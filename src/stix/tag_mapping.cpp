#include "tag_mapping.hpp"

#include "misp2sentinel/stix/conversion.hpp"
#include "text.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
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

// The credibility values of the `admiralty-scale` taxonomy, as STIX 2.1
// Appendix A maps the Admiralty Credibility scale; 6 ("truth cannot be
// judged") maps to no value.
constexpr std::array<ConfidenceLevel, 5> k_credibility_levels = {{
    {"1", 90},
    {"2", 70},
    {"3", 50},
    {"4", 30},
    {"5", 10},
}};

// The phases of the MISP `kill-chain` taxonomy, in order, as STIX phase
// names (lower case, hyphens for spaces).
constexpr std::array<std::string_view, 7> k_kill_chain_phases = {
    "reconnaissance",
    "weaponization",
    "delivery",
    "exploitation",
    "installation",
    "command-and-control",
    "actions-on-objectives",
};

constexpr std::string_view k_confidence_prefix = "misp:confidence-level=";
constexpr std::string_view k_credibility_prefix =
    "admiralty-scale:information-credibility=";
constexpr std::string_view k_threat_type_prefix = "sentinel-threattype:";
constexpr std::string_view k_kill_chain_prefix = "kill-chain:";

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

template <std::size_t N>
std::optional<int> find_level(const std::array<ConfidenceLevel, N>& levels,
                              std::string_view value) {
  const std::string name = stix::to_lower_ascii(value);
  for (const ConfidenceLevel& level : levels) {
    if (level.name == name) {
      return level.value;
    }
  }
  return std::nullopt;
}

bool is_allowed(std::string_view tag,
                const std::vector<std::string>& allowed_prefixes) {
  if (allowed_prefixes.empty()) {
    return true;
  }
  const std::string name = stix::to_lower_ascii(tag);
  return std::any_of(allowed_prefixes.begin(),
                     allowed_prefixes.end(),
                     [&name](const std::string& prefix) {
                       return name.starts_with(stix::to_lower_ascii(prefix));
                     });
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
  const auto consider = [&lowest](int value) {
    if (!lowest || value < *lowest) {
      lowest = value;
    }
  };

  for (const MispTag& tag : tags) {
    if (const auto value = tag_value(tag.name, k_confidence_prefix)) {
      if (const auto level = find_level(k_confidence_levels, *value)) {
        consider(*level);
      }
    }
    if (const auto value = tag_value(tag.name, k_credibility_prefix)) {
      if (const auto level = find_level(k_credibility_levels, *value)) {
        consider(*level);
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
kill_chain_phases_from_tags(const std::vector<MispTag>& tags) {
  std::vector<bool> present(k_kill_chain_phases.size(), false);
  for (const MispTag& tag : tags) {
    const auto value = tag_value(tag.name, k_kill_chain_prefix);
    if (!value) {
      continue;
    }
    std::string phase = to_lower_ascii(*value);
    std::replace(phase.begin(), phase.end(), ' ', '-');
    std::replace(phase.begin(), phase.end(), '_', '-');
    for (std::size_t i = 0; i < k_kill_chain_phases.size(); ++i) {
      if (k_kill_chain_phases[i] == phase) {
        present[i] = true;
      }
    }
  }

  std::vector<std::string> phases;
  for (std::size_t i = 0; i < k_kill_chain_phases.size(); ++i) {
    if (present[i]) {
      phases.emplace_back(k_kill_chain_phases[i]);
    }
  }
  return phases;
}

std::vector<MispTag> without_local_tags(const std::vector<MispTag>& tags) {
  std::vector<MispTag> global;
  for (const MispTag& tag : tags) {
    if (!tag.local) {
      global.push_back(tag);
    }
  }
  return global;
}

std::vector<std::string>
labels_from_tags(const std::vector<MispTag>& attribute_tags,
                 const std::vector<MispTag>& event_tags,
                 const std::vector<std::string>& allowed_prefixes) {
  std::vector<std::string> labels;
  for (const auto* tags : {&attribute_tags, &event_tags}) {
    for (const MispTag& tag : *tags) {
      const std::string_view name = trim_ascii(tag.name);
      if (!name.empty() && !is_tlp_tag(name)
          && is_allowed(name, allowed_prefixes)) {
        append_once(labels, name);
      }
    }
  }
  return labels;
}

} // namespace stix

} // namespace m2s
