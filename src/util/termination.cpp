#include "misp2sentinel/util/termination.hpp"

#include <fmt/format.h>

#include <csignal>

namespace m2s {

namespace {

volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_termination_signal(int signal) {
  if (g_signal != 0) {
    // The second one: the operator means it.
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  g_signal = signal;
}

// "SIGTERM", "SIGINT", or "a signal".
const char* signal_name(int signal) {
  switch (signal) {
  case SIGTERM:
    return "SIGTERM";
  case SIGINT:
    return "SIGINT";
  default:
    return "a signal";
  }
}

} // namespace

void install_termination_handlers() {
  struct sigaction action {};

  action.sa_handler = on_termination_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESTART: a read or a sleep in progress goes on; the run stops at
  // its next step instead of failing the call it was in.
  action.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
}

int termination_signal() {
  return g_signal;
}

std::optional<std::string> stop_requested_while(std::string_view doing) {
  const int signal = termination_signal();
  if (signal == 0) {
    return std::nullopt;
  }
  return fmt::format("stopped by {} while {}", signal_name(signal), doing);
}

void request_termination(int signal) {
  g_signal = signal;
}

void clear_termination_request() {
  g_signal = 0;
}

} // namespace m2s
