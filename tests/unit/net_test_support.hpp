#pragma once

// --- Test doubles for the network layer: a real HTTP server on loopback and
// a fake clock whose sleeper records waits instead of sleeping ---

#include "misp2sentinel/http/retry.hpp"

#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace m2s::test {

// An httplib server on 127.0.0.1 and an ephemeral port. Register handlers
// on server() first, then start(); stop() (or the destructor) joins.
class LoopbackServer {
public:
  LoopbackServer() {
    // One request per connection: a kept-alive idle connection would hold
    // stop() for httplib's keep-alive timeout (5 s).
    m_server.set_keep_alive_max_count(1);
    m_port = m_server.bind_to_any_port("127.0.0.1");
    if (m_port <= 0) {
      throw std::runtime_error("cannot bind a loopback port");
    }
  }

  ~LoopbackServer() {
    stop();
  }

  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  httplib::Server& server() {
    return m_server;
  }

  void start() {
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
    // No wait_until_ready() in httplib 0.11: a stop() before listening has
    // begun would be lost and join() would hang.
    for (int i = 0; i < 1000 && !m_server.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  void stop() {
    if (m_thread.joinable()) {
      m_server.stop();
      m_thread.join();
    }
  }

  std::string url(const std::string& path = "") const {
    return "http://127.0.0.1:" + std::to_string(m_port) + path;
  }

  int port() const {
    return m_port;
  }

private:
  httplib::Server m_server;
  int m_port = 0;
  std::thread m_thread;
};

// A loopback URL where nothing listens: a port that was bound and closed
// again without listen(), so connecting is refused at once.
inline std::string refused_url(const std::string& path = "") {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    throw std::runtime_error("cannot create a socket");
  }

  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  const bool bound =
      ::bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0
      && ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
  ::close(fd);
  if (!bound) {
    throw std::runtime_error("cannot bind a loopback port");
  }
  return "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + path;
}

// Time that moves only when someone sleeps.
class FakeTime {
public:
  std::chrono::steady_clock::time_point now() const {
    return m_now;
  }

  void advance(std::chrono::milliseconds by) {
    m_now += by;
  }

  Sleeper sleeper() {
    return [this](std::chrono::milliseconds wait) {
      m_sleeps.push_back(wait);
      m_now += wait;
    };
  }

  std::function<std::chrono::steady_clock::time_point()> clock() {
    return [this] {
      return m_now;
    };
  }

  const std::vector<std::chrono::milliseconds>& sleeps() const {
    return m_sleeps;
  }

private:
  std::chrono::steady_clock::time_point m_now{std::chrono::hours(1000)};
  std::vector<std::chrono::milliseconds> m_sleeps;
};

} // namespace m2s::test
