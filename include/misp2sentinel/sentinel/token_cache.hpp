#pragma once

// --- Entra ID client-credentials tokens, cached until shortly before expiry

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/http/http_client.hpp"
#include "misp2sentinel/http/retry.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace m2s {

class TokenSource {
public:
  virtual ~TokenSource() = default;

  // A bearer token valid for at least a minute. Throws SentinelError.
  [[nodiscard]] virtual std::string bearer() = 0;

  // Forget the cached token (after a 401), so the next bearer() asks anew.
  virtual void invalidate() = 0;
};

class EntraTokenCache final : public TokenSource {
public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // POSTs {login_url}/{tenant_id}/oauth2/v2.0/token with client_id,
  // client_secret, scope and grant_type=client_credentials. Errors name the
  // tenant and Entra's error code (AADSTS...), never the secret: 400/401
  // "bad client secret or client id", unknown tenant, and so on.
  EntraTokenCache(const SentinelConfig& config,
                  HttpClient& http,
                  Clock clock = std::chrono::steady_clock::now);

  // Retry 429, 5xx and failed connections within the run's `budget`,
  // sleeping with `sleeper`; without it (`check`), one attempt.
  void retry_with(RetryBudget& budget, Sleeper sleeper);

  [[nodiscard]] std::string bearer() override;
  void invalidate() override;

private:
  // "Entra ID token request for tenant <id>", how its messages begin.
  [[nodiscard]] std::string request_name() const;
  // What a non-200 answer says, for an error message.
  [[nodiscard]] std::string refusal(const HttpResponse& response,
                                    const std::string& endpoint) const;
  // The token from one 200 answer; throws SentinelError for any other.
  std::string accept(const HttpResponse& response, const std::string& endpoint);
  // Waits before attempt `attempts` + 1, or throws when it may not.
  void wait_before_retry(int attempts,
                         std::optional<std::chrono::milliseconds> requested,
                         const std::string& endpoint,
                         const std::string& cause);

  const SentinelConfig& m_config;
  HttpClient& m_http;
  Clock m_clock;
  RetryBudget* m_retry = nullptr;
  Sleeper m_sleep;
  std::string m_token;
  std::chrono::steady_clock::time_point m_expires_at{};
};

} // namespace m2s
