#include "misp2sentinel/sentinel/uploader.hpp"

#include "misp2sentinel/util/errors.hpp"
#include "net_test_support.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <mutex>

namespace m2s {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class FakeTokens : public TokenSource {
public:
  std::string bearer() override {
    return "tok-" + std::to_string(m_generation);
  }

  void invalidate() override {
    ++m_generation;
    ++m_invalidations;
  }

  int invalidations() const {
    return m_invalidations;
  }

private:
  int m_generation = 1;
  int m_invalidations = 0;
};

struct SeenRequest {
  std::string path;
  std::string api_version;
  std::string authorization;
  std::string content_type;
  std::string accept;
  boost::json::value body;
};

using Responder = std::function<void(const boost::json::object& body,
                                     const httplib::Request& req,
                                     httplib::Response& res,
                                     int n)>;

// The JSON texts of `objects`, as the outbox keeps them.
std::vector<std::string>
texts(const std::vector<boost::json::object>& objects) {
  std::vector<std::string> list;
  for (const auto& object : objects) {
    list.push_back(boost::json::serialize(object));
  }
  return list;
}

std::vector<boost::json::object> records(int count) {
  std::vector<boost::json::object> list;
  for (int i = 0; i < count; ++i) {
    boost::json::object record;
    record["type"] = "indicator";
    record["id"] = "indicator--" + std::to_string(i);
    record["pattern"] =
        "[ipv4-addr:value = '203.0.113." + std::to_string(i) + "']";
    list.push_back(std::move(record));
  }
  return list;
}

void reply(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

class UploaderTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_config.api_url = m_server.url();
    m_config.workspace_id = "ws-1";
    m_config.api_version = "2024-02-01-preview";
    m_config.source_system = "MISP";
  }

  void TearDown() override {
    m_server.stop();
  }

  void serve(Responder responder) {
    m_server.server().Post(
        ".*",
        [this, responder](const httplib::Request& req, httplib::Response& res) {
          SeenRequest seen{req.path,
                           req.get_param_value("api-version"),
                           req.get_header_value("Authorization"),
                           req.get_header_value("Content-Type"),
                           req.get_header_value("Accept"),
                           boost::json::parse(req.body)};
          int n = 0;
          {
            const std::lock_guard lock(m_mutex);
            m_seen.push_back(seen);
            n = static_cast<int>(m_seen.size());
          }
          responder(seen.body.as_object(), req, res, n);
        });
    m_server.start();
  }

  BatchOutcome upload(const std::vector<boost::json::object>& objects) {
    SentinelUploader uploader(
        m_config, m_http, m_tokens, m_limiter, m_retry, m_time.sleeper());
    return uploader.upload(texts(objects));
  }

  std::string endpoint() const {
    return m_server.url(
        "/workspaces/ws-1/threat-intelligence-stix-objects:upload"
        "?api-version=2024-02-01-preview");
  }

  // The SentinelError that upload() throws.
  std::string failure(const std::vector<boost::json::object>& objects) {
    try {
      static_cast<void>(upload(objects));
    } catch (const SentinelError& error) {
      return error.what();
    }
    ADD_FAILURE() << "upload() did not throw";
    return {};
  }

  std::vector<SeenRequest> seen() {
    const std::lock_guard lock(m_mutex);
    return m_seen;
  }

  test::LoopbackServer m_server;
  test::FakeTime m_time;
  SentinelConfig m_config;
  HttpClient m_http{HttpOptions{}};
  FakeTokens m_tokens;
  RateLimiter m_limiter{
      100, milliseconds(60000), m_time.sleeper(), m_time.clock()};
  RetryBudget m_retry{
      milliseconds(10000), milliseconds(100), milliseconds(400)};
  std::mutex m_mutex;
  std::vector<SeenRequest> m_seen;
};

TEST_F(UploaderTest, BatchTooLargeIsRefused) {
  m_config.batch_size = 2;

  EXPECT_THROW(static_cast<void>(upload(records(3))), std::invalid_argument);
}

