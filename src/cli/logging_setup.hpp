#pragma once

// --- spdlog: stderr always, plus [log] file when set ---

#include <string>

namespace m2s {

// `level` is trace|debug|info|warn|error; `file` may be empty. Times are
// UTC, ISO-8601.
void setup_logging(const std::string& level, const std::string& file);

} // namespace m2s
