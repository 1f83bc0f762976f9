// Fuzz target: the code that reads HTTP answers from Entra ID (token),
// Sentinel (upload results) and MISP (restSearch pages), driven through the
// real clients with the network replaced by the fuzz input.
//
// Input format (text, so seeds are easy to write):
//   line 1: "token", "upload[N]" (N = 1..9 records, default 3; "legacy" in
//           the line selects the Upload Indicators API) or "misp"
//   then the answers in order, separated by "\n~~~\n"; each answer is a
//   status line "STATUS [Retry-After value]" ("X" for a transport error)
//   followed by the body.
// When the answers run out, the network "fails" (TransportError).
//
// Properties: only the documented error class escapes each client; the
// client secret never appears in a token error; the MISP key and the bearer
// token never appear in an error unless the input holds them; an upload
// outcome names each rejected record once, inside the batch, in order.

#include "fuzz_support.hpp"
#include "misp2sentinel/http/http_client.hpp"
#include "misp2sentinel/http/retry.hpp"
#include "misp2sentinel/misp/misp_client.hpp"
#include "misp2sentinel/sentinel/rate_limiter.hpp"
#include "misp2sentinel/sentinel/token_cache.hpp"
#include "misp2sentinel/sentinel/uploader.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using m2s::fuzz::check;
using std::chrono::milliseconds;

constexpr std::string_view k_separator = "\n~~~\n";
constexpr const char* k_client_secret = "fuzz-client-secret-0123456789";
constexpr const char* k_misp_key = "fuzz-misp-key-0123456789abcdef";
constexpr const char* k_bearer = "fuzz-bearer-token-0123456789";

struct Answer {
  bool transport_error = false;
  m2s::HttpResponse response;
};

Answer read_answer(std::string_view text) {
  const auto newline = text.find('\n');
  const std::string_view status_line = text.substr(0, newline);
  Answer answer;
  answer.response.body = newline == std::string_view::npos
                             ? std::string()
                             : std::string(text.substr(newline + 1));
  if (status_line.starts_with("X")) {
    answer.transport_error = true;
    return answer;
  }

  long status = 200;
  const auto space = status_line.find(' ');
  const std::string_view number = status_line.substr(0, space);
  std::from_chars(number.data(), number.data() + number.size(), status);
  answer.response.status = status;
  if (space != std::string_view::npos) {
    answer.response.headers["retry-after"] =
        std::string(status_line.substr(space + 1));
  }
  return answer;
}

// The network: hands out the input's answers in order.
class ScriptedHttp final : public m2s::HttpClient {
public:
  explicit ScriptedHttp(std::vector<Answer> answers)
      : m2s::HttpClient(m2s::HttpOptions{}),
        m_answers(std::move(answers)) {}

  m2s::HttpResponse send(const m2s::HttpRequest&) override {
    if (m_next >= m_answers.size() || m_answers[m_next].transport_error) {
      ++m_next;
      throw m2s::TransportError("connection reset (fuzz)", 56, false);
    }
    return m_answers[m_next++].response;
  }

private:
  std::vector<Answer> m_answers;
  std::size_t m_next = 0;
};

// Time that moves only when someone sleeps, so retries cost nothing.
struct FakeTime {
  std::chrono::steady_clock::time_point now{std::chrono::hours(1000)};

  m2s::Sleeper sleeper() {
    return [this](milliseconds wait) {
      now += wait;
    };
  }

  std::function<std::chrono::steady_clock::time_point()> clock() {
    return [this] {
      return now;
    };
  }
};

class FixedToken final : public m2s::TokenSource {
public:
  std::string bearer() override {
    return k_bearer;
  }

  void invalidate() override {}
};

m2s::SentinelConfig sentinel_config(bool legacy) {
  m2s::SentinelConfig config;
  config.api = legacy ? m2s::SentinelApi::upload_indicators
                      : m2s::SentinelApi::stix_objects;
  config.tenant_id = "00000000-0000-4000-8000-000000000001";
  config.client_id = "00000000-0000-4000-8000-000000000002";
  config.client_secret = m2s::Secret(k_client_secret);
  config.workspace_id = "00000000-0000-4000-8000-000000000003";
  config.login_url = "https://login.example.org";
  config.api_url = "https://sentinel.example.org";
  config.api_version = "2024-02-01-preview";
  return config;
}

