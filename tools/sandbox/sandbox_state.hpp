#pragma once

// --- Everything the stand-in's handlers share ---
//
// Each member guards itself (mutex or atomics): httplib runs handlers on a
// thread pool.

#include "faults.hpp"
#include "misp_events.hpp"
#include "rate_window.hpp"
#include "recorder.hpp"
#include "sandbox_clock.hpp"
#include "sandbox_options.hpp"
#include "stats.hpp"
#include "token_registry.hpp"

namespace m2s::sandbox {

struct SandboxState {
  // Opens (creates) the record file: throws std::runtime_error.
  explicit SandboxState(const SandboxOptions& sandbox_options);

  const SandboxOptions& options;
  SandboxClock clock;
  Stats stats;
  FaultQueue faults;
  Recorder recorder;
  TokenRegistry tokens;
  RateWindow rate;
  EventSource events;
};

} // namespace m2s::sandbox
