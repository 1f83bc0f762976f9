#include "misp2sentinel/misp/misp_client.hpp"

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

constexpr const char* k_key = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789KEYZ";

constexpr const char* k_two_events =
    R"({"response":[)"
    R"({"Event":{"id":"1","uuid":"5a3c2fda-0000-4000-8000-000000000001",)"
    R"("info":"first","date":"2024-01-01","published":true,)"
    R"("timestamp":"1700000000","publish_timestamp":"1700000100",)"
    R"("Attribute":[]}},)"
    R"({"Event":{"id":"2","uuid":"5a3c2fda-0000-4000-8000-000000000002",)"
    R"("info":"second","date":"2024-01-02","published":true,)"
    R"("timestamp":"1700000200","publish_timestamp":"1700000300",)"
    R"("Attribute":[]}}]})";

using Responder = std::function<void(
    const httplib::Request& req, httplib::Response& res, int n)>;

class MispClientTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_config.url = m_server.url();
    m_config.key = Secret(k_key);
  }

  void TearDown() override {
    m_server.stop();
  }

  void serve(Responder responder) {
    m_server.server().Post(
        "/events/restSearch",
        [this, responder](const httplib::Request& req, httplib::Response& res) {
          int n = 0;
          {
            const std::lock_guard lock(m_mutex);
            m_bodies.push_back(req.body);
            m_headers.push_back(req.headers);
            n = static_cast<int>(m_bodies.size());
          }
          responder(req, res, n);
        });
    m_server.start();
  }

  EventPage fetch(int page = 1) {
    MispClient client(m_config, m_http, m_retry, m_time.sleeper());
    EventPageRequest request;
    request.page = page;
    return client.fetch_events(request);
  }

  // The MispError that fetch_events() throws.
  std::string failure(int page = 1) {
    try {
      static_cast<void>(fetch(page));
    } catch (const MispError& error) {
      return error.what();
    }
    ADD_FAILURE() << "fetch_events() did not throw";
    return {};
  }

  boost::json::value body_for(const EventPageRequest& request) {
    MispClient client(m_config, m_http, m_retry, m_time.sleeper());
    return boost::json::parse(client.search_body(request));
  }

  test::LoopbackServer m_server;
  test::FakeTime m_time;
  MispConfig m_config;
  HttpClient m_http{HttpOptions{}};
  RetryBudget m_retry{
      milliseconds(10000), milliseconds(100), milliseconds(400)};
  std::mutex m_mutex;
  std::vector<std::string> m_bodies;
  std::vector<httplib::Headers> m_headers;
};

void reply(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

TEST(CursorField, NamesAreMispFilterNames) {
  EXPECT_STREQ(cursor_field_name(CursorField::timestamp), "timestamp");
  EXPECT_STREQ(cursor_field_name(CursorField::publish_timestamp),
               "publish_timestamp");
}

TEST_F(MispClientTest, SearchBodyCarriesFiltersCursorAndOrder) {
  m_config.filters.published = true;
  m_config.filters.tags = {"tlp:green", "workflow:state=\"complete\""};
  m_config.filters.not_tags = {"misp:tool=\"x\""};
  m_config.filters.enforce_warninglist = true;
  EventPageRequest request;
  request.cursor_field = CursorField::publish_timestamp;
  request.since = 1700000000;
  request.page = 3;
  request.limit = 50;

  const boost::json::value expected = boost::json::parse(R"({
    "returnFormat": "json", "page": 3, "limit": 50,
    "order": "Event.publish_timestamp asc",
    "publish_timestamp": 1700000000,
    "published": true,
    "tags": {"OR": ["tlp:green", "workflow:state=\"complete\""],
             "NOT": ["misp:tool=\"x\""]},
    "enforceWarninglist": true,
    "sgReferenceOnly": true, "noShadowAttributes": true,
    "noEventReports": true, "excludeLocalTags": false})");
  EXPECT_EQ(body_for(request), expected);
}

TEST_F(MispClientTest, SearchBodyOmitsWhatIsNotAsked) {
  m_config.filters.published = false;
  m_config.filters.to_ids = true;
  m_config.filters.tags = {"tlp:green"};
  m_config.filters.enforce_warninglist = false;
  EventPageRequest request;
  request.cursor_field = CursorField::timestamp;
  request.since = 0;

  const boost::json::value expected = boost::json::parse(R"({
    "returnFormat": "json", "page": 1, "limit": 100,
    "order": "Event.timestamp asc",
    "tags": ["tlp:green"],
    "enforceWarninglist": false,
    "sgReferenceOnly": true, "noShadowAttributes": true,
    "noEventReports": true, "excludeLocalTags": false})");
  EXPECT_EQ(body_for(request), expected);
}

