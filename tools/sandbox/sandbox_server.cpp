#include "sandbox_server.hpp"

#include "control_stub.hpp"
#include "misp_stub.hpp"
#include "sentinel_stub.hpp"
#include "token_stub.hpp"

#include <fmt/format.h>

#include <sys/socket.h>

#include <stdexcept>

namespace m2s::sandbox {

namespace {

// Enough workers that slow (delayed) requests and keep-alive connections
// of a test client do not starve the others.
constexpr std::size_t k_worker_threads = 16;

} // namespace

SandboxServer::SandboxServer(const SandboxOptions& options)
    : m_options(options),
      m_state(options),
      m_routes(m_server, m_state) {
  m_server.new_task_queue = [] {
    return new httplib::ThreadPool(k_worker_threads);
  };
  // httplib's default sets SO_REUSEPORT, which lets a second sandbox bind
  // a fixed port already in use and steal half of its connections. Keep
  // only SO_REUSEADDR (a restart may rebind a port in TIME_WAIT).
  m_server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });

  add_control_routes(m_routes, m_state);
  add_misp_routes(m_routes, m_state);
  add_token_routes(m_routes, m_state);
  add_sentinel_routes(m_routes, m_state);
  m_routes.finish();
}

int SandboxServer::bind() {
  const std::string host = "127.0.0.1";
  if (m_options.port == 0) {
    const int port = m_server.bind_to_any_port(host);
    if (port <= 0) {
      throw std::runtime_error("cannot bind any port on 127.0.0.1");
    }
    return port;
  }
  if (!m_server.bind_to_port(host, m_options.port)) {
    throw std::runtime_error(
        fmt::format("cannot bind 127.0.0.1:{} (in use?)", m_options.port));
  }
  return m_options.port;
}

bool SandboxServer::serve() {
  return m_server.listen_after_bind();
}

bool SandboxServer::is_running() const {
  return m_server.is_running();
}

void SandboxServer::stop() {
  m_state.faults.stop();
  m_server.stop();
}

} // namespace m2s::sandbox
