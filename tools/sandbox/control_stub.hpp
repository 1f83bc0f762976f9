#pragma once

// --- /_sandbox/*: test controls (no auth, never faulted, not recorded) ---
//
//   POST   /_sandbox/faults  queue a fault (object) or several (array)
//   GET    /_sandbox/faults  the queue
//   DELETE /_sandbox/faults  clear the queue
//   GET    /_sandbox/stats   request and object counters
//   POST   /_sandbox/clock   {"advance_seconds":N}: move the clock forward

#include "routes.hpp"

namespace m2s::sandbox {

void add_control_routes(Routes& routes, SandboxState& state);

} // namespace m2s::sandbox
