#pragma once

// --- MISP tags -> STIX labels, markings, confidence and indicator types ---
//
// Each function reads one tag list (an attribute's or an event's); the
// caller applies "attribute over event over default".

#include "misp2sentinel/misp/event.hpp"

#include <optional>
#include <string>
#include <vector>

namespace m2s::stix {

// The marking definition of the most restrictive TLP tag in `tags`
// (tlp:red over amber+strict over amber over green over clear/white).
[[nodiscard]] std::optional<std::string>
marking_from_tags(const std::vector<MispTag>& tags);

// The `misp:confidence-level` of `tags` as 0..100; the lowest when there
// are several (being unsure wins).
[[nodiscard]] std::optional<int>
confidence_from_tags(const std::vector<MispTag>& tags);

// The X of every `sentinel-threattype:X` tag, in tag order, once each.
[[nodiscard]] std::vector<std::string>
threat_types_from_tags(const std::vector<MispTag>& tags);

// Attribute tags then event tags, once each, without TLP and local tags.
[[nodiscard]] std::vector<std::string>
labels_from_tags(const std::vector<MispTag>& attribute_tags,
                 const std::vector<MispTag>& event_tags);

} // namespace m2s::stix
