#pragma once

// --- Which attributes of a MISP object give indicators ---
//
// Inside an object an attribute's meaning depends on its relation: the
// `domain` of a `url` object is where the URL lives, not a malicious
// domain; the hashes of a `pe-section` are not file hashes; the `ip-src`
// of a network connection is often the victim. So only the relations
// listed per object template in object_rules.cpp give indicators, by the
// attribute's type or by a kind the relation names (`username` of a
// `user-account`); other templates give none. This follows misp-stix,
// which turns only these relations into observable properties.

#include "misp2sentinel/misp/event.hpp"
#include "type_rules.hpp"

#include <string_view>

namespace m2s::stix {

// What to do with one attribute: convert it with `rule`, or skip it with
// `skip_reason`.
struct AttributeRule {
  const TypeRule* rule = nullptr;
  std::string_view skip_reason;
};

// The rule for `attribute` from its object template and relation (when it
// sits in an object) and its type. Skip reasons: "unsupported object",
// "object context", those of `type_skip_reason`, "unsupported type".
[[nodiscard]] AttributeRule rule_for(const MispAttribute& attribute);

} // namespace m2s::stix
