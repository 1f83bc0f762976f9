#include "misp2sentinel/sentinel/uploader.hpp"

#include "misp2sentinel/util/errors.hpp"
#include "misp2sentinel/util/known_secrets.hpp"
#include "misp2sentinel/util/termination.hpp"
#include "sentinel_answer.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <utility>

namespace m2s {

namespace {

using std::chrono::milliseconds;

// What one part of a batch finally got: 200 (body parsed; null when
// empty), or a 400/413 that calls for bisection.
struct Answer {
  long status = 0;
  std::string body;
  boost::json::value json;
};

// "Sentinel answered 503: <its message>", or "... without a message" for
// an empty body, so that an error never ends in a bare colon.
std::string answered_text(long status, const std::string& body) {
  const std::string message = detail::sentinel_message(body);
  return "Sentinel answered " + std::to_string(status)
         + (message.empty() ? " without a message" : ": " + message);
}

bool is_transient(long status) {
  return status == 500 || status == 502 || status == 503 || status == 504;
}

// 413 is narrowed down like 400: a smaller part may fit.
bool calls_for_bisection(long status) {
  return status == 400 || status == 413;
}

// A 200 body says which records were stored: an empty one (all of them) or
// a JSON object. Anything else (an HTML page from a proxy, a cut JSON
// text) could hide per-record errors, so it is not taken as acceptance:
// re-sending is harmless (ids are deterministic, so Sentinel updates in
// place) while a wrong "accepted" would drop records without a trace.
std::optional<boost::json::value> read_200(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return boost::json::value();
  }

  boost::system::error_code error;
  auto value = boost::json::parse(body, error);
  if (error || !value.is_object()) {
    return std::nullopt;
  }
  return value;
}

// One upload() call: sends a batch, or parts of it while bisecting.
class BatchSender {
public:
  BatchSender(const SentinelUploader& uploader,
              const SentinelConfig& config,
              HttpClient& http,
              TokenSource& tokens,
              RateLimiter& limiter,
              RetryBudget& retry,
              const Sleeper& sleep,
              const std::vector<std::string>& objects,
              std::string& refused_wholesale)
      : m_uploader(uploader),
        m_config(config),
        m_http(http),
        m_tokens(tokens),
        m_limiter(limiter),
        m_retry(retry),
        m_sleep(sleep),
        m_objects(objects),
        m_refused_wholesale(refused_wholesale),
        m_endpoint(redact_url(uploader.endpoint())) {}

  // Send objects [first, first + count); record rejections into `outcome`.
  void send(std::size_t first, std::size_t count, BatchOutcome& outcome);

private:
  // Retries transient failures until a 200 or a 400/413; throws
  // SentinelError for the rest.
  Answer deliver(const std::string& body, BatchOutcome& outcome);

  [[nodiscard]] HttpRequest request_for(const std::string& body);

  // Wait before the next try, or throw when the budget cannot cover it.
  // SIGTERM or SIGINT: no further try (the run stops at its next step).
  void stop_if_asked(const std::string& cause) const;
  void wait(int attempts,
            std::optional<milliseconds> requested,
            bool throttled,
            const std::string& cause);

  [[noreturn]] void fail(const HttpResponse& response);

  // A 400 that is not Sentinel's JSON is no verdict on our records.
  [[noreturn]] void fail_foreign_400(const Answer& answer);

  // Records [first, first + count) take the whole batch's verdict
  // without a request of their own.
  void
  reject_unsent(std::size_t first, std::size_t count, BatchOutcome& outcome) {
    for (std::size_t i = 0; i < count; ++i) {
      outcome.rejected.push_back({first + i, m_batch_message});
    }
    outcome.refused_wholesale = m_batch_message;
  }

  // A refusal of a single record, or of every record at once.
  void reject_one(std::size_t index,
                  const std::string& message,
                  BatchOutcome& outcome);

  const SentinelUploader& m_uploader;
  const SentinelConfig& m_config;
  HttpClient& m_http;
  TokenSource& m_tokens;
  RateLimiter& m_limiter;
  RetryBudget& m_retry;
  const Sleeper& m_sleep;
  const std::vector<std::string>& m_objects;
  std::string& m_refused_wholesale;
  std::string m_endpoint;

