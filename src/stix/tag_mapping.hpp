#pragma once

// --- MISP tags -> STIX labels, markings, confidence, indicator types and
// kill chain phases ---
//
// Each function reads one tag list (an attribute's or an event's); the
// caller applies "attribute over event over default". Tag names are
// compared without ASCII case; values may be quoted or not.

#include "misp2sentinel/misp/event.hpp"

#include <optional>
#include <string>
#include <vector>

namespace m2s::stix {

// The marking definition of the most restrictive TLP tag in `tags`
// (tlp:red over amber+strict over amber over green over clear/white).
[[nodiscard]] std::optional<std::string>
marking_from_tags(const std::vector<MispTag>& tags);

// The confidence `tags` state as 0..100, the lowest when there are several
// (being unsure wins): `misp:confidence-level` (completely-confident 100,
// usually-confident 75, fairly-confident 50, rarely-confident 25,
// unconfident 0, confidence-cannot-be-evalued 50) and
// `admiralty-scale:information-credibility` (1 -> 90, 2 -> 70, 3 -> 50,
// 4 -> 30, 5 -> 10, the STIX 2.1 Appendix A values; 6, "truth cannot be
// judged", states nothing).
[[nodiscard]] std::optional<int>
confidence_from_tags(const std::vector<MispTag>& tags);

// The X of every `sentinel-threattype:X` tag, in tag order, once each.
[[nodiscard]] std::vector<std::string>
threat_types_from_tags(const std::vector<MispTag>& tags);

// The phases of the `kill-chain` taxonomy's tags as STIX phase names of
// the Lockheed Martin kill chain ("reconnaissance", "weaponization",
// "delivery", "exploitation", "installation", "command-and-control",
// "actions-on-objectives"), in kill chain order, once each. Unknown
// phases are ignored.
[[nodiscard]] std::vector<std::string>
kill_chain_phases_from_tags(const std::vector<MispTag>& tags);

// `tags` without the local ones.
[[nodiscard]] std::vector<MispTag>
without_local_tags(const std::vector<MispTag>& tags);

// Attribute tags then event tags, once each, without TLP tags, keeping
// only those starting (ignoring ASCII case) with one of `allowed_prefixes`
// when it is not empty.
[[nodiscard]] std::vector<std::string>
labels_from_tags(const std::vector<MispTag>& attribute_tags,
                 const std::vector<MispTag>& event_tags,
                 const std::vector<std::string>& allowed_prefixes);

} // namespace m2s::stix
