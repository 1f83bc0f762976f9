#pragma once

// --- Bearer tokens issued by the Entra stand-in ---

#include "sandbox_clock.hpp"

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace m2s::sandbox {

enum class TokenVerdict { valid, unknown, expired, wrong_audience };

class TokenRegistry {
public:
  explicit TokenRegistry(const SandboxClock& clock);

  // A new opaque token for `audience` (the scope without "/.default"),
  // valid for `ttl` on the sandbox clock.
  [[nodiscard]] std::string issue(std::chrono::seconds ttl,
                                  std::string audience);

  // Whether `token` may call the Sentinel upload APIs, which accept only
  // Azure management audiences.
  [[nodiscard]] TokenVerdict check(std::string_view token) const;

private:
  struct Issued {
    std::chrono::steady_clock::time_point expires_at;
    std::string audience;
  };

  const SandboxClock& m_clock;
  mutable std::mutex m_mutex;
  std::unordered_map<std::string, Issued> m_tokens;
};

// True for the audiences Sentinel's upload APIs accept.
[[nodiscard]] bool sentinel_accepts_audience(std::string_view audience);

} // namespace m2s::sandbox
