#include "progress_reporter.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <utility>

namespace m2s {

namespace {

const char* unit_of(const char* phase) {
  if (std::strcmp(phase, "reading MISP") == 0) {
    return "events";
  }
  if (std::strcmp(phase, "uploading") == 0) {
    return "indicators";
  }
  return "items";
}

std::string format_rate(double per_second) {
  return per_second < 10.0 ? fmt::format("{:.1f}/s", per_second)
                           : fmt::format("{:.0f}/s", per_second);
}

double seconds_between(ProgressOptions::Clock::time_point from,
                       ProgressOptions::Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

} // namespace

void TerminalLine::show(const std::string& text) {
  const std::lock_guard<std::mutex> lock(m_mutex);
  std::fputs(fmt::format("\r{}\033[K", text).c_str(), m_out);
  std::fflush(m_out);
  m_showing = true;
}

void TerminalLine::clear() {
  const std::lock_guard<std::mutex> lock(m_mutex);
  if (!m_showing) {
    return;
  }
  std::fputs("\r\033[K", m_out);
  std::fflush(m_out);
  m_showing = false;
}

TerminalLine& stderr_progress_line() {
  static TerminalLine line(stderr);
  return line;
}

void end_progress_line() {
  stderr_progress_line().clear();
}

ProgressOptions progress_options_for_stderr() {
  ProgressOptions options;
  // At warn or quieter the user asked for silence: no line either.
  options.terminal =
      ::isatty(STDERR_FILENO) == 1
      && spdlog::default_logger()->should_log(spdlog::level::info);
  options.draw = [](const std::string& text) {
    stderr_progress_line().show(text);
  };
  options.log = [](const std::string& text) {
    spdlog::info("{}", text);
  };
  return options;
}

ProgressReporter::ProgressReporter(ProgressOptions options)
    : m_options(std::move(options)),
      m_phase_start(m_options.now()),
      m_last_update(m_phase_start),
      m_last_output(m_phase_start) {}

void ProgressReporter::report(const SyncProgress& progress) {
  const auto now = m_options.now();
  const bool new_phase = m_phase != progress.phase;
  if (new_phase) {
    m_phase = progress.phase;
    m_phase_start = m_last_update;
  }
  m_last_update = now;

  const double elapsed = seconds_between(m_phase_start, now);
  const double rate =
      elapsed > 0 ? static_cast<double>(progress.done) / elapsed : 0.0;

  if (m_options.terminal) {
    const bool finished = progress.total > 0 && progress.done >= progress.total;
    if (new_phase || finished || !m_drawn
        || now - m_last_output >= m_options.redraw_interval) {
      m_options.draw(format_progress(progress, rate));
      m_last_output = now;
      m_drawn = true;
    }
    return;
  }

  if (now - m_last_output >= m_options.log_interval) {
    m_options.log(format_progress(progress, rate));
    m_last_output = now;
  }
}

SyncEngine::ProgressListener make_progress_listener(ProgressOptions options) {
  // std::function must be copyable: the reporter's state is shared.
  auto reporter = std::make_shared<ProgressReporter>(std::move(options));
  return [reporter](const SyncProgress& progress) {
    reporter->report(progress);
  };
}

std::string format_progress(const SyncProgress& progress, double per_second) {
  std::string text;
  if (progress.total > 0) {
    const std::int64_t percent =
        std::min<std::int64_t>(100, progress.done * 100 / progress.total);
    text = fmt::format("{}: {}/{} {} ({}%)",
                       progress.phase,
                       progress.done,
                       progress.total,
                       unit_of(progress.phase),
                       percent);
  } else {
    text = fmt::format(
        "{}: {} {}", progress.phase, progress.done, unit_of(progress.phase));
  }

  if (per_second <= 0) {
    return text;
  }
  text += ", " + format_rate(per_second);
  if (progress.total > 0) {
    const std::int64_t left =
        std::max<std::int64_t>(0, progress.total - progress.done);
    const auto eta = static_cast<std::int64_t>(
        std::ceil(static_cast<double>(left) / per_second));
    text += ", ETA " + format_eta(eta);
  }
  return text;
}

std::string format_eta(std::int64_t seconds) {
  if (seconds < 60) {
    return fmt::format("{}s", std::max<std::int64_t>(0, seconds));
  }
  if (seconds < 3600) {
    return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
  }
  return fmt::format("{}h{:02}m", seconds / 3600, seconds % 3600 / 60);
}

} // namespace m2s
