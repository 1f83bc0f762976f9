#pragma once

// --- The real MISP and Sentinel clients of one run, built from Config ---
//
// Shared by the commands that talk to both (sync, revoke): one retry
// budget, one rate limiter and one token cache per run.

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/http/http_client.hpp"
#include "misp2sentinel/http/retry.hpp"
#include "misp2sentinel/misp/misp_client.hpp"
#include "misp2sentinel/sentinel/rate_limiter.hpp"
#include "misp2sentinel/sentinel/token_cache.hpp"
#include "misp2sentinel/sentinel/uploader.hpp"
#include "misp2sentinel/sync/live_endpoints.hpp"

#include <functional>

namespace m2s {

// The options of one service's HttpClient: its TLS settings and timeout,
// and the run's [limits] max_response_mb (MISP pages, Entra ID, Sentinel).
[[nodiscard]] HttpOptions http_options(const RunLimits& limits,
                                       bool verify_tls,
                                       const std::string& ca_file,
                                       int timeout_seconds);

class LiveClients {
public:
  explicit LiveClients(const Config& config);
  LiveClients(const LiveClients&) = delete;
  LiveClients& operator=(const LiveClients&) = delete;

  EventSource& misp() {
    return m_source;
  }

  IndicatorSink& sentinel() {
    return m_sink;
  }

  MispClient& misp_client() {
    return m_misp;
  }

  SentinelUploader& uploader() {
    return m_uploader;
  }

  // Called before every wait of a retry or of the rate limit.
  void before_waiting(std::function<void()> hook) {
    m_before_waiting = std::move(hook);
  }

private:
  HttpClient m_misp_http;
  HttpClient m_sentinel_http;
  RetryBudget m_retry;
  std::function<void()> m_before_waiting;
  Sleeper m_sleeper;
  MispClient m_misp;
  EntraTokenCache m_tokens;
  RateLimiter m_limiter;
  SentinelUploader m_uploader;
  MispEventSource m_source;
  SentinelSink m_sink;
};

} // namespace m2s
