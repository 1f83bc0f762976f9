#pragma once

// --- Capped exponential backoff with jitter, within a time budget ---

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace m2s {

using Sleeper = std::function<void(std::chrono::milliseconds)>;

// The real sleeper (std::this_thread::sleep_for).
[[nodiscard]] Sleeper real_sleeper();

class RetryBudget {
public:
  // `budget`: total time this run may spend waiting between retries.
  RetryBudget(std::chrono::milliseconds budget,
              std::chrono::milliseconds base_delay,
              std::chrono::milliseconds max_delay);

  // The delay before retry number `attempt` (1-based): base * 2^(attempt-1),
  // capped at max_delay, with +-25% jitter; or `requested` (a server's
  // Retry-After) when given. Returns nullopt when the remaining budget
  // cannot cover it. Spends the budget.
  [[nodiscard]] std::optional<std::chrono::milliseconds>
  next_delay(int attempt,
             std::optional<std::chrono::milliseconds> requested = {});

  std::chrono::milliseconds remaining() const noexcept {
    return m_remaining;
  }

private:
  std::chrono::milliseconds m_remaining;
  std::chrono::milliseconds m_base;
  std::chrono::milliseconds m_max;
};

// Seconds to wait from a 429: the `Retry-After` header (seconds) if any,
// else "Try again in N seconds" in the body; nullopt when neither says.
[[nodiscard]] std::optional<std::chrono::milliseconds>
parse_retry_after(const std::string& retry_after_header,
                  const std::string& body);

// "gave up on WHERE after N attempts: CAUSE", and, when the server asked
// for a wait (`requested`: Retry-After, "Try again in N seconds"), that
// the wait was more than the run's retry budget had left: the same for
// MISP, Entra ID and Sentinel.
[[nodiscard]] std::string
gave_up_text(const std::string& where,
             int attempts,
             const std::string& cause,
             std::optional<std::chrono::milliseconds> requested);

} // namespace m2s
