#include "pattern.hpp"

#include "misp2sentinel/stix/conversion.hpp"

namespace m2s {

std::string escape_pattern_literal(const std::string& value) {
  std::string escaped;
  escaped.reserve(value.size() + 8);

  // Backslash first, so the backslashes added for quotes stay single.
  for (const char c : value) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '\'') {
      escaped += "\\'";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

namespace stix {

std::string build_pattern(const Observable& observable) {
  return "[" + observable.type + ":" + observable.path + " = '"
         + escape_pattern_literal(observable.value) + "']";
}

} // namespace stix

} // namespace m2s