  // Bisection state. When nothing was accepted yet and two single records
  // are refused with the message the whole batch got, the request itself
  // is refused (a wrong api_version, say): the rest of the batch gets the
  // same verdict without 2n more requests, and a warning says so.
  bool m_accepted_any = false;
  bool m_whole_batch_refused = false;
  std::string m_batch_message;
  int m_single_refusals_alike = 0;
};

void BatchSender::send(std::size_t first,
                       std::size_t count,
                       BatchOutcome& outcome) {
  if (m_whole_batch_refused) {
    reject_unsent(first, count, outcome);
    return;
  }

  const std::span<const std::string> part(m_objects.data() + first, count);
  const Answer answer = deliver(m_uploader.request_body(part), outcome);

  if (answer.status == 200) {
    m_accepted_any = true;
    if (answer.json.is_object()) {
      for (auto rejection :
           detail::record_errors(answer.json.get_object(), count, m_endpoint)) {
        rejection.index += first;
        outcome.rejected.push_back(std::move(rejection));
      }
    }
    return;
  }

  if (answer.status == 400 && !detail::is_json(answer.body)) {
    fail_foreign_400(answer);
  }

  std::string message = detail::sentinel_message(answer.body);
  if (message.empty()) {
    message = "Sentinel answered " + std::to_string(answer.status)
              + " without a message";
  }
  if (first == 0 && count == m_objects.size()) {
    m_batch_message = message;
    // Refused like earlier batches of this run: same verdict, no halving.
    if (count > 1 && message == m_refused_wholesale) {
      m_whole_batch_refused = true;
      reject_unsent(first, count, outcome);
      return;
    }
  }

  if (count == 1) {
    reject_one(first, message, outcome);
    return;
  }

  // The whole part was refused: some record in it is bad, and halving
  // finds it in about 2 log2(n) requests while the good ones get through.
  const std::size_t half = count / 2;
  send(first, half, outcome);
  send(first + half, count - half, outcome);
}

Answer BatchSender::deliver(const std::string& body, BatchOutcome& outcome) {
  int attempts = 0;
  bool token_renewed = false;

  while (true) {
    m_limiter.acquire();
    ++attempts;
    ++outcome.requests;

    HttpResponse response;
    try {
      response = m_http.send(request_for(body));
    } catch (const TransportError& error) {
      m_limiter.answered();
      if (!error.worth_retrying()) {
        throw SentinelError(error.what());
      }
      wait(attempts, std::nullopt, false, error.what());
      continue;
    }
    m_limiter.answered();

    const long status = response.status;
    if (status == 200) {
      if (auto json = read_200(response.body)) {
        return {status, std::move(response.body), std::move(*json)};
      }
      wait(attempts,
           std::nullopt,
           false,
           "Sentinel answered 200 with a body that is not a JSON object");
      continue;
    }

    if (calls_for_bisection(status)) {
      return {status, std::move(response.body), {}};
    }

    if (status == 401 && !token_renewed) {
      // The cached token may have been revoked or rotated early: one more
      // try with a new one, which is not a transient failure to pace.
      token_renewed = true;
      m_tokens.invalidate();
      continue;
    }

    if (status == 429) {
      ++outcome.throttled;
      wait(attempts,
           parse_retry_after(header_value(response, "retry-after"),
                             response.body),
           true,
           answered_text(429, response.body));
      continue;
    }

    if (is_transient(status)) {
      wait(attempts, std::nullopt, false, answered_text(status, response.body));
      continue;
    }

    fail(response);
  }
}

HttpRequest BatchSender::request_for(const std::string& body) {
  HttpRequest request;
  request.method = "POST";
  request.url = m_uploader.endpoint();
  request.headers = {
      {"Authorization", "Bearer " + m_tokens.bearer()},
      {"Content-Type", "application/json"},
      {"Accept", "application/json"},
  };
  request.body = body;
  return request;
}

void BatchSender::wait(int attempts,
                       std::optional<milliseconds> requested,
                       bool throttled,
                       const std::string& cause) {
  stop_if_asked(cause);
  const auto delay = m_retry.next_delay(attempts, requested);
  if (!delay) {
    throw SentinelError(gave_up_text(m_endpoint, attempts, cause, requested));
  }

  // An operator wants to know why a run is slow: one line per retry.
  spdlog::warn("{} ({}); retrying in {} ms (attempt {})",
               scrub_known_secrets(cause),
               m_endpoint,
               delay->count(),
               attempts + 1);

  // A 429 speaks for the whole workspace: the limiter holds every request
  // back, and its acquire() does the waiting.
  if (throttled) {
    m_limiter.back_off(*delay);
    return;
  }
  m_sleep(*delay);
  stop_if_asked(cause);
}

void BatchSender::stop_if_asked(const std::string& cause) const {
  if (const auto stopped = stop_requested_while("retrying " + m_endpoint)) {
    throw SentinelError(*stopped + ": " + cause);
  }
}

void BatchSender::reject_one(std::size_t index,
                             const std::string& message,
                             BatchOutcome& outcome) {
  outcome.rejected.push_back({index, message});

  if (m_accepted_any || message != m_batch_message
      || ++m_single_refusals_alike < 2) {
    return;
  }
  m_whole_batch_refused = true;
  outcome.refused_wholesale = message;
  m_refused_wholesale = message;
}

void BatchSender::fail_foreign_400(const Answer& answer) {
  const std::string message = detail::sentinel_message(answer.body);
  throw SentinelError(
      "Sentinel's endpoint " + m_endpoint
      + " answered 400 with a body that is not Sentinel's JSON ("
      + (message.empty() ? std::string("empty") : message)
      + "): a proxy or gateway in between? No record was marked rejected; "
        "the batch stays queued for the next run");
}

void BatchSender::fail(const HttpResponse& response) {
  const std::string message = detail::sentinel_message(response.body);
  const std::string detail = message.empty() ? "" : " (" + message + ")";

  switch (response.status) {
  case 401:
    throw SentinelError(
        "Sentinel rejected the token for " + m_endpoint
        + " (401) even after a fresh one: check [sentinel] scope, and that "
          "the app has the Microsoft Sentinel Contributor role on the "
          "workspace"
        + detail);
  case 403:
    throw SentinelError("Sentinel answered 403 for " + m_endpoint
                        + ": the app lacks the Microsoft Sentinel Contributor "
                          "role on workspace "
                        + m_config.workspace_id + detail);
  case 404:
    throw SentinelError(
        "workspace " + m_config.workspace_id + " not found at " + m_endpoint
        + ": check [sentinel] workspace_id and api_url" + detail);
  default:
    throw SentinelError("Sentinel answered " + std::to_string(response.status)
                        + " for " + m_endpoint + detail);
  }
}

} // namespace