TEST_F(MispClientTest, SearchBodyWithOnlyNotTagsHasNoOr) {
  m_config.filters.not_tags = {"tlp:red"};
  EventPageRequest request;
  request.cursor_field = CursorField::timestamp;
  request.since = 5;

  const auto body = body_for(request);

  EXPECT_EQ(body.at("tags"), boost::json::parse(R"({"NOT":["tlp:red"]})"));
  EXPECT_EQ(body.at("timestamp"), 5);
}

TEST_F(MispClientTest, FetchSendsTheKeyAndParsesEvents) {
  serve([](const auto&, auto& res, int) { reply(res, 200, k_two_events); });

  const EventPage page = fetch();

  ASSERT_EQ(page.events.size(), 2u);
  EXPECT_EQ(page.events_in_answer, 2u);
  EXPECT_EQ(page.events[0].uuid, "5a3c2fda-0000-4000-8000-000000000001");
  EXPECT_EQ(page.events[1].info, "second");
  ASSERT_EQ(m_headers.size(), 1u);
  const auto header = [&](const char* name) {
    const auto it = m_headers[0].find(name);
    return it == m_headers[0].end() ? std::string() : it->second;
  };
  EXPECT_EQ(header("Authorization"), k_key);
  EXPECT_EQ(header("Accept"), "application/json");
  EXPECT_EQ(header("Content-Type"), "application/json");
  EXPECT_EQ(boost::json::parse(m_bodies[0]).at("page"), 1);
  EXPECT_TRUE(m_time.sleeps().empty());
}

TEST_F(MispClientTest, EmptyAnswerIsAnEmptyPage) {
  serve([](const auto&, auto& res, int) {
    reply(res, 200, R"({"response":[]})");
  });

  const EventPage page = fetch();

  EXPECT_TRUE(page.events.empty());
  EXPECT_EQ(page.events_in_answer, 0u);
}

TEST_F(MispClientTest, ForbiddenQuotesMispAndHidesTheKey) {
  serve([](const auto&, auto& res, int) {
    reply(res,
          403,
          R"({"name":"Authentication failed.","message":"Authentication )"
          R"(failed. Please make sure you pass the API key of an API enabled )"
          R"(user along in the Authorization header.",)"
          R"("url":"\/events\/restSearch"})");
  });

  const std::string message = failure();

  EXPECT_EQ(message,
            "MISP answered 403 for /events/restSearch: the API key is wrong or "
            "lacks API access (Authentication failed. Please make sure you "
            "pass the API key of an API enabled user along in the "
            "Authorization header.)");
  EXPECT_THAT(message, Not(HasSubstr(k_key)));
}

TEST_F(MispClientTest, EchoedKeyIsScrubbed) {
  serve([](const auto&, auto& res, int) {
    reply(res, 400, std::string(R"({"message":"bad key )") + k_key + "\"}");
  });

  const std::string message = failure(2);

  EXPECT_EQ(message,
            "MISP answered 400 for /events/restSearch page 2: bad key ***");
}

TEST_F(MispClientTest, NotFoundPointsAtTheUrlSetting) {
  serve([](const auto&, auto& res, int) {
    reply(res, 404, R"({"name":"Not Found","message":"Not Found"})");
  });

  EXPECT_EQ(failure(),
            "MISP answered 404 for /events/restSearch: check [misp] url ("
                + m_server.url("/") + ")");
}

TEST_F(MispClientTest, HtmlAnswerIsInvalidJsonNamingThePage) {
  serve([](const auto&, auto& res, int) {
    res.set_content("<html>login</html>", "text/html");
  });

  const std::string message = failure(3);

  EXPECT_THAT(message,
              StartsWith("MISP /events/restSearch page 3: invalid JSON at "
                         "offset 0 ("));
  EXPECT_THAT(message, HasSubstr("the answer is an HTML page"));
}

