#pragma once

// --- spdlog: stderr always, plus [log] file when set ---
//
// Text lines read "2026-01-01T00:00:00.000Z info message"; with
// [log] format = "json" every line is one JSON object
// {"time":"2026-01-01T00:00:00.000Z","level":"info","message":"..."} for
// log shippers. Times are UTC. Log lines on stderr first clear a terminal
// progress line (progress_reporter.hpp), so the two never mix.

#include "misp2sentinel/config/config.hpp"

#include <spdlog/common.h>
#include <spdlog/formatter.h>

#include <memory>
#include <string>

namespace m2s {

// Make the default logger from [log]: `level_override` replaces
// `log.level` unless empty. The file, when set, rotates at
// `log.max_size_mb` and keeps `log.max_files` old files
// (`m2s.log` -> `m2s.1.log` -> ...); every file is created mode 0600 (log
// lines name indicators and events). Throws ConfigError naming the file
// when it cannot be opened.
void setup_logging(const LogConfig& log, const std::string& level_override);

// The same on stderr only, leaving [log] file alone: for the commands
// that write nothing (status, check).
void setup_stderr_logging(const LogConfig& log,
                          const std::string& level_override);

// The same, for callers that have only a level and a file.
void setup_logging(const std::string& level, const std::string& file);

// The rotating file sink of `log.file` (which must not be empty), with
// `log`'s format; files created 0600. Throws ConfigError like above.
[[nodiscard]] spdlog::sink_ptr make_log_file_sink(const LogConfig& log);

// The formatter of `format`: the text pattern above, or one JSON object
// per line (serialised by Boost.JSON, so any message text stays valid).
[[nodiscard]] std::unique_ptr<spdlog::formatter>
make_log_formatter(LogFormat format);

} // namespace m2s