SentinelUploader::SentinelUploader(const SentinelConfig& config,
                                   HttpClient& http,
                                   TokenSource& tokens,
                                   RateLimiter& limiter,
                                   RetryBudget& retry,
                                   Sleeper sleeper)
    : m_config(config),
      m_http(http),
      m_tokens(tokens),
      m_limiter(limiter),
      m_retry(retry),
      m_sleep(std::move(sleeper)) {}

BatchOutcome SentinelUploader::upload(const std::vector<std::string>& objects) {
  BatchOutcome outcome;
  if (objects.empty()) {
    return outcome;
  }

  const auto limit = static_cast<std::size_t>(std::max(m_config.batch_size, 1));
  if (objects.size() > limit) {
    throw std::invalid_argument("upload() got " + std::to_string(objects.size())
                                + " objects; batch_size is "
                                + std::to_string(limit));
  }

  BatchSender sender(*this,
                     m_config,
                     m_http,
                     m_tokens,
                     m_limiter,
                     m_retry,
                     m_sleep,
                     objects,
                     m_refused_wholesale);
  try {
    sender.send(0, objects.size(), outcome);
  } catch (const SentinelError& error) {
    throw UploadFailed(error.what(), outcome.requests, outcome.throttled);
  }

  std::sort(outcome.rejected.begin(),
            outcome.rejected.end(),
            [](const RecordRejection& a, const RecordRejection& b) {
              return a.index < b.index;
            });
  spdlog::debug("Sentinel took {} of {} records in {} requests",
                objects.size() - outcome.rejected.size(),
                objects.size(),
                outcome.requests);
  return outcome;
}

std::string SentinelUploader::endpoint() const {
  switch (m_config.api) {
  case SentinelApi::stix_objects:
    return m_config.api_url + "/workspaces/" + m_config.workspace_id
           + "/threat-intelligence-stix-objects:upload?api-version="
           + m_config.api_version;
  case SentinelApi::upload_indicators:
    return m_config.api_url + "/" + m_config.workspace_id
           + "/threatintelligence:upload-indicators?api-version="
           + m_config.api_version;
  }
  throw std::logic_error("unknown Sentinel API");
}

std::string
SentinelUploader::request_body(std::span<const std::string> objects) const {
  const char* key = "stixobjects";
  switch (m_config.api) {
  case SentinelApi::stix_objects:
    break;
  case SentinelApi::upload_indicators:
    key = "value";
    break;
  }

  std::size_t size = 64 + m_config.source_system.size();
  for (const std::string& object : objects) {
    size += object.size() + 1;
  }
  std::string body;
  body.reserve(size);
  body += "{\"sourcesystem\":";
  body +=
      boost::json::serialize(boost::json::string_view(m_config.source_system));
  body += ",\"";
  body += key;
  body += "\":[";
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (i > 0) {
      body += ',';
    }
    body += objects[i];
  }
  body += "]}";
  return body;
}

} // namespace m2s
