#pragma once

// --- The stand-in as one HTTP server on 127.0.0.1 ---

#include "routes.hpp"
#include "sandbox_options.hpp"
#include "sandbox_state.hpp"

#include <httplib.h>

namespace m2s::sandbox {

class SandboxServer {
public:
  // Opens the record file and registers every route. Throws
  // std::runtime_error when the record file cannot be opened.
  explicit SandboxServer(const SandboxOptions& options);

  // Binds 127.0.0.1:options.port (0: any free port); returns the port.
  // Throws std::runtime_error when the port cannot be bound.
  [[nodiscard]] int bind();

  // Serves until stop(). False when the listener failed on its own.
  [[nodiscard]] bool serve();

  [[nodiscard]] bool is_running() const;

  // Ends serve(); wakes fault delays so it does not wait for them.
  void stop();

private:
  const SandboxOptions& m_options;
  SandboxState m_state;
  httplib::Server m_server;
  Routes m_routes; // its handlers point back at it: keep it alive
};

} // namespace m2s::sandbox
