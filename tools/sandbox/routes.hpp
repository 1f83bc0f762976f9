#pragma once

// --- The pipeline every request runs through ---
//
// For each request: count it; unless it is a /_sandbox/* request, let a
// queued fault delay it or answer it instead of the handler; run the
// handler; then record the request (and the objects it stored) in one
// transaction *before* the answer is sent, so a client that has its answer
// finds it in the record file. Each request is logged to stderr as
// "METHOD /path STATUS" (no bodies, no headers).

#include "endpoint.hpp"
#include "recorder.hpp"
#include "sandbox_state.hpp"

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace m2s::sandbox {

// What a handler tells the pipeline to record.
struct RequestNote {
  std::vector<ObjectRecord> accepted; // objects to store
};

using Handler = std::function<void(
    const httplib::Request&, httplib::Response&, RequestNote&)>;

// Objects in a request body (uploads), read before any fault or check so
// the requests table shows what a refused request carried.
using ObjectCounter = std::function<std::int64_t(const httplib::Request&)>;

class Routes {
public:
  Routes(httplib::Server& server, SandboxState& state);

  void get(const std::string& pattern, Endpoint endpoint, Handler handler);
  void post(const std::string& pattern,
            Endpoint endpoint,
            Handler handler,
            ObjectCounter counter = nullptr);
  void del(const std::string& pattern, Endpoint endpoint, Handler handler);

  // Adds the 404 answer for every path not routed, the logger and the
  // exception handler. Call after all routes.
  void finish();

private:
  [[nodiscard]] httplib::Server::Handler
  wrap(Endpoint endpoint, Handler handler, ObjectCounter counter);

  void run(Endpoint endpoint,
           const Handler& handler,
           const ObjectCounter& counter,
           const httplib::Request& req,
           httplib::Response& res);

  // Runs the fault (if any) or the handler.
  void answer(const Handler& handler,
              const httplib::Request& req,
              httplib::Response& res,
              RequestNote& note);

  httplib::Server& m_server;
  SandboxState& m_state;
};

} // namespace m2s::sandbox
