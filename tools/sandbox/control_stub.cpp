#include "control_stub.hpp"

#include "http_reply.hpp"
#include "json_util.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <vector>

namespace m2s::sandbox {

namespace {

void send_control_error(httplib::Response& res, const std::string& message) {
  send_json(res, 400, boost::json::object{{"error", message}});
}

void queue_faults(SandboxState& state,
                  const httplib::Request& req,
                  httplib::Response& res) {
  const auto body = parse_json(req.body);
  if (!body) {
    send_control_error(res, "the body must be a JSON fault or list of faults");
    return;
  }

  // Parse all first so a bad entry queues nothing.
  std::vector<Fault> faults;
  try {
    if (const auto* list = body->if_array()) {
      for (const auto& item : *list) {
        faults.push_back(parse_fault(item));
      }
    } else {
      faults.push_back(parse_fault(*body));
    }
  } catch (const FaultError& error) {
    send_control_error(res, error.what());
    return;
  }

  for (auto& fault : faults) {
    state.faults.push(std::move(fault));
  }
  send_json(res,
            200,
            boost::json::object{{"queued", state.faults.describe().size()}});
}

void advance_clock(SandboxState& state,
                   const httplib::Request& req,
                   httplib::Response& res) {
  const auto body = parse_json(req.body);
  const auto* fields = body ? body->if_object() : nullptr;
  const auto seconds = fields != nullptr
                           ? lenient_int(fields->if_contains("advance_seconds"))
                           : std::nullopt;
  if (!seconds || *seconds < 0) {
    send_control_error(res, "expected {\"advance_seconds\": N}, N >= 0");
    return;
  }
  state.clock.advance(std::chrono::seconds(*seconds));
  send_json(
      res,
      200,
      boost::json::object{{"offset_seconds", state.clock.offset().count()}});
}

} // namespace

void add_control_routes(Routes& routes, SandboxState& state) {
  routes.post("/_sandbox/faults",
              Endpoint::control,
              [&state](const auto& req, auto& res, RequestNote&) {
                queue_faults(state, req, res);
              });
  routes.get(
      "/_sandbox/faults",
      Endpoint::control,
      [&state](const auto&, auto& res, RequestNote&) {
        send_json(
            res, 200, boost::json::object{{"faults", state.faults.describe()}});
      });
  routes.del(
      "/_sandbox/faults",
      Endpoint::control,
      [&state](const auto&, auto& res, RequestNote&) {
        send_json(
            res, 200, boost::json::object{{"cleared", state.faults.clear()}});
      });
  routes.get("/_sandbox/stats",
             Endpoint::control,
             [&state](const auto&, auto& res, RequestNote&) {
               send_json(res, 200, state.stats.to_json());
             });
  routes.post("/_sandbox/clock",
              Endpoint::control,
              [&state](const auto& req, auto& res, RequestNote&) {
                advance_clock(state, req, res);
              });
}

} // namespace m2s::sandbox
