// m2s-sandbox: a local MISP + Entra token + Sentinel stand-in for the demo
// and the integration tests. Not part of the product. See README.md.

#include "log.hpp"
#include "sandbox_options.hpp"
#include "sandbox_server.hpp"

#include <fmt/format.h>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <thread>

namespace {

using m2s::sandbox::log_line;

// Readers must never see a half-written file: write a sibling, rename.
void write_port_file(const std::string& path, int port) {
  const std::string temporary = fmt::format("{}.tmp.{}", path, ::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << '\n';
    if (!out.flush()) {
      throw std::runtime_error("cannot write " + temporary);
    }
  }
  std::filesystem::rename(temporary, path);
}

sigset_t stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

// Waits for the listener, then announces the port. False when the listener
// died before it was ready.
bool announce(const m2s::sandbox::SandboxServer& server,
              const std::atomic<bool>& failed,
              const m2s::sandbox::SandboxOptions& options,
              int port) {
  // cpp-httplib 0.11 has no wait_until_ready(): a stop() before listening
  // has started would be lost.
  while (!server.is_running() && !failed) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (failed) {
    return false;
  }

  if (!options.port_file.empty()) {
    write_port_file(options.port_file, port);
  }
  fmt::print("m2s-sandbox listening on http://127.0.0.1:{}\n", port);
  std::fflush(stdout);
  return true;
}

int run(const m2s::sandbox::SandboxOptions& options) {
  m2s::sandbox::SandboxServer server(options);
  const int port = server.bind();

  std::atomic<bool> failed{false};
  std::thread listener([&server, &failed] {
    if (!server.serve()) {
      failed = true;
      ::kill(::getpid(), SIGTERM); // wake main's sigwait
    }
  });

  bool ready = false;
  try {
    ready = announce(server, failed, options, port);
  } catch (const std::exception& error) {
    log_line(fmt::format("error: {}", error.what()));
  }

  if (ready) {
    const sigset_t signals = stop_signals();
    int received = 0;
    sigwait(&signals, &received);
    log_line(failed ? "listener failed, stopping"
                    : fmt::format("signal {} received, stopping", received));
  }

  server.stop();
  listener.join();
  return ready && !failed ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  m2s::sandbox::SandboxOptions options;
  if (const auto code = m2s::sandbox::parse_options(argc, argv, options)) {
    return *code;
  }

  // Block the stop signals before any thread starts, so every thread
  // inherits the mask and only main's sigwait receives them. A client that
  // hangs up mid-answer must not kill the server with SIGPIPE.
  const sigset_t signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  try {
    return run(options);
  } catch (const std::exception& error) {
    log_line(fmt::format("error: {}", error.what()));
    return 1;
  }
}