TEST_F(UploaderTest, EmptyBatchSendsNothing) {
  serve([](const auto&, const auto&, auto& res, int) { reply(res, 200, ""); });

  const BatchOutcome outcome = upload({});

  EXPECT_EQ(outcome.requests, 0);
  EXPECT_TRUE(seen().empty());
}

TEST_F(UploaderTest, AcceptedBatchIsOneWellFormedRequest) {
  serve([](const auto&, const auto&, auto& res, int) { reply(res, 200, ""); });

  const BatchOutcome outcome = upload(records(3));

  EXPECT_TRUE(outcome.rejected.empty());
  EXPECT_EQ(outcome.requests, 1);
  EXPECT_EQ(outcome.throttled, 0);
  const auto requests = seen();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path,
            "/workspaces/ws-1/threat-intelligence-stix-objects:upload");
  EXPECT_EQ(requests[0].api_version, "2024-02-01-preview");
  EXPECT_EQ(requests[0].authorization, "Bearer tok-1");
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(requests[0].accept, "application/json");
  boost::json::object expected;
  expected["sourcesystem"] = "MISP";
  boost::json::array list;
  for (const auto& record : records(3)) {
    list.push_back(record);
  }
  expected["stixobjects"] = list;
  EXPECT_EQ(requests[0].body, boost::json::value(expected));
  EXPECT_TRUE(m_time.sleeps().empty());
}

TEST_F(UploaderTest, LegacyApiUsesValueAndItsPath) {
  m_config.api = SentinelApi::upload_indicators;
  m_config.api_version = "2022-07-01";
  serve([](const auto&, const auto&, auto& res, int) { reply(res, 200, ""); });

  static_cast<void>(upload(records(2)));

  const auto requests = seen();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/ws-1/threatintelligence:upload-indicators");
  EXPECT_EQ(requests[0].api_version, "2022-07-01");
  EXPECT_EQ(requests[0].body.at("value").as_array().size(), 2u);
  EXPECT_EQ(requests[0].body.as_object().count("stixobjects"), 0u);
}

TEST_F(UploaderTest, RequestBodyIsExactlyWhatIsSent) {
  SentinelUploader uploader(
      m_config, m_http, m_tokens, m_limiter, m_retry, m_time.sleeper());
  boost::json::object record;
  record["id"] = "indicator--1";

  EXPECT_EQ(uploader.request_body(texts({record})),
            R"({"sourcesystem":"MISP","stixobjects":[{"id":"indicator--1"}]})");
}

TEST_F(UploaderTest, PerRecordErrorsRejectOnlyThoseRecords) {
  serve([](const auto&, const auto&, auto& res, int) {
    reply(res,
          200,
          R"({"errors":[{"recordIndex":1,"errorMessages":["Error for )"
          R"(Property=id: Required property is missing.","second"]},)"
          R"({"recordIndex":3,"errorMessages":[]}]})");
  });

  const BatchOutcome outcome = upload(records(4));

  ASSERT_EQ(outcome.rejected.size(), 2u);
  EXPECT_EQ(outcome.rejected[0].index, 1u);
  EXPECT_EQ(outcome.rejected[0].message,
            "Error for Property=id: Required property is missing.; second");
  EXPECT_EQ(outcome.rejected[1].index, 3u);
  EXPECT_EQ(outcome.rejected[1].message,
            "rejected by Sentinel without a message");
}

TEST_F(UploaderTest, RecordIndexOutsideTheBatchIsAnError) {
  serve([](const auto&, const auto&, auto& res, int) {
    reply(res, 200, R"({"errors":[{"recordIndex":5,"errorMessages":["x"]}]})");
  });

  EXPECT_THAT(failure(records(2)),
              HasSubstr("names a record outside the batch"));
}

