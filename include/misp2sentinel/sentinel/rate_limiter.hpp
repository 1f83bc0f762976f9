#pragma once

// --- At most N requests in any sliding window (Sentinel: 100 a minute) ---

#include "misp2sentinel/http/retry.hpp"

#include <chrono>
#include <deque>
#include <functional>

namespace m2s {

class RateLimiter {
public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  RateLimiter(int requests_per_window,
              std::chrono::milliseconds window,
              Sleeper sleeper,
              Clock clock = std::chrono::steady_clock::now);

  // Block until one more request fits in the window, then count it.
  void acquire();

  // The request counted by the last acquire() has its answer: count it
  // from now instead. The server counts it on arrival, at some moment up
  // to now; counting from the send would let a request that was slow to
  // arrive (a token fetch first, a slow network) be followed by one that
  // lands inside the server's window, and draw a 429.
  void answered();

  // After a 429: treat the window as full for `wait`.
  void back_off(std::chrono::milliseconds wait);

private:
  void stop_if_asked() const;

  int m_limit;
  std::chrono::milliseconds m_window;
  Sleeper m_sleep;
  Clock m_clock;
  std::deque<std::chrono::steady_clock::time_point> m_sent;
  std::chrono::steady_clock::time_point m_blocked_until{};
};

} // namespace m2s
