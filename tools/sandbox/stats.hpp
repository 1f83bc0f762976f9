#pragma once

// --- Counters behind GET /_sandbox/stats ---

#include "endpoint.hpp"

#include <boost/json/object.hpp>

#include <atomic>
#include <cstdint>

namespace m2s::sandbox {

struct Stats {
  std::atomic<std::int64_t> restsearch_requests{0};
  std::atomic<std::int64_t> index_requests{0};
  std::atomic<std::int64_t> version_requests{0};
  std::atomic<std::int64_t> upload_requests{0};
  std::atomic<std::int64_t> token_requests{0};
  std::atomic<std::int64_t> throttled{0};        // 429s from the rate window
  std::atomic<std::int64_t> objects_accepted{0}; // stored in the record
  std::atomic<std::int64_t> objects_rejected{0}; // listed in errors[]
  std::atomic<std::int64_t> faults_served{0};

  // Every request that reaches a route, faulted or not.
  void count(Endpoint endpoint);

  [[nodiscard]] boost::json::object to_json() const;
};

} // namespace m2s::sandbox