TEST_F(MispClientTest, CutJsonIsInvalidJsonNamingTheOffset) {
  serve([](const auto&, auto& res, int) {
    reply(res, 200, R"({"response":[{"Event":)");
  });

  EXPECT_THAT(failure(4),
              StartsWith("MISP /events/restSearch page 4: invalid JSON at "
                         "offset 22 ("));
}

// {"response":[...]} of `count` events, each with an attribute: about
// 300 bytes an event.
std::string page_of(int count) {
  std::string page = R"({"response":[)";
  for (int i = 0; i < count; ++i) {
    const std::string n = std::to_string(100000 + i);
    page += (i == 0 ? "" : ",")
            + std::string(R"({"Event":{"uuid":"5a3c2fda-0000-4000-8000-)") + n
            + R"(00","info":"event )" + n
            + R"(","timestamp":"1700000000","Attribute":[{"uuid":)"
              R"("5a3c2fda-0000-4000-8000-)"
            + n + R"(01","type":"ip-dst","value":"203.0.113.7"}]}})";
  }
  return page + "]}";
}

TEST_F(MispClientTest, StreamedPageCutPartWayIsReadAgainWhole) {
  const std::string page = page_of(2000);
  serve([&page](const auto&, auto& res, int n) {
    if (n > 1) {
      res.set_content(page, "application/octet-stream");
      return;
    }
    // Half the page, then the connection drops.
    res.set_content_provider(
        page.size(),
        "application/octet-stream",
        [&page](std::size_t, std::size_t, httplib::DataSink& sink) {
          sink.write(page.data(), page.size() / 2);
          return false;
        });
  });

  const EventPage result = fetch();

  ASSERT_EQ(result.events.size(), 2000u);
  EXPECT_EQ(result.events_in_answer, 2000u);
  EXPECT_TRUE(result.unreadable.empty());
  EXPECT_EQ(result.events.front().info, "event 100000");
  EXPECT_EQ(result.events.back().info, "event 101999");
  EXPECT_EQ(result.events.back().attributes.at(0).value, "203.0.113.7");
  EXPECT_EQ(m_bodies.size(), 2u);
  EXPECT_EQ(m_time.sleeps().size(), 1u);
}

TEST_F(MispClientTest, StreamedPageOverTheCapIsNotAskedAgain) {
  const std::string page = page_of(1000);
  serve([&page](const auto&, auto& res, int) {
    res.set_content(page, "application/octet-stream");
  });
  HttpOptions options;
  options.max_response_bytes = 64 * 1024;
  HttpClient http(options);
  MispClient client(m_config, http, m_retry, m_time.sleeper());

  try {
    static_cast<void>(client.fetch_events(EventPageRequest{}));
    FAIL() << "expected MispError";
  } catch (const MispError& error) {
    EXPECT_THAT(error.what(),
                StartsWith("response from " + m_server.url()
                           + "/events/restSearch exceeds 65536 bytes (the cap "
                             "is [limits] max_response_mb): lower [misp] "
                             "page_size"));
  }
  EXPECT_EQ(m_bodies.size(), 1u);
}

TEST_F(MispClientTest, TrailingCommaInAnAnswerIsInvalidJson) {
  serve([](const auto&, auto& res, int) {
    reply(res, 200, R"({"response":[],})");
  });

  EXPECT_EQ(failure(2),
            "MISP /events/restSearch page 2: invalid JSON at offset 15 "
            "(syntax error)");
}

TEST_F(MispClientTest, OneUnreadableEventIsListedNotFatal) {
  serve([](const auto&, auto& res, int) {
    reply(res,
          200,
          R"({"response":[{"Event":{"uuid":"a","timestamp":"soon"}},)"
          R"({"Event":{"uuid":"b"}},7]})");
  });

  const EventPage page = fetch();

  ASSERT_EQ(page.events.size(), 1u);
  EXPECT_EQ(page.events[0].uuid, "b");
  EXPECT_EQ(page.events_in_answer, 3u);
  ASSERT_EQ(page.unreadable.size(), 2u);
  EXPECT_EQ(page.unreadable[0].uuid, "a");
  EXPECT_EQ(page.unreadable[0].message,
            "MISP /events/restSearch page 1: event #0 (uuid a): timestamp: "
            "expected an integer or a numeric string, got \"soon\"");
  EXPECT_EQ(page.unreadable[1].index, 2u);
}

