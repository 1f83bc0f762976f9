#include "logging_setup.hpp"

#include "misp2sentinel/util/errors.hpp"
#include "misp2sentinel/util/time.hpp"
#include "progress_reporter.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>
#include <spdlog/details/log_msg.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <string_view>
#include <vector>

namespace m2s {

namespace {

constexpr const char* k_text_pattern = "%Y-%m-%dT%H:%M:%S.%eZ %l %v";

// One JSON object per line. Boost.JSON escapes quotes, backslashes and
// control characters, so a message can never break the line or the object.
class JsonLineFormatter final : public spdlog::formatter {
public:
  void format(const spdlog::details::log_msg& msg,
              spdlog::memory_buf_t& dest) override {
    const auto since_epoch = msg.time.time_since_epoch();
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch);
    const spdlog::string_view_t level =
        spdlog::level::to_string_view(msg.level);

    // Built in this order so that the keys read time, level, message.
    boost::json::object line;
    line["time"] = format_utc_ms(ms.count());
    line["level"] = boost::json::string_view(level.data(), level.size());
    line["message"] =
        boost::json::string_view(msg.payload.data(), msg.payload.size());

    const std::string text = boost::json::serialize(line);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }

  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }
};

// stderr, after erasing a terminal progress line so the two never mix.
class StderrSink final : public spdlog::sinks::sink {
public:
  void log(const spdlog::details::log_msg& msg) override {
    end_progress_line();
    m_inner.log(msg);
  }

  void flush() override {
    m_inner.flush();
  }

  void set_pattern(const std::string& pattern) override {
    m_inner.set_pattern(pattern);
  }

  void
  set_formatter(std::unique_ptr<spdlog::formatter> sink_formatter) override {
    m_inner.set_formatter(std::move(sink_formatter));
  }

private:
  spdlog::sinks::stderr_sink_mt m_inner;
};

// The rotating sink opens files itself, at start and at each rotation:
// a private umask around each open keeps every one of them 0600 without
// a window in which a new file is readable by others.
spdlog::file_event_handlers private_file_handlers() {
  auto saved_mask = std::make_shared<mode_t>(0);
  spdlog::file_event_handlers handlers;
  handlers.before_open = [saved_mask](const spdlog::filename_t&) {
    *saved_mask = ::umask(077);
  };
  handlers.after_open = [saved_mask](const spdlog::filename_t&, std::FILE*) {
    ::umask(*saved_mask);
  };
  return handlers;
}

} // namespace

std::unique_ptr<spdlog::formatter> make_log_formatter(LogFormat format) {
  switch (format) {
  case LogFormat::text:
    return std::make_unique<spdlog::pattern_formatter>(
        k_text_pattern, spdlog::pattern_time_type::utc);
  case LogFormat::json:
    return std::make_unique<JsonLineFormatter>();
  }
  return std::make_unique<JsonLineFormatter>();
}

spdlog::sink_ptr make_log_file_sink(const LogConfig& log) {
  const std::size_t max_size =
      static_cast<std::size_t>(log.max_size_mb) * 1024U * 1024U;
  // umask() is the only way to read the mask: set and put it back.
  const mode_t current_mask = ::umask(077);
  ::umask(current_mask);

  spdlog::sink_ptr sink;
  try {
    sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        log.file,
        max_size,
        static_cast<std::size_t>(log.max_files),
        false,
        private_file_handlers());
  } catch (const spdlog::spdlog_ex& e) {
    // A failed open leaves before_open's umask in place.
    ::umask(current_mask);
    throw ConfigError(
        fmt::format("[log] file {}: cannot open: {}", log.file, e.what()));
  }
  sink->set_formatter(make_log_formatter(log.format));
  return sink;
}

void setup_logging(const LogConfig& log, const std::string& level_override) {
  const std::string& level =
      level_override.empty() ? log.level : level_override;
  static constexpr std::array<std::string_view, 5> k_levels = {
      "trace", "debug", "info", "warn", "error"};
  if (std::find(k_levels.begin(), k_levels.end(), level) == k_levels.end()) {
    throw ConfigError(fmt::format("--log-level: must be one of trace, debug, "
                                  "info, warn, error, got \"{}\"",
                                  level));
  }

  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<StderrSink>());
  sinks.back()->set_formatter(make_log_formatter(log.format));
  if (!log.file.empty()) {
    sinks.push_back(make_log_file_sink(log));
  }

  auto logger = std::make_shared<spdlog::logger>(
      "misp2sentinel", sinks.begin(), sinks.end());
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void setup_stderr_logging(const LogConfig& log,
                          const std::string& level_override) {
  LogConfig without_file = log;
  without_file.file.clear();
  setup_logging(without_file, level_override);
}

void setup_logging(const std::string& level, const std::string& file) {
  LogConfig log;
  log.level = level;
  log.file = file;
  setup_logging(log, "");
}

} // namespace m2s
