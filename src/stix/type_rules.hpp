#pragma once

// --- Which observables each MISP attribute type gives ---
//
// The table of supported types. A type maps to one rule per observable: a
// composite (`domain|ip`) may give two, or one of its parts only
// (`ip-dst|port` gives the address; the port goes into the description).
// Types MISP knows that give no indicator have a stable skip reason.
// Adding a type is adding a table row in type_rules.cpp (and, for a new
// kind, a function in observable_values.hpp).

#include "observable_values.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace m2s::stix {

enum class ObservableKind {
  ip,
  domain,
  url,
  absolute_url, // `uri` and `link`: no "http://" is assumed
  email,
  filename,
  hash,
  registry_key,
  account_login,
  user_id,
};

// Which part of the MISP value the observable is made of.
enum class ValuePart {
  whole,
  first,  // before the '|' of a composite
  second, // after it
};

// How a composite value splits into its two parts.
enum class Split {
  none,      // not a composite
  one_bar,   // exactly one '|'
  first_bar, // at the first '|'; the second part may hold more
};

struct ComponentRule {
  ValuePart part = ValuePart::whole;
  std::string_view component; // "" for the primary observable
  ObservableKind kind = ObservableKind::ip;
  HashAlgorithm hash = HashAlgorithm::md5; // used when kind is hash
};

// The part of a composite that gives no indicator but describes it, e.g.
// the port of `ip-dst|port`; it goes into the description as
// "<name> <value>".
struct ContextPart {
  ValuePart part = ValuePart::second;
  std::string_view name;
};

struct TypeRule {
  Split split = Split::none;
  std::vector<ComponentRule> components;
  std::optional<ContextPart> context;
};

// The rule for `misp_type`, or nullptr when the type gives no indicator.
[[nodiscard]] const TypeRule* find_type_rule(std::string_view misp_type);

// Why a type MISP knows gives no indicator ("rule language", "free text",
// "not matchable", "context only"), or nullopt for a supported or unknown
// type.
[[nodiscard]] std::optional<std::string_view>
type_skip_reason(std::string_view misp_type);

// The observable `rule` makes of `value` (one part, trimmed), or nullopt
// when the value is not valid for it.
[[nodiscard]] std::optional<Observable>
make_observable(const ComponentRule& rule, std::string_view value);

} // namespace m2s::stix
