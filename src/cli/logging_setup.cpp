#include "logging_setup.hpp"

#include "misp2sentinel/util/errors.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <memory>
#include <vector>

namespace m2s {

void setup_logging(const std::string& level, const std::string& file) {
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());

  if (!file.empty()) {
    // Log lines name indicators and events: keep the file private.
    const mode_t old_mask = ::umask(077);
    try {
      sinks.push_back(
          std::make_shared<spdlog::sinks::basic_file_sink_mt>(file));
    } catch (const spdlog::spdlog_ex& e) {
      ::umask(old_mask);
      throw ConfigError(
          fmt::format("[log] file {}: cannot open: {}", file, e.what()));
    }
    ::umask(old_mask);
  }

  auto logger = std::make_shared<spdlog::logger>(
      "misp2sentinel", sinks.begin(), sinks.end());
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

} // namespace m2s
