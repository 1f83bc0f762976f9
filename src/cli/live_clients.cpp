#include "live_clients.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace m2s {

HttpOptions http_options(const RunLimits& limits,
                         bool verify_tls,
                         const std::string& ca_file,
                         int timeout_seconds) {
  HttpOptions options;
  options.tls.verify = verify_tls;
  options.tls.ca_file = ca_file;
  options.timeout = std::chrono::seconds(timeout_seconds);
  options.max_response_bytes =
      static_cast<std::size_t>(limits.max_response_mb) * 1024u * 1024u;
  return options;
}

namespace {

void warn_if_tls_off(const Config& config) {
  if (!config.misp.verify_tls || !config.sentinel.verify_tls) {
    spdlog::warn("TLS certificate verification is OFF for {}: anyone on "
                 "the path can read the credentials and change the data",
                 config.misp.verify_tls ? "Sentinel" : "MISP");
  }
}

} // namespace

LiveClients::LiveClients(const Config& config)
    : m_misp_http(http_options(config.limits,
                               config.misp.verify_tls,
                               config.misp.ca_file,
                               config.misp.timeout_seconds)),
      // The token requests go through this client too.
      m_sentinel_http(http_options(config.limits,
                                   config.sentinel.verify_tls,
                                   config.sentinel.ca_file,
                                   config.sentinel.timeout_seconds)),
      // One budget for the whole run: a long outage ends the run instead
      // of letting cron start the next one on top of it.
      m_retry(std::chrono::seconds(config.limits.retry_budget_seconds),
              std::chrono::seconds(1),
              std::chrono::seconds(60)),
      m_sleeper([this, sleep = real_sleeper()](std::chrono::milliseconds wait) {
        if (m_before_waiting) {
          m_before_waiting();
        }
        sleep(wait);
      }),
      m_misp(config.misp, m_misp_http, m_retry, m_sleeper),
      m_tokens(config.sentinel, m_sentinel_http),
      m_limiter(config.sentinel.requests_per_minute,
                std::chrono::milliseconds(config.sentinel.rate_window_ms),
                m_sleeper),
      m_uploader(config.sentinel,
                 m_sentinel_http,
                 m_tokens,
                 m_limiter,
                 m_retry,
                 m_sleeper),
      m_source(m_misp),
      m_sink(m_uploader) {
  m_tokens.retry_with(m_retry, m_sleeper);
  warn_if_tls_off(config);
}

} // namespace m2s
