#include "misp2sentinel/sentinel/rate_limiter.hpp"

#include "misp2sentinel/util/errors.hpp"
#include "misp2sentinel/util/termination.hpp"

#include <algorithm>
#include <utility>

namespace m2s {

namespace {

using std::chrono::milliseconds;

// Sleep whole milliseconds, rounded up, so a wait of a fraction of one
// does not turn into a busy loop of zero-length sleeps.
milliseconds whole_ms(std::chrono::steady_clock::duration wait) {
  return std::max(std::chrono::ceil<milliseconds>(wait), milliseconds(1));
}

} // namespace

RateLimiter::RateLimiter(int requests_per_window,
                         milliseconds window,
                         Sleeper sleeper,
                         Clock clock)
    : m_limit(std::max(requests_per_window, 1)),
      m_window(std::max(window, milliseconds(1))),
      m_sleep(std::move(sleeper)),
      m_clock(std::move(clock)) {}

void RateLimiter::acquire() {
  while (true) {
    const auto now = m_clock();

    if (now < m_blocked_until) {
      m_sleep(whole_ms(m_blocked_until - now));
      stop_if_asked();
      continue;
    }

    // A request sent at t occupies the window (t - window, t]; it leaves
    // once `window` has passed.
    while (!m_sent.empty() && m_sent.front() + m_window <= now) {
      m_sent.pop_front();
    }

    if (std::cmp_less(m_sent.size(), m_limit)) {
      m_sent.push_back(now);
      return;
    }

    m_sleep(whole_ms(m_sent.front() + m_window - now));
    stop_if_asked();
  }
}

// A wait cut short by SIGTERM or SIGINT must not end in a request sent
// before the limit allows it.
void RateLimiter::stop_if_asked() const {
  if (const auto stopped =
          stop_requested_while("waiting for Sentinel's rate limit")) {
    throw SentinelError(*stopped + "; the batch was not sent");
  }
}

void RateLimiter::answered() {
  if (!m_sent.empty()) {
    m_sent.back() = std::max(m_sent.back(), m_clock());
  }
}

void RateLimiter::back_off(milliseconds wait) {
  m_blocked_until = std::max(m_blocked_until, m_clock() + wait);
}

} // namespace m2s
