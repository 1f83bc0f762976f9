#pragma once

// --- Batches of STIX objects to one Sentinel workspace ---
//
// Speaks both APIs: the STIX objects upload API (body {"sourcesystem",
// "stixobjects"}) and the legacy Upload Indicators API ({"sourcesystem",
// "value"}). Paces requests to `requests_per_minute`, honours 429 waits,
// retries 5xx and transport failures with backoff within the run's budget,
// re-acquires the token once on 401.

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/http/http_client.hpp"
#include "misp2sentinel/http/retry.hpp"
#include "misp2sentinel/sentinel/rate_limiter.hpp"
#include "misp2sentinel/sentinel/token_cache.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace m2s {

struct RecordRejection {
  std::size_t index = 0; // into the batch given to upload()
  std::string message;
};

struct BatchOutcome {
  // Records not listed here were accepted.
  std::vector<RecordRejection> rejected;
  int requests = 0;  // HTTP requests this batch took
  int throttled = 0; // 429 answers met
  // Sentinel's answer when it refused every record alike (the request
  // itself, most likely a setting); empty otherwise.
  std::string refused_wholesale;
};

// A batch that could not be delivered, with the requests it took first
// (retries of a 500, say), so that the run still counts them.
class UploadFailed : public SentinelError {
public:
  UploadFailed(const std::string& message, int requests, int throttled)
      : SentinelError(message),
        m_requests(requests),
        m_throttled(throttled) {}

  [[nodiscard]] int requests() const noexcept {
    return m_requests;
  }

  [[nodiscard]] int throttled() const noexcept {
    return m_throttled;
  }

private:
  int m_requests;
  int m_throttled;
};

// What one test request says about the workspace (for `check`).
struct WorkspaceProbe {
  bool ok = false;
  long status = 0;    // Sentinel's answer
  std::string detail; // what the answer means; with the fix when !ok
};

class SentinelUploader {
public:
  SentinelUploader(const SentinelConfig& config,
                   HttpClient& http,
                   TokenSource& tokens,
                   RateLimiter& limiter,
                   RetryBudget& retry,
                   Sleeper sleeper);

  // Upload `objects` (at most batch_size), each the JSON text of one STIX
  // object, sent as it is. A 200 with errors[] marks only
  // those records rejected. A 400 for the whole batch is narrowed down by
  // halving the batch until the offending records are found, each rejected
  // with the message. Throws UploadFailed when the batch cannot be
  // delivered (budget spent on retries, 401 after a fresh token, 403, 404
  // unknown workspace, ...); the caller keeps the batch pending.
  [[nodiscard]] BatchOutcome upload(const std::vector<std::string>& objects);

  // One harmless request for `check`: an upload with an empty list.
  // Sentinel checks the token, the workspace, the role and api-version
  // before the body, and refuses an empty list without storing anything,
  // so a 400 about the body means all of those are right. 401: token not
  // accepted; 403: role missing; 404: unknown workspace; 400
  // Missing/InvalidApiVersionParameter: api_version. No retries. Throws
  // SentinelError when there is no token, TransportError when no answer.
  [[nodiscard]] WorkspaceProbe probe_workspace();

  // The endpoint URL for the configured API and workspace.
  [[nodiscard]] std::string endpoint() const;

  // The request body for `objects` (JSON texts, joined as they are), as
  // sent (for --dry-run --out).
  [[nodiscard]] std::string
  request_body(std::span<const std::string> objects) const;

private:
  const SentinelConfig& m_config;
  HttpClient& m_http;
  TokenSource& m_tokens;
  RateLimiter& m_limiter;
  RetryBudget& m_retry;
  Sleeper m_sleep;
  // The answer with which Sentinel refused whole batches alike this run
  // (a wrong api_version): a later batch refused with it is not bisected.
  std::string m_refused_wholesale;
};

} // namespace m2s
