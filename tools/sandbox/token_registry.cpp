#include "token_registry.hpp"

#include "random_ids.hpp"
#include "text_util.hpp"

#include <array>

namespace m2s::sandbox {

bool sentinel_accepts_audience(std::string_view audience) {
  constexpr std::array<std::string_view, 4> k_accepted = {
      "https://management.core.windows.net/",
      "https://management.core.windows.net",
      "https://management.azure.com/",
      "https://management.azure.com"};
  for (const auto accepted : k_accepted) {
    if (iequals(audience, accepted)) {
      return true;
    }
  }
  return false;
}

TokenRegistry::TokenRegistry(const SandboxClock& clock)
    : m_clock(clock) {}

std::string TokenRegistry::issue(std::chrono::seconds ttl,
                                 std::string audience) {
  std::string token = "sandbox." + random_hex(32);
  const auto now = m_clock.steady_now();

  const std::lock_guard lock(m_mutex);
  // Drop expired tokens so a long demo does not grow the map forever.
  std::erase_if(m_tokens, [now](const auto& entry) {
    return entry.second.expires_at <= now;
  });
  m_tokens[token] = Issued{now + ttl, std::move(audience)};
  return token;
}

TokenVerdict TokenRegistry::check(std::string_view token) const {
  const auto now = m_clock.steady_now();

  const std::lock_guard lock(m_mutex);
  const auto found = m_tokens.find(std::string(token));
  if (found == m_tokens.end()) {
    return TokenVerdict::unknown;
  }
  if (found->second.expires_at <= now) {
    return TokenVerdict::expired;
  }
  if (!sentinel_accepts_audience(found->second.audience)) {
    return TokenVerdict::wrong_audience;
  }
  return TokenVerdict::valid;
}

} // namespace m2s::sandbox
