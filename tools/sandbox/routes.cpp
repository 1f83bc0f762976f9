#include "routes.hpp"

#include "http_reply.hpp"
#include "log.hpp"

#include <boost/json/object.hpp>
#include <fmt/format.h>

#include <exception>

namespace m2s::sandbox {

namespace {

void send_internal_error(httplib::Response& res, std::string_view what) {
  res.headers.clear();
  send_json(res,
            500,
            boost::json::object{{"statusCode", 500},
                                {"message", "Internal server error"},
                                {"sandboxError", what}});
}

void send_not_found(const httplib::Request& req, httplib::Response& res) {
  // MISP's shape; the Sentinel and Entra clients only look at the status.
  send_json(res,
            404,
            boost::json::object{{"name", "Not Found"},
                                {"message", "Not Found"},
                                {"url", req.path}});
}

} // namespace

Routes::Routes(httplib::Server& server, SandboxState& state)
    : m_server(server),
      m_state(state) {}

void Routes::get(const std::string& pattern,
                 Endpoint endpoint,
                 Handler handler) {
  m_server.Get(pattern, wrap(endpoint, std::move(handler), nullptr));
}

void Routes::post(const std::string& pattern,
                  Endpoint endpoint,
                  Handler handler,
                  ObjectCounter counter) {
  m_server.Post(pattern,
                wrap(endpoint, std::move(handler), std::move(counter)));
}

void Routes::del(const std::string& pattern,
                 Endpoint endpoint,
                 Handler handler) {
  m_server.Delete(pattern, wrap(endpoint, std::move(handler), nullptr));
}

void Routes::finish() {
  const Handler not_found =
      [](const httplib::Request& req, httplib::Response& res, RequestNote&) {
        send_not_found(req, res);
      };
  m_server.Get(".*", wrap(Endpoint::unknown, not_found, nullptr));
  m_server.Post(".*", wrap(Endpoint::unknown, not_found, nullptr));
  m_server.Put(".*", wrap(Endpoint::unknown, not_found, nullptr));
  m_server.Patch(".*", wrap(Endpoint::unknown, not_found, nullptr));
  m_server.Delete(".*", wrap(Endpoint::unknown, not_found, nullptr));

  m_server.set_logger(
      [](const httplib::Request& req, const httplib::Response& res) {
        log_line(fmt::format("{} {} {}", req.method, req.path, res.status));
      });

  // Only reached for exceptions outside run() (run() catches its own).
  m_server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        send_internal_error(res, "unexpected exception");
      });
}

httplib::Server::Handler
Routes::wrap(Endpoint endpoint, Handler handler, ObjectCounter counter) {
  return [this,
          endpoint,
          handler = std::move(handler),
          counter = std::move(counter)](const httplib::Request& req,
                                        httplib::Response& res) {
    run(endpoint, handler, counter, req, res);
  };
}

void Routes::run(Endpoint endpoint,
                 const Handler& handler,
                 const ObjectCounter& counter,
                 const httplib::Request& req,
                 httplib::Response& res) {
  const std::string received_at = iso_utc(m_state.clock.wall_now());
  m_state.stats.count(endpoint);
  const std::int64_t objects = counter ? counter(req) : 0;

  RequestNote note;
  if (endpoint == Endpoint::control) {
    handler(req, res, note);
    return;
  }
  answer(handler, req, res, note);

  const auto accepted = static_cast<std::int64_t>(note.accepted.size());
  RequestRecord row;
  row.received_at = received_at;
  row.method = req.method;
  row.path = req.path;
  row.status = res.status;
  row.objects = std::max(objects, accepted);
  row.rejected = row.objects - accepted;
  try {
    m_state.recorder.record(row, note.accepted);
    m_state.stats.objects_accepted += accepted;
  } catch (const std::exception& error) {
    log_warning(fmt::format("cannot write the record file: {}", error.what()));
    send_internal_error(res, "cannot write the record file");
  }
}

void Routes::answer(const Handler& handler,
                    const httplib::Request& req,
                    httplib::Response& res,
                    RequestNote& note) {
  try {
    const auto fault = m_state.faults.take(req.path);
    if (fault) {
      ++m_state.stats.faults_served;
      if (fault->delay.count() > 0 && !m_state.faults.sleep(fault->delay)) {
        send_internal_error(res, "the sandbox is shutting down");
        return;
      }
      if (fault->answers()) {
        answer_with_fault(*fault, res);
        return;
      }
    }
    handler(req, res, note);
  } catch (const std::exception& error) {
    log_warning(
        fmt::format("{} {} failed: {}", req.method, req.path, error.what()));
    note.accepted.clear();
    send_internal_error(res, error.what());
  }
}

} // namespace m2s::sandbox
