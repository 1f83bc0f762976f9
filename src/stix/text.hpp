#pragma once

// --- Small ASCII text helpers shared by the STIX conversion sources ---

#include <string>
#include <string_view>

namespace m2s::stix {

// `text` without leading and trailing ASCII whitespace.
[[nodiscard]] std::string_view trim_ascii(std::string_view text);

// `text` with A-Z turned into a-z; other bytes (UTF-8 included) untouched.
[[nodiscard]] std::string to_lower_ascii(std::string_view text);

// True when `text` holds an ASCII space, tab, CR, LF, VT or FF.
[[nodiscard]] bool has_ascii_space(std::string_view text);

// True when every byte of `text` is a hex digit (and `text` is not empty).
[[nodiscard]] bool is_hex(std::string_view text);

// `text` without one pair of surrounding double quotes, if it has them.
[[nodiscard]] std::string_view strip_quotes(std::string_view text);

} // namespace m2s::stix
