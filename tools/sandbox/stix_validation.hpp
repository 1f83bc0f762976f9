#pragma once

// --- Per-object validation, as Sentinel's upload APIs report it ---

#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace m2s::sandbox {

enum class UploadApi {
  stix_objects,     // /workspaces/{ws}/threat-intelligence-stix-objects:upload
  upload_indicators // legacy /{ws}/threatintelligence:upload-indicators
};

// "stix-objects" or "upload-indicators", as recorded in the objects table.
[[nodiscard]] const char* upload_api_name(UploadApi api);

// Everything wrong with one uploaded object, each message in Sentinel's
// form "Error for Property=<property>: <problem>"; empty when the object is
// accepted. Checks the common properties (id "<type>--<uuid>", created and
// modified RFC 3339 UTC with modified >= created, spec_version 2.1,
// confidence 0..100, ...), the required ones per type, and for indicators
// valid_until > valid_from and a single-comparison STIX pattern. The legacy
// API accepts only indicators.
[[nodiscard]] std::vector<std::string>
validate_stix_object(const boost::json::value& object, UploadApi api);

} // namespace m2s::sandbox
