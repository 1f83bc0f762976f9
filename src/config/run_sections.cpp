#include "config_files.hpp"
#include "misp2sentinel/util/time.hpp"
#include "sections.hpp"
#include "value_checks.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>

namespace m2s::config_detail {

StateConfig read_state_section(SectionReader& section,
                               const std::filesystem::path& folder) {
  StateConfig state;
  const std::optional<std::string> path = section.string("path");
  if (path && path->empty()) {
    section.problem("path", "must not be empty");
  } else if (path) {
    state.path = *path;
  }
  state.path = resolve_path(folder, state.path);

  const std::optional<std::string> lookback = section.string("lookback");
  if (lookback) {
    const std::optional<std::int64_t> seconds =
        parse_duration_seconds(*lookback);
    if (seconds && *seconds >= 0) {
      state.lookback_seconds = *seconds;
    } else {
      section.problem("lookback",
                      fmt::format("expected a duration such as \"90s\", "
                                  "\"15m\", \"1h\" or \"14d\", got \"{}\"",
                                  *lookback));
    }
  }

  section.report_unknown_keys();
  return state;
}

LogConfig read_log_section(SectionReader& section,
                           const std::filesystem::path& folder) {
  LogConfig log;
  const std::optional<std::string> level = read_choice(
      section, "level", {"trace", "debug", "info", "warn", "error"});
  log.level = level.value_or(log.level);
  read_path(section, "file", log.file, folder);

  section.report_unknown_keys();
  return log;
}

RunLimits read_limits_section(SectionReader& section) {
  RunLimits limits;
  section.read("retry_budget_seconds", limits.retry_budget_seconds, 0, 86400);

  section.report_unknown_keys();
  return limits;
}

} // namespace m2s::config_detail