TEST_F(UploaderTest, NonJsonOkIsRetriedNotTakenAsAccepted) {
  serve([](const auto&, const auto&, auto& res, int n) {
    if (n == 1) {
      reply(res, 200, "<html>proxy says hi</html>");
      return;
    }
    reply(res, 200, R"({"errors":[{"recordIndex":0,"errorMessages":["no"]}]})");
  });

  const BatchOutcome outcome = upload(records(2));

  EXPECT_EQ(outcome.requests, 2);
  ASSERT_EQ(outcome.rejected.size(), 1u);
  EXPECT_EQ(outcome.rejected[0].index, 0u);
  ASSERT_EQ(m_time.sleeps().size(), 1u);
}

TEST_F(UploaderTest, ThrottledWithBodyWaitsTheTimeItNames) {
  serve([](const auto&, const auto&, auto& res, int n) {
    if (n == 1) {
      reply(res,
            429,
            R"({"statusCode":429,"message":"Rate limit is exceeded. Try )"
            R"(again in 2 seconds."})");
      return;
    }
    reply(res, 200, "");
  });

  const BatchOutcome outcome = upload(records(2));

  EXPECT_TRUE(outcome.rejected.empty());
  EXPECT_EQ(outcome.requests, 2);
  EXPECT_EQ(outcome.throttled, 1);
  EXPECT_EQ(m_time.sleeps(), std::vector<milliseconds>{milliseconds(2000)});
  EXPECT_EQ(m_retry.remaining(), milliseconds(8000));
}

TEST_F(UploaderTest, ThrottledWithRetryAfterHeaderWaitsThatLong) {
  serve([](const auto&, const auto&, auto& res, int n) {
    if (n == 1) {
      res.set_header("Retry-After", "7");
      reply(res, 429, R"({"statusCode":429,"message":"Rate limit"})");
      return;
    }
    reply(res, 200, "");
  });

  const BatchOutcome outcome = upload(records(1));

  EXPECT_EQ(outcome.throttled, 1);
  EXPECT_EQ(m_time.sleeps(), std::vector<milliseconds>{milliseconds(7000)});
}

// A Retry-After longer than what is left of the budget ends the batch at
// once; the message says that was the cause, not just "429".
TEST_F(UploaderTest, RetryAfterBeyondTheBudgetIsNamed) {
  serve([](const auto&, const auto&, auto& res, int) {
    res.set_header("Retry-After", "100000");
    reply(res, 429, "");
  });

  const std::string error = failure(records(1));

  EXPECT_THAT(error, ::testing::HasSubstr("after 1 attempt"));
  // Retry-After is capped at a day when read.
  EXPECT_THAT(error, ::testing::HasSubstr("asked to wait 86400 s"));
  EXPECT_THAT(error, ::testing::HasSubstr("retry_budget_seconds"));
}

TEST_F(UploaderTest, ThrottlingSpendsTheBudgetThenGivesUp) {
  m_retry =
      RetryBudget(milliseconds(5000), milliseconds(100), milliseconds(400));
  serve([](const auto&, const auto&, auto& res, int) {
    reply(res, 429, R"({"message":"Try again in 2 seconds."})");
  });

  EXPECT_EQ(failure(records(1)),
            "gave up on " + endpoint()
                + " after 3 attempts: Sentinel answered 429: Try again in 2 "
                  "seconds.; it asked to wait 2 s, more than is left of the "
                  "run's retry budget ([limits] retry_budget_seconds)");
  EXPECT_EQ(seen().size(), 3u);
}

TEST_F(UploaderTest, ServerErrorIsRetriedAfterBackoff) {
  serve([](const auto&, const auto&, auto& res, int n) {
    if (n == 1) {
      reply(
          res, 500, R"({"statusCode":500,"message":"Internal server error"})");
      return;
    }
    reply(res, 200, "");
  });

  const BatchOutcome outcome = upload(records(2));

  EXPECT_TRUE(outcome.rejected.empty());
  EXPECT_EQ(outcome.requests, 2);
  ASSERT_EQ(m_time.sleeps().size(), 1u);
  EXPECT_GE(m_time.sleeps()[0], milliseconds(75));
  EXPECT_LE(m_time.sleeps()[0], milliseconds(125));
}

