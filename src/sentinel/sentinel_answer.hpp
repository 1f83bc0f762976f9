#pragma once

// --- Reading Sentinel's answers (private to src/sentinel) ---

#include "misp2sentinel/sentinel/uploader.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace m2s::detail {

// The reason an error answer gives, on one line: the errorMessages of
// {"errors":[...]}, "message", or {"error":{"message"}}; else the start of
// the body. Empty when the body is empty.
[[nodiscard]] std::string sentinel_message(const std::string& body);

// Whether `body` is JSON at all. Sentinel answers its errors in JSON; an
// HTML page or an empty body comes from something in between (a proxy, a
// gateway) and says nothing about our records.
[[nodiscard]] bool is_json(const std::string& body);

// The records a 200 answer {"errors":[{"recordIndex","errorMessages"}]}
// rejects, indexes into a batch of `count`. An answer without "errors"
// rejects none. Throws SentinelError naming `endpoint` when the answer
// names a record outside the batch or has another shape: the verdict
// cannot be tied to our records, and re-sending will not change that.
[[nodiscard]] std::vector<RecordRejection>
record_errors(const boost::json::object& answer,
              std::size_t count,
              const std::string& endpoint);

} // namespace m2s::detail