std::vector<EventIndexEntry> index_of(test::LoopbackServer& server,
                                      const MispConfig& config,
                                      RetryBudget& retry,
                                      const std::string& answer) {
  server.server().Post("/events/index", [answer](const auto&, auto& res) {
    res.set_content(answer, "application/json");
  });
  server.start();
  HttpClient http{HttpOptions{}};
  MispClient client(config, http, retry, [](milliseconds) {});
  return client.event_index();
}

TEST_F(MispClientTest, EventIndexReadsEveryEntry) {
  const auto entries =
      index_of(m_server,
               m_config,
               m_retry,
               R"([{"uuid":"a","published":true},{"uuid":"b","published":"0"},)"
               R"({"uuid":"c","published":1,"info":"x"}])");

  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].uuid, "a");
  EXPECT_TRUE(entries[0].published);
  EXPECT_FALSE(entries[1].published);
  EXPECT_TRUE(entries[2].published);
}

TEST_F(MispClientTest, EventIndexThatIsHtmlIsInvalidJson) {
  try {
    static_cast<void>(
        index_of(m_server, m_config, m_retry, "<html>login</html>"));
    FAIL() << "expected MispError";
  } catch (const MispError& error) {
    EXPECT_STREQ(error.what(),
                 "MISP /events/index: invalid JSON at offset 0 (syntax "
                 "error); the answer is an HTML page: check [misp] url");
  }
}

TEST_F(MispClientTest, EventIndexNestedTooDeepNamesTheSetting) {
  m_config.max_json_depth = 4;

  try {
    static_cast<void>(
        index_of(m_server, m_config, m_retry, R"([{"uuid":[[[[]]]]}])"));
    FAIL() << "expected MispError";
  } catch (const MispError& error) {
    EXPECT_STREQ(error.what(),
                 "MISP /events/index: the answer nests JSON deeper than "
                 "[limits] max_json_depth (4)");
  }
}

TEST_F(MispClientTest, EventIndexThatIsNoListIsAnError) {
  try {
    static_cast<void>(index_of(m_server, m_config, m_retry, R"({"a":1})"));
    FAIL() << "expected MispError";
  } catch (const MispError& error) {
    EXPECT_STREQ(error.what(),
                 "MISP /events/index: expected a JSON list of events");
  }
}

TEST_F(MispClientTest, ServerErrorIsRetried) {
  serve([](const auto&, auto& res, int n) {
    if (n == 1) {
      res.status = 502;
      res.set_content("<html>bad gateway</html>", "text/html");
      return;
    }
    reply(res, 200, k_two_events);
  });

  const EventPage page = fetch();

  EXPECT_EQ(page.events.size(), 2u);
  ASSERT_EQ(m_time.sleeps().size(), 1u);
  EXPECT_GE(m_time.sleeps()[0], milliseconds(75));
  EXPECT_LE(m_time.sleeps()[0], milliseconds(125));
}

TEST_F(MispClientTest, RateLimitWaitsForTheAnnouncedReset) {
  serve([](const auto&, auto& res, int n) {
    if (n == 1) {
      res.set_header("X-Rate-Limit-Reset", "3");
      reply(res, 429, R"({"message":"Rate limit exceeded."})");
      return;
    }
    reply(res, 200, k_two_events);
  });

  static_cast<void>(fetch());

  EXPECT_EQ(m_time.sleeps(), std::vector<milliseconds>{milliseconds(3000)});
}

TEST_F(MispClientTest, PersistentServerErrorsSpendTheBudget) {
  m_retry =
      RetryBudget(milliseconds(140), milliseconds(100), milliseconds(100));
  serve([](const auto&, auto& res, int) {
    reply(res, 500, R"({"message":"Internal error"})");
  });

  EXPECT_EQ(failure(),
            "gave up on MISP /events/restSearch page 1 after 2 attempts: MISP "
            "answered 500 for /events/restSearch: Internal error");
}

TEST_F(MispClientTest, UnreachableMispGivesUpWithTheCause) {
  m_config.url = test::refused_url();
  m_retry =
      RetryBudget(milliseconds(140), milliseconds(100), milliseconds(100));

  const std::string message = failure();

  EXPECT_THAT(message,
              StartsWith("gave up on MISP /events/restSearch page 1 after 2 "
                         "attempts: POST "
                         + m_config.url + "/events/restSearch failed: "));
  EXPECT_THAT(message, Not(HasSubstr(k_key)));
}

} // namespace
} // namespace m2s
