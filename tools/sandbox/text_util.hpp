#pragma once

// --- String helpers for matching names and writing messages ---

#include <cstddef>
#include <string>
#include <string_view>

namespace m2s::sandbox {

[[nodiscard]] std::string to_lower(std::string_view text);

// ASCII case-insensitive equality (GUIDs, tenant ids, tag names).
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);

[[nodiscard]] std::string_view trim(std::string_view text);

// `text` cut to `max` characters, "..." appended when it was longer: keeps
// a huge value from flooding an error message.
[[nodiscard]] std::string clip(std::string_view text, std::size_t max);

// MISP tag matching: without '%' a case-insensitive equality, with '%' an
// SQL LIKE where '%' stands for any run of characters.
[[nodiscard]] bool like_match(std::string_view pattern, std::string_view text);

} // namespace m2s::sandbox
