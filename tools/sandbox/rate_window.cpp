#include "rate_window.hpp"

namespace m2s::sandbox {

RateWindow::RateWindow(int limit, std::chrono::milliseconds window)
    : m_limit(static_cast<std::size_t>(limit)),
      m_window(window) {}

std::optional<std::chrono::milliseconds>
RateWindow::admit(std::chrono::steady_clock::time_point now) {
  const std::lock_guard lock(m_mutex);

  while (!m_admitted.empty() && m_admitted.front() + m_window <= now) {
    m_admitted.pop_front();
  }

  if (m_admitted.size() >= m_limit) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        m_admitted.front() + m_window - now);
  }
  m_admitted.push_back(now);
  return std::nullopt;
}

} // namespace m2s::sandbox
