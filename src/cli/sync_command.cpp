#include "sync_command.hpp"

#include "misp2sentinel/http/http_client.hpp"
#include "misp2sentinel/http/retry.hpp"
#include "misp2sentinel/misp/misp_client.hpp"
#include "misp2sentinel/sentinel/rate_limiter.hpp"
#include "misp2sentinel/sentinel/token_cache.hpp"
#include "misp2sentinel/sentinel/uploader.hpp"
#include "misp2sentinel/store/run_lock.hpp"
#include "misp2sentinel/store/store.hpp"
#include "misp2sentinel/sync/live_endpoints.hpp"
#include "misp2sentinel/sync/sync_engine.hpp"
#include "misp2sentinel/util/time.hpp"
#include "summary_output.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace m2s {

namespace {

HttpOptions http_options(bool verify_tls, const std::string& ca_file,
                         int timeout_seconds) {
  HttpOptions options;
  options.tls.verify = verify_tls;
  options.tls.ca_file = ca_file;
  options.timeout = std::chrono::seconds(timeout_seconds);
  return options;
}

} // namespace

ExitCode run_sync_command(const Config& config,
                          const SyncCommandOptions& options) {
  RunLock lock(config.state.path);
  Store store(config.state.path);

  if (!config.misp.verify_tls || !config.sentinel.verify_tls) {
    spdlog::warn("TLS certificate verification is OFF for {}: anyone on "
                 "the path can read the API key and change the data",
                 config.misp.verify_tls ? "Sentinel" : "MISP");
  }

  HttpClient misp_http(http_options(config.misp.verify_tls,
                                    config.misp.ca_file,
                                    config.misp.timeout_seconds));
  HttpClient sentinel_http(http_options(config.sentinel.verify_tls,
                                        config.sentinel.ca_file,
                                        config.sentinel.timeout_seconds));

  // One budget for the whole run: a long outage ends the run instead of
  // letting cron start the next one on top of it.
  RetryBudget retry(
      std::chrono::seconds(config.limits.retry_budget_seconds),
      std::chrono::seconds(1),
      std::chrono::seconds(60));
  const Sleeper sleeper = real_sleeper();

  MispClient misp(config.misp, misp_http, retry, sleeper);
  EntraTokenCache tokens(config.sentinel, sentinel_http);
  RateLimiter limiter(config.sentinel.requests_per_minute,
                      std::chrono::minutes(1),
                      sleeper);
  SentinelUploader uploader(
      config.sentinel, sentinel_http, tokens, limiter, retry, sleeper);

  MispEventSource source(misp);
  SentinelSink sink(uploader);
  SyncEngine engine(config, store, source, sink, now_epoch_ms);

  SyncOptions sync_options;
  sync_options.full = options.full;
  const SyncSummary summary = engine.run(sync_options);

  print_summary(summary);
  if (!summary.error.empty()) {
    spdlog::error("{}", summary.error);
  }
  return summary.exit_code;
}

} // namespace m2s
