#pragma once

// --- Checks shared by the fuzz targets ---
//
// A failed check prints what broke and aborts; libFuzzer reports that as a
// crash and saves the input. Patterns are checked with the sandbox's
// validator (tools/sandbox/stix_pattern.hpp), which was written against
// the STIX grammar independently of src/stix.

#include "stix_pattern.hpp"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace m2s::fuzz {

[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz check failed: %s\n", what.c_str());
  std::abort();
}

inline void check(bool ok, const std::string& what) {
  if (!ok) {
    fail(what);
  }
}

// The unescaped literal of a pattern `[type:path = '<literal>']`, or nullopt
// when the pattern is not of that form. Reads from the first " = '" on,
// which is right for every path this tool writes (paths hold no " = '").
inline std::optional<std::string> literal_of(std::string_view pattern) {
  const std::string_view opener = " = '";
  const auto start = pattern.find(opener);
  if (start == std::string_view::npos || !pattern.ends_with("']")) {
    return std::nullopt;
  }

  const std::string_view literal = pattern.substr(
      start + opener.size(), pattern.size() - start - opener.size() - 2);
  std::string value;
  for (std::size_t i = 0; i < literal.size(); ++i) {
    if (literal[i] == '\'') {
      return std::nullopt;
    }
    if (literal[i] == '\\') {
      if (i + 1 == literal.size()) {
        return std::nullopt;
      }
      ++i;
    }
    value += literal[i];
  }
  return value;
}

// The pattern is one comparison Sentinel indexes, of `type`, whose literal
// reads back as `value`.
inline void check_pattern(const std::string& pattern,
                          const std::string& type,
                          const std::string& value) {
  const std::string problem = sandbox::stix_pattern_problem(pattern);
  check(problem.empty(), "invalid pattern " + pattern + ": " + problem);
  check(pattern.starts_with("[" + type + ":"),
        "pattern " + pattern + " is not of type " + type);
  check(literal_of(pattern) == value,
        "pattern " + pattern + " does not read back as the value");
}

} // namespace m2s::fuzz