TEST_F(UploaderTest, CutAnswerIsRetried) {
  serve([](const auto&, const auto&, auto& res, int n) {
    if (n == 1) {
      res.set_content_provider(
          500, "application/json", [](std::size_t, std::size_t, auto& sink) {
            sink.write("{\"err", 5);
            return false;
          });
      return;
    }
    reply(res, 200, "");
  });

  const BatchOutcome outcome = upload(records(2));

  EXPECT_TRUE(outcome.rejected.empty());
  EXPECT_EQ(outcome.requests, 2);
}

TEST_F(UploaderTest, UnreachableEndpointGivesUpWhenTheBudgetIsSpent) {
  m_config.api_url = test::refused_url();
  // Delays of 75..125 ms: the first fits in 140 ms, a second never does.
  m_retry =
      RetryBudget(milliseconds(140), milliseconds(100), milliseconds(100));
  const std::string expected_start =
      "gave up on " + m_config.api_url
      + "/workspaces/ws-1/threat-intelligence-stix-objects:upload"
        "?api-version=2024-02-01-preview after 2 attempts: POST ";

  EXPECT_THAT(failure(records(1)), StartsWith(expected_start));
}

TEST_F(UploaderTest, UnauthorizedGetsOneFreshToken) {
  serve([](const auto&, const httplib::Request& req, auto& res, int) {
    const bool fresh = req.get_header_value("Authorization") == "Bearer tok-2";
    reply(res, fresh ? 200 : 401, "");
  });

  const BatchOutcome outcome = upload(records(1));

  EXPECT_TRUE(outcome.rejected.empty());
  EXPECT_EQ(outcome.requests, 2);
  EXPECT_EQ(m_tokens.invalidations(), 1);
  EXPECT_TRUE(m_time.sleeps().empty());
}

TEST_F(UploaderTest, UnauthorizedTwiceNamesTheRoleAndHidesTheToken) {
  serve([](const auto&, const auto&, auto& res, int) {
    reply(res, 401, R"({"error":{"message":"InvalidAuthenticationToken"}})");
  });

  const std::string message = failure(records(1));

  EXPECT_THAT(message, StartsWith("Sentinel rejected the token for "));
  EXPECT_THAT(message, HasSubstr("Microsoft Sentinel Contributor role"));
  EXPECT_THAT(message, Not(HasSubstr("tok-")));
  EXPECT_EQ(seen().size(), 2u);
  EXPECT_EQ(m_tokens.invalidations(), 1);
}

TEST_F(UploaderTest, ForbiddenNamesTheRole) {
  serve([](const auto&, const auto&, auto& res, int) { reply(res, 403, ""); });

  EXPECT_EQ(failure(records(1)),
            "Sentinel answered 403 for " + endpoint()
                + ": the app lacks the Microsoft Sentinel Contributor role on "
                  "workspace ws-1");
}

TEST_F(UploaderTest, NotFoundNamesTheWorkspace) {
  serve([](const auto&, const auto&, auto& res, int) { reply(res, 404, ""); });

  EXPECT_THAT(failure(records(1)),
              StartsWith("workspace ws-1 not found at " + endpoint()));
}

TEST_F(UploaderTest, BadBatchIsBisectedDownToTheBadRecords) {
  auto batch = records(5);
  batch[1]["pattern"] = "bad";
  batch[3]["pattern"] = "bad";
  serve([](const boost::json::object& body, const auto&, auto& res, int) {
    const auto& list = body.at("stixobjects").as_array();
    const bool bad = std::any_of(list.begin(), list.end(), [](const auto& r) {
      return r.at("pattern") == "bad";
    });
    if (!bad) {
      reply(res, 200, "");
    } else if (list.size() == 1) {
      reply(res,
            400,
            R"({"error":{"code":"BadRequest","message":"Bad )"
            R"(pattern"}})");
    } else {
      reply(res, 400, R"({"error":{"message":"Invalid batch"}})");
    }
  });

  const BatchOutcome outcome = upload(batch);

  ASSERT_EQ(outcome.rejected.size(), 2u);
  EXPECT_EQ(outcome.rejected[0].index, 1u);
  EXPECT_EQ(outcome.rejected[0].message, "Bad pattern");
  EXPECT_EQ(outcome.rejected[1].index, 3u);
  EXPECT_EQ(outcome.rejected[1].message, "Bad pattern");
  EXPECT_EQ(outcome.requests, 9);
}

