#pragma once

// --- The STIX pattern form Sentinel extracts observables from ---

#include <string>
#include <string_view>

namespace m2s::sandbox {

// Empty when `pattern` is one comparison
//   [<object-type>:<path> = '<literal>']
// whose literal escapes only \\ and \' (STIX 2.1 string literal rules);
// otherwise a short reason naming the offset of the problem. Compound
// patterns (AND/OR), other operators and qualifiers are refused on purpose:
// Sentinel leaves their observable empty, so misp2sentinel must not send
// them.
[[nodiscard]] std::string stix_pattern_problem(std::string_view pattern);

} // namespace m2s::sandbox