void run_token(ScriptedHttp& http, FakeTime& time) {
  const m2s::SentinelConfig config = sentinel_config(false);
  m2s::EntraTokenCache tokens(config, http, time.clock());
  try {
    check(!tokens.bearer().empty(), "empty token accepted");
  } catch (const m2s::SentinelError& error) {
    const std::string message = error.what();
    check(message.find(k_client_secret) == std::string::npos,
          "client secret in a token error: " + message);
  }
}

// The JSON texts of `count` records, as the outbox keeps them.
std::vector<std::string> records(int count) {
  std::vector<std::string> list;
  for (int i = 0; i < count; ++i) {
    boost::json::object record;
    record["type"] = "indicator";
    record["id"] =
        "indicator--00000000-0000-4000-8000-00000000000" + std::to_string(i);
    list.push_back(boost::json::serialize(record));
  }
  return list;
}

void run_upload(ScriptedHttp& http,
                FakeTime& time,
                int count,
                bool legacy,
                bool input_has_bearer) {
  const m2s::SentinelConfig config = sentinel_config(legacy);
  FixedToken tokens;
  m2s::RateLimiter limiter(
      100, milliseconds(60000), time.sleeper(), time.clock());
  m2s::RetryBudget retry(
      milliseconds(600000), milliseconds(1000), milliseconds(60000));
  m2s::SentinelUploader uploader(
      config, http, tokens, limiter, retry, time.sleeper());

  try {
    const m2s::BatchOutcome outcome = uploader.upload(records(count));
    for (std::size_t i = 0; i < outcome.rejected.size(); ++i) {
      const auto& rejection = outcome.rejected[i];
      check(rejection.index < static_cast<std::size_t>(count),
            "rejection outside the batch");
      check(i == 0 || outcome.rejected[i - 1].index < rejection.index,
            "rejections repeated or out of order");
      check(!rejection.message.empty(), "rejection without a message");
    }
    check(outcome.requests >= 1, "no request counted");
  } catch (const m2s::SentinelError& error) {
    const std::string message = error.what();
    check(input_has_bearer || message.find(k_bearer) == std::string::npos,
          "bearer token in an upload error: " + message);
  }
}

void run_misp(ScriptedHttp& http, FakeTime& time, bool input_has_key) {
  m2s::MispConfig config;
  config.url = "https://misp.example.org";
  config.key = m2s::Secret(k_misp_key);
  m2s::RetryBudget retry(
      milliseconds(600000), milliseconds(1000), milliseconds(60000));
  m2s::MispClient client(config, http, retry, time.sleeper());

  m2s::EventPageRequest request;
  request.since = 1700000000;
  try {
    const m2s::EventPage page = client.fetch_events(request);
    check(page.events_in_answer >= page.events.size(),
          "fewer events in the answer than parsed");
    for (const auto& event : page.events) {
      check(!event.uuid.empty(), "event without uuid accepted");
    }
  } catch (const m2s::MispError& error) {
    const std::string message = error.what();
    check(input_has_key || message.find(k_misp_key) == std::string::npos,
          "MISP key in an error: " + message);
  }
}

} // namespace

// The clients log each retry; millions of inputs would fill the log and
// slow the fuzzer down to a crawl.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto first_newline = text.find('\n');
  const std::string_view mode = text.substr(0, first_newline);
  std::string_view rest = first_newline == std::string_view::npos
                              ? std::string_view()
                              : text.substr(first_newline + 1);

  // Bounded: each answer is one request, and a run of retries stops when
  // the budget or the answers run out.
  std::vector<Answer> answers;
  while (!rest.empty() && answers.size() < 64) {
    const auto end = rest.find(k_separator);
    answers.push_back(read_answer(rest.substr(0, end)));
    rest = end == std::string_view::npos
               ? std::string_view()
               : rest.substr(end + k_separator.size());
  }

  ScriptedHttp http(std::move(answers));
  FakeTime time;
  if (mode.starts_with("token")) {
    run_token(http, time);
  } else if (mode.starts_with("upload")) {
    int count = 3;
    if (mode.size() > 6 && mode[6] >= '1' && mode[6] <= '9') {
      count = mode[6] - '0';
    }
    run_upload(http,
               time,
               count,
               mode.find("legacy") != std::string_view::npos,
               text.find(k_bearer) != std::string_view::npos);
  } else if (mode.starts_with("misp")) {
    run_misp(http, time, text.find(k_misp_key) != std::string_view::npos);
  }
  return 0;
}