// A wrong api_version: Sentinel refuses every request alike. Bisecting all
// 100 records would cost 199 requests per batch.
TEST_F(UploaderTest, RequestRefusedWholesaleStopsBisectingEarly) {
  serve([](const auto&, const auto&, auto& res, int) {
    reply(res,
          400,
          R"({"error":{"code":"InvalidApiVersion","message":"The )"
          R"(api-version '2099-01-01' is invalid."}})");
  });

  SentinelUploader uploader(
      m_config, m_http, m_tokens, m_limiter, m_retry, m_time.sleeper());
  const BatchOutcome outcome = uploader.upload(texts(records(100)));

  ASSERT_EQ(outcome.rejected.size(), 100u);
  EXPECT_EQ(outcome.rejected[99].index, 99u);
  EXPECT_EQ(outcome.rejected[99].message,
            "The api-version '2099-01-01' is invalid.");
  EXPECT_EQ(outcome.requests, 9);

  // The next batch refused the same way costs one request.
  const BatchOutcome next = uploader.upload(texts(records(100)));
  EXPECT_EQ(next.rejected.size(), 100u);
  EXPECT_EQ(next.requests, 1);
}

// A proxy's error page is no verdict on the records.
TEST_F(UploaderTest, ProxyBadRequestPageKeepsTheBatchQueued) {
  serve([](const auto&, const auto&, auto& res, int) {
    res.status = 400;
    res.set_content("<html><body>Bad Request - proxy</body></html>",
                    "text/html");
  });

  const std::string error = failure(records(4));

  EXPECT_THAT(error, ::testing::HasSubstr("not Sentinel's JSON"));
  EXPECT_THAT(error, ::testing::HasSubstr("Bad Request - proxy"));
  EXPECT_EQ(seen().size(), 1u);
}

TEST_F(UploaderTest, EveryRequestWaitsForTheRateLimiter) {
  RateLimiter tight(2, milliseconds(60000), m_time.sleeper(), m_time.clock());
  serve([](const auto&, const auto&, auto& res, int) { reply(res, 200, ""); });
  SentinelUploader uploader(
      m_config, m_http, m_tokens, tight, m_retry, m_time.sleeper());

  for (int i = 0; i < 3; ++i) {
    static_cast<void>(uploader.upload(texts(records(1))));
  }

  EXPECT_EQ(m_time.sleeps(), std::vector<milliseconds>{milliseconds(60000)});
}

// Answers 200 after `latency` of fake time: a request that is slow to
// reach Sentinel.
class SlowHttp final : public HttpClient {
public:
  SlowHttp(test::FakeTime& time, milliseconds latency)
      : HttpClient(HttpOptions{}),
        m_time(time),
        m_latency(latency) {}

  HttpResponse send(const HttpRequest&) override {
    m_time.advance(m_latency);
    HttpResponse response;
    response.status = 200;
    return response;
  }

private:
  test::FakeTime& m_time;
  milliseconds m_latency;
};

TEST_F(UploaderTest, RateWindowCountsFromEachAnswer) {
  RateLimiter tight(1, milliseconds(1000), m_time.sleeper(), m_time.clock());
  SlowHttp slow(m_time, milliseconds(400));
  SentinelUploader uploader(
      m_config, slow, m_tokens, tight, m_retry, m_time.sleeper());

  static_cast<void>(uploader.upload(texts(records(1))));
  static_cast<void>(uploader.upload(texts(records(1))));

  // Counted from the send, the wait would be 600 ms, and the second
  // request could reach Sentinel less than a window after the first.
  EXPECT_EQ(m_time.sleeps(), std::vector<milliseconds>{milliseconds(1000)});
}

} // namespace
} // namespace m2s
