#include "log.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <mutex>

namespace m2s::sandbox {

namespace {

std::mutex& log_mutex() {
  static std::mutex mutex;
  return mutex;
}

} // namespace

void log_line(std::string_view text) {
  const std::lock_guard lock(log_mutex());
  fmt::print(stderr, "m2s-sandbox: {}\n", text);
  std::fflush(stderr);
}

void log_warning(std::string_view text) {
  log_line(fmt::format("warning: {}", text));
}

} // namespace m2s::sandbox
