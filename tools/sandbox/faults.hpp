#pragma once

// --- Fault injection: queued answers that replace normal handling ---
//
// A fault applies to the next `count` requests whose path contains
// `path_contains` (never to /_sandbox/* paths). Faults are tried in the
// order they were queued; the first that matches is used.

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace m2s::sandbox {

struct Fault {
  std::string path_contains; // empty: every non-/_sandbox path
  // Without a status (and without close_connection) the request is handled
  // normally after the delay: a pure slow-down.
  std::optional<int> status;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int count = 1;
  std::chrono::milliseconds delay{0};
  // Announce a Content-Length larger than the body, send the body, then
  // drop the connection: the client sees a truncated answer.
  bool close_connection = false;

  [[nodiscard]] bool answers() const {
    return status.has_value() || close_connection;
  }
};

class FaultError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// From the JSON of POST /_sandbox/faults. Throws FaultError naming the bad
// member; unknown members are refused so a typo cannot go unnoticed.
[[nodiscard]] Fault parse_fault(const boost::json::value& json);

[[nodiscard]] boost::json::object fault_to_json(const Fault& fault);

class FaultQueue {
public:
  void push(Fault fault);

  // Number of faults dropped.
  std::size_t clear();

  // The fault for a request to `path`, with its count used up by one.
  [[nodiscard]] std::optional<Fault> take(const std::string& path);

  [[nodiscard]] boost::json::array describe() const;

  // Sleeps `delay`, or less when stop() is called. False when stopped.
  bool sleep(std::chrono::milliseconds delay);

  // Wakes every sleeper, so shutting down does not wait for long delays.
  void stop();

private:
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<Fault> m_queue;
  bool m_stopping = false;
};

// Writes the fault's answer into `res`.
void answer_with_fault(const Fault& fault, httplib::Response& res);

} // namespace m2s::sandbox
