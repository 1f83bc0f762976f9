#pragma once

// --- The Sentinel threat-intelligence upload stand-in ---
//
//   POST /workspaces/{ws}/threat-intelligence-stix-objects:upload
//        ?api-version=2024-02-01-preview   body {"sourcesystem","stixobjects"}
//   POST /{ws}/threatintelligence:upload-indicators
//        ?api-version=2022-07-01           body {"sourcesystem","value"}
// Checks, in order: bearer token (401), workspace (404), api-version (400),
// rate window (429 + Retry-After), body shape and batch size (400), then
// each object (errors[] with recordIndex). Accepted objects go to the
// record file.

#include "routes.hpp"

namespace m2s::sandbox {

void add_sentinel_routes(Routes& routes, SandboxState& state);

} // namespace m2s::sandbox
