#pragma once

// --- The upload APIs' request limit: N requests per sliding window ---

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>

namespace m2s::sandbox {

class RateWindow {
public:
  RateWindow(int limit, std::chrono::milliseconds window);

  // Admits a request at `now` and returns nullopt, or refuses it and returns
  // how long until the oldest admitted request leaves the window. Refused
  // requests are not counted, so a client that waits as told gets in.
  [[nodiscard]] std::optional<std::chrono::milliseconds>
  admit(std::chrono::steady_clock::time_point now);

private:
  std::size_t m_limit;
  std::chrono::milliseconds m_window;
  std::mutex m_mutex;
  std::deque<std::chrono::steady_clock::time_point> m_admitted;
};

} // namespace m2s::sandbox
