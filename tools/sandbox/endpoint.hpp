#pragma once

// --- Which stand-in API a route belongs to (for counting and recording) ---

namespace m2s::sandbox {

enum class Endpoint {
  misp_search,  // POST /events/restSearch
  misp_index,   // POST /events/index
  misp_version, // GET /servers/getVersion
  token,        // POST /{tenant}/oauth2/v2.0/token
  upload,       // both Sentinel upload APIs
  control,      // /_sandbox/*: not recorded, never faulted
  unknown       // no route: 404
};

} // namespace m2s::sandbox
