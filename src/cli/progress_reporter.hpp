#pragma once

// --- Progress of the long sync phases (reading MISP, uploading) ---
//
// On a terminal: one line on stderr, redrawn in place with the rate and,
// when the total is known, the ETA:
//   uploading: 300/1000 indicators (30%), 100/s, ETA 7s
// Elsewhere (cron, systemd): the same text as an info log line, at most
// once per interval, so a short run logs no progress at all.

#include "misp2sentinel/sync/sync_engine.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>

namespace m2s {

// One status line at the bottom of a terminal, redrawn in place. Whoever
// writes to the same terminal calls clear() first. Thread-safe.
class TerminalLine {
public:
  explicit TerminalLine(std::FILE* out)
      : m_out(out) {}

  // Replace the line with `text` ("\r<text>\033[K").
  void show(const std::string& text);

  // Erase the line if one is showing ("\r\033[K"); else write nothing.
  void clear();

private:
  std::mutex m_mutex;
  std::FILE* m_out;
  bool m_showing = false;
};

// The progress line of this process, on stderr.
[[nodiscard]] TerminalLine& stderr_progress_line();

// Erase the progress line on stderr, if any: call it before writing to
// stdout on the same terminal (the summary).
void end_progress_line();

struct ProgressOptions {
  using Clock = std::chrono::steady_clock;

  // true: redraw the line through `draw`; false: log lines through `log`.
  bool terminal = false;
  std::chrono::milliseconds log_interval{5000};
  std::chrono::milliseconds redraw_interval{200};
  std::function<Clock::time_point()> now = Clock::now;
  std::function<void(const std::string&)> draw;
  std::function<void(const std::string&)> log;
};

// For this process: a terminal line when stderr is a terminal and the
// default logger shows info; else info log lines every 5 seconds.
[[nodiscard]] ProgressOptions progress_options_for_stderr();

// Turns SyncProgress updates into lines. The rate of a phase counts from
// the last update of the phase before it (or from construction).
class ProgressReporter {
public:
  explicit ProgressReporter(ProgressOptions options);

  void report(const SyncProgress& progress);

private:
  ProgressOptions m_options;
  std::string m_phase;
  ProgressOptions::Clock::time_point m_phase_start;
  ProgressOptions::Clock::time_point m_last_update;
  ProgressOptions::Clock::time_point m_last_output;
  bool m_drawn = false;
};

// A listener for SyncEngine::set_progress_listener.
[[nodiscard]] SyncEngine::ProgressListener
make_progress_listener(ProgressOptions options = progress_options_for_stderr());

// "reading MISP: 250 events, 50/s" or
// "uploading: 300/1000 indicators (30%), 100/s, ETA 7s". A rate <= 0 (not
// known yet) leaves out the rate and the ETA.
[[nodiscard]] std::string format_progress(const SyncProgress& progress,
                                          double per_second);

// "0s", "59s", "1m01s", "1h02m".
[[nodiscard]] std::string format_eta(std::int64_t seconds);

} // namespace m2s
