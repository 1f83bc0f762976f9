#pragma once

// --- The sandbox clock: real time plus an offset tests can advance ---
//
// Token expiry, the rate-limit window, MISP relative time filters ("5d")
// and the record timestamps all read this clock, so POST /_sandbox/clock
// can expire a token without the test sleeping.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace m2s::sandbox {

class SandboxClock {
public:
  [[nodiscard]] std::chrono::steady_clock::time_point steady_now() const;
  [[nodiscard]] std::chrono::system_clock::time_point wall_now() const;
  [[nodiscard]] std::int64_t epoch_now() const;

  // Moves the clock forward (never back: the steady clock must not run
  // backwards for the rate window).
  void advance(std::chrono::seconds by);

  [[nodiscard]] std::chrono::seconds offset() const;

private:
  std::atomic<std::int64_t> m_offset_seconds{0};
};

// "2026-01-31T12:34:56.789Z".
[[nodiscard]] std::string iso_utc(std::chrono::system_clock::time_point time);

} // namespace m2s::sandbox
