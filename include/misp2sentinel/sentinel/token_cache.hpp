#pragma once

// --- Entra ID client-credentials tokens, cached until shortly before expiry

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/http/http_client.hpp"

#include <chrono>
#include <functional>
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
  EntraTokenCache(const SentinelConfig& config, HttpClient& http,
                  Clock clock = std::chrono::steady_clock::now);

  [[nodiscard]] std::string bearer() override;
  void invalidate() override;

private:
  const SentinelConfig& m_config;
  HttpClient& m_http;
  Clock m_clock;
  std::string m_token;
  std::chrono::steady_clock::time_point m_expires_at{};
};

} // namespace m2s
