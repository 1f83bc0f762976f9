#pragma once

// --- The optional --warninglist: values a search with enforceWarninglist
// drops, one per line ('#' starts a comment line) ---

#include <string>
#include <string_view>
#include <unordered_set>

namespace m2s::sandbox {

using Warninglist = std::unordered_set<std::string>;

// Re-read on each call (tests edit it). Empty for an empty path or an
// unreadable file.
[[nodiscard]] Warninglist load_warninglist(const std::string& path);

// True when `value` or, for composite values ("domain|ip"), any part of it
// is listed.
[[nodiscard]] bool warninglisted(const Warninglist& list,
                                 std::string_view value);

} // namespace m2s::sandbox
