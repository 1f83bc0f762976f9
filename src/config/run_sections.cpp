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

  const std::optional<std::string> format =
      read_choice(section, "format", {"text", "json"});
  if (format) {
    log.format = *format == "json" ? LogFormat::json : LogFormat::text;
  }
  section.read("max_size_mb", log.max_size_mb, 1, 10240);
  section.read("max_files", log.max_files, 1, 1000);

  section.report_unknown_keys();
  return log;
}

RunLimits read_limits_section(SectionReader& section) {
  RunLimits limits;
  section.read("retry_budget_seconds", limits.retry_budget_seconds, 0, 86400);
  // Checked between steps only, so even a tiny budget lets a run finish
  // the page or batch it is in (the integration tests use 1 s).
  section.read("run_budget_seconds", limits.run_budget_seconds, 1, 604800);
  section.read("max_response_mb", limits.max_response_mb, 1, 4096);
  // MISP events nest about 15 deep; parsed values are freed recursively,
  // so very deep documents would cost stack.
  section.read("max_json_depth", limits.max_json_depth, 16, 1024);

  section.report_unknown_keys();
  return limits;
}

MetricsConfig read_metrics_section(SectionReader& section,
                                   const std::filesystem::path& folder) {
  MetricsConfig metrics;
  read_path(section, "textfile", metrics.textfile, folder);

  // The collector ignores other names: a typo would fail silently.
  const std::string& file = metrics.textfile;
  if (!file.empty() && !file.ends_with(".prom")) {
    section.problem("textfile",
                    fmt::format("node_exporter's textfile collector reads "
                                "only files ending in .prom, got \"{}\"",
                                section.string("textfile").value_or(file)));
  }

  section.report_unknown_keys();
  return metrics;
}

} // namespace m2s::config_detail
