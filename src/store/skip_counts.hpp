#pragma once

// --- events.skip_counts: attributes skipped per reason, as JSON text ---
//
// Text rather than a table of its own: it is written once per event read
// and read back whole, and `sqlite3` shows it as it is.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace m2s {

// {"reason": count, ...}; "{}" for none.
[[nodiscard]] std::string
format_skip_counts(const std::map<std::string, std::int64_t>& counts);

// The counts of format_skip_counts' text, or nullopt for text that is not
// such an object: the caller then converts the event again rather than
// trust a hand-edited row.
[[nodiscard]] std::optional<std::map<std::string, std::int64_t>>
parse_skip_counts(const std::string& text);

} // namespace m2s
