#pragma once

// --- The MISP stand-in ---
//
//   POST /events/restSearch   events from --events-dir, filtered and paged
//   GET  /servers/getVersion  a fixed 2.5.1 answer
//   POST /events/index        {"minimal":1}: id/timestamp/uuid rows
// Every call needs the MISP key in Authorization (or X-MISP-AUTH), else
// 403 with MISP's {"name","message","url"} error shape.

#include "routes.hpp"

namespace m2s::sandbox {

void add_misp_routes(Routes& routes, SandboxState& state);

} // namespace m2s::sandbox
