#pragma once

// --- Which observables each MISP attribute type gives ---
//
// The table of supported types. A type maps to one rule per observable: a
// composite (`domain|ip`) may give two, or one of its parts only
// (`ip-dst|port` gives the address). Adding a type is adding a table row
// in type_rules.cpp (and, for a new kind, a function in
// observable_values.hpp).

#include "observable_values.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace m2s::stix {

enum class ObservableKind {
  ip,
  domain,
  url,
  email,
  filename,
  hash,
};

// Which part of the MISP value the observable is made of.
enum class ValuePart {
  whole,
  first,  // before the '|' of a composite
  second, // after it
};

struct ComponentRule {
  ValuePart part = ValuePart::whole;
  std::string_view component; // "" for the primary observable
  ObservableKind kind = ObservableKind::ip;
  HashAlgorithm hash = HashAlgorithm::md5; // used when kind is hash
};

struct TypeRule {
  bool composite = false; // the value is two parts joined by one '|'
  std::vector<ComponentRule> components;
};

// The rule for `misp_type`, or nullptr when the type is not supported.
[[nodiscard]] const TypeRule* find_type_rule(std::string_view misp_type);

// The observable `rule` makes of `value` (one part, trimmed), or nullopt
// when the value is not valid for it.
[[nodiscard]] std::optional<Observable>
make_observable(const ComponentRule& rule, std::string_view value);

} // namespace m2s::stix
