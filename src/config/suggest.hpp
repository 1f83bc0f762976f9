#pragma once

// --- "did you mean ...?" for misspelt keys and section names ---

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace m2s::config_detail {

// The candidate closest to `word` by edit distance, if it is close enough
// to be a likely typo (at most a third of the word's length, at least 1);
// failing that, the first candidate that starts with `word` (3+ chars).
[[nodiscard]] std::optional<std::string>
nearest_name(std::string_view word, const std::vector<std::string>& names);

} // namespace m2s::config_detail
