#include "sandbox_clock.hpp"

#include <fmt/format.h>

#include <ctime>

namespace m2s::sandbox {

std::chrono::steady_clock::time_point SandboxClock::steady_now() const {
  return std::chrono::steady_clock::now() + offset();
}

std::chrono::system_clock::time_point SandboxClock::wall_now() const {
  return std::chrono::system_clock::now() + offset();
}

std::int64_t SandboxClock::epoch_now() const {
  const auto since = wall_now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(since).count();
}

void SandboxClock::advance(std::chrono::seconds by) {
  if (by.count() > 0) {
    m_offset_seconds += by.count();
  }
}

std::chrono::seconds SandboxClock::offset() const {
  return std::chrono::seconds(m_offset_seconds.load());
}

std::string iso_utc(std::chrono::system_clock::time_point time) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;

  const auto ms = duration_cast<milliseconds>(time.time_since_epoch());
  const auto seconds = static_cast<std::time_t>(ms.count() / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                     parts.tm_year + 1900,
                     parts.tm_mon + 1,
                     parts.tm_mday,
                     parts.tm_hour,
                     parts.tm_min,
                     parts.tm_sec,
                     ms.count() % 1000);
}

} // namespace m2s::sandbox
