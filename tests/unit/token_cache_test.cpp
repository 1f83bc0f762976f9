#include "misp2sentinel/sentinel/token_cache.hpp"

#include "misp2sentinel/util/errors.hpp"
#include "misp2sentinel/util/known_secrets.hpp"
#include "net_test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

namespace m2s {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* k_secret = "S3cr&t=+/ %xyzSECRET";

class TokenCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_config.tenant_id = "tenant-1";
    m_config.client_id = "app-1";
    m_config.client_secret = Secret(k_secret);
    m_config.login_url = m_server.url();
    m_config.scope = "https://management.azure.com/.default";
  }

  void TearDown() override {
    m_server.stop();
  }

  // Answer every token request with `status` and `body`.
  void answer(int status, std::string body) {
    m_server.server().Post("/tenant-1/oauth2/v2.0/token",
                           [this, status, body](const httplib::Request& req,
                                                httplib::Response& res) {
                             ++m_requests;
                             m_last_secret =
                                 req.get_param_value("client_secret");
                             res.status = status;
                             res.set_content(body, "application/json");
                           });
    m_server.start();
  }

  // Answer with a new token each time: "tok-1", "tok-2", ...
  void issue_tokens(const std::string& expires_in = "3600") {
    m_server.server().Post(
        "/tenant-1/oauth2/v2.0/token",
        [this, expires_in](const httplib::Request&, httplib::Response& res) {
          const int n = ++m_requests;
          res.set_content(R"({"token_type":"Bearer","expires_in":)" + expires_in
                              + R"(,"access_token":"tok-)" + std::to_string(n)
                              + "\"}",
                          "application/json");
        });
    m_server.start();
  }

  // The SentinelError that bearer() throws.
  std::string failure() {
    HttpClient http{HttpOptions{}};
    EntraTokenCache cache(m_config, http, m_time.clock());
    try {
      static_cast<void>(cache.bearer());
    } catch (const SentinelError& error) {
      return error.what();
    }
    ADD_FAILURE() << "bearer() did not throw";
    return {};
  }

  test::LoopbackServer m_server;
  test::FakeTime m_time;
  SentinelConfig m_config;
  std::atomic<int> m_requests{0};
  std::string m_last_secret;
};

TEST_F(TokenCacheTest, WrongSecretIsExplained) {
  answer(401,
         R"({"error":"invalid_client","error_description":"AADSTS7000215: )"
         R"(Invalid client secret provided.\r\nTrace ID: abc",)"
         R"("error_codes":[7000215]})");

  const std::string message = failure();

  EXPECT_EQ(message,
            "Entra ID token request for tenant tenant-1 failed (401 "
            "invalid_client): the client secret is wrong or expired "
            "(AADSTS7000215)");
  EXPECT_THAT(message, Not(HasSubstr(k_secret)));
}

TEST_F(TokenCacheTest, UnknownTenantIsExplained) {
  answer(400,
         R"({"error":"invalid_request","error_description":"AADSTS90002: )"
         R"(Tenant 'tenant-1' not found.","error_codes":[90002]})");

  EXPECT_EQ(failure(),
            "Entra ID token request for tenant tenant-1 failed (400 "
            "invalid_request): tenant not found (AADSTS90002)");
}

TEST_F(TokenCacheTest, UnknownApplicationIsExplained) {
  answer(400,
         R"({"error":"unauthorized_client","error_description":"AADSTS700016)"
         R"(: Application with identifier 'app-1' was not found.",)"
         R"("error_codes":[700016]})");

  EXPECT_EQ(failure(),
            "Entra ID token request for tenant tenant-1 failed (400 "
            "unauthorized_client): application app-1 not found in the tenant "
            "(AADSTS700016)");
}

TEST_F(TokenCacheTest, OtherCodesGiveTheFirstLineOfTheDescription) {
  answer(400,
         R"({"error":"invalid_request","error_description":"AADSTS50059: No )"
         R"(tenant-identifying information found.\r\nTrace ID: x\r\n",)"
         R"("error_codes":[50059]})");

  EXPECT_EQ(failure(),
            "Entra ID token request for tenant tenant-1 failed (400 "
            "invalid_request): AADSTS50059: No tenant-identifying information "
            "found.");
}

TEST_F(TokenCacheTest, EchoedSecretIsScrubbed) {
  answer(400,
         std::string(R"({"error":"invalid_request","error_description":")")
             + "bad value S3cr&t=+/ %xyzSECRET\"}");

  const std::string message = failure();

  EXPECT_THAT(message, HasSubstr("bad value ***"));
  EXPECT_THAT(message, Not(HasSubstr("SECRET")));
}

// A token endpoint (or a proxy before it) that quotes the request body it
// got quotes the secret as it was sent: percent-encoded, which a search for
// the plain secret does not find.
TEST_F(TokenCacheTest, EchoedFormEncodedSecretIsScrubbed) {
  m_server.server().Post(
      "/tenant-1/oauth2/v2.0/token",
      [](const httplib::Request& req, httplib::Response& res) {
        res.status = 400;
        res.set_content(R"({"error":"invalid_request",)"
                        R"("error_description":"cannot parse body: )"
                            + req.body + "\"}",
                        "application/json");
      });
  m_server.start();

  const std::string message = failure();

  EXPECT_THAT(message, HasSubstr("client_secret=***"));
  EXPECT_THAT(message, Not(HasSubstr("SECRET")));
  EXPECT_THAT(scrub_known_secrets("S3cr%26t%3D%2B%2F%20%25xyzSECRET"),
              Not(HasSubstr("SECRET")));
}

TEST_F(TokenCacheTest, NonJsonAnswerNamesTheStatus) {
  answer(502, "<html>Bad gateway</html>");

  EXPECT_EQ(failure(),
            "Entra ID token request for tenant tenant-1 failed (502): the "
            "answer from "
                + m_server.url("/tenant-1/oauth2/v2.0/token")
                + " is not Entra's JSON");
}

TEST_F(TokenCacheTest, AnswerWithoutTokenIsAnError) {
  answer(200, R"({"token_type":"Bearer","expires_in":3599})");

  EXPECT_THAT(failure(), HasSubstr("lacks access_token or expires_in"));
}

TEST_F(TokenCacheTest, UnreachableLoginUrlNamesIt) {
  m_config.login_url = test::refused_url();

  const std::string message = failure();

  EXPECT_THAT(message,
              StartsWith("Entra ID token request for tenant tenant-1 could "
                         "not reach "
                         + m_config.login_url
                         + "/tenant-1/oauth2/v2.0/token: "));
  EXPECT_THAT(message, Not(HasSubstr("SECRET")));
}

TEST_F(TokenCacheTest, SendsClientCredentialsAsAForm) {
  std::string type;
  std::multimap<std::string, std::string> params;
  m_server.server().Post(
      "/tenant-1/oauth2/v2.0/token",
      [&](const httplib::Request& req, httplib::Response& res) {
        type = req.get_header_value("Content-Type");
        params = req.params;
        res.set_content(R"({"expires_in":3599,"access_token":"tok"})",
                        "application/json");
      });
  m_server.start();
  HttpClient http{HttpOptions{}};
  EntraTokenCache cache(m_config, http, m_time.clock());

  EXPECT_EQ(cache.bearer(), "tok");

  EXPECT_EQ(type, "application/x-www-form-urlencoded");
  const std::multimap<std::string, std::string> expected = {
      {"client_id", "app-1"},
      {"client_secret", k_secret},
      {"scope", "https://management.azure.com/.default"},
      {"grant_type", "client_credentials"},
  };
  EXPECT_EQ(params, expected);
}

TEST_F(TokenCacheTest, ManyBearerCallsMakeOneRequest) {
  issue_tokens();
  HttpClient http{HttpOptions{}};
  EntraTokenCache cache(m_config, http, m_time.clock());

  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(cache.bearer(), "tok-1");
    m_time.advance(std::chrono::seconds(60));
  }

  EXPECT_EQ(m_requests.load(), 1);
}

TEST_F(TokenCacheTest, RefreshesWhenLessThanFiveMinutesRemain) {
  issue_tokens("3600");
  HttpClient http{HttpOptions{}};
  EntraTokenCache cache(m_config, http, m_time.clock());
  EXPECT_EQ(cache.bearer(), "tok-1");

  m_time.advance(std::chrono::seconds(3600 - 301));
  EXPECT_EQ(cache.bearer(), "tok-1");
  m_time.advance(std::chrono::seconds(2));
  EXPECT_EQ(cache.bearer(), "tok-2");

  EXPECT_EQ(m_requests.load(), 2);
}

TEST_F(TokenCacheTest, ExpiresInAsStringIsAccepted) {
  issue_tokens("\"3600\"");
  HttpClient http{HttpOptions{}};
  EntraTokenCache cache(m_config, http, m_time.clock());

  EXPECT_EQ(cache.bearer(), "tok-1");
  EXPECT_EQ(cache.bearer(), "tok-1");
  EXPECT_EQ(m_requests.load(), 1);
}

TEST_F(TokenCacheTest, InvalidateForcesANewRequest) {
  issue_tokens();
  HttpClient http{HttpOptions{}};
  EntraTokenCache cache(m_config, http, m_time.clock());
  EXPECT_EQ(cache.bearer(), "tok-1");

  cache.invalidate();

  EXPECT_EQ(cache.bearer(), "tok-2");
  EXPECT_EQ(m_requests.load(), 2);
}

// --- Retries (a transient Entra ID failure must not end a sync) ---

// Answers `failures` with `status` and `body` (and `retry_after`), then
// issues "tok".
void answer_then_issue(test::LoopbackServer& server,
                       std::atomic<int>& requests,
                       int failures,
                       int status,
                       const std::string& body,
                       const std::string& retry_after = "") {
  server.server().Post(
      "/tenant-1/oauth2/v2.0/token",
      [&requests, failures, status, body, retry_after](const httplib::Request&,
                                                       httplib::Response& res) {
        if (++requests <= failures) {
          res.status = status;
          if (!retry_after.empty()) {
            res.set_header("Retry-After", retry_after);
          }
          res.set_content(body, "application/json");
          return;
        }
        res.set_content(R"({"expires_in":3599,"access_token":"tok"})",
                        "application/json");
      });
  server.start();
}

constexpr const char* k_transient_body =
    R"({"error":"temporarily_unavailable","error_description":)"
    R"("AADSTS90033: A transient error has occurred.","error_codes":[90033]})";

TEST_F(TokenCacheTest, TransientFailuresAreRetried) {
  answer_then_issue(m_server, m_requests, 2, 503, k_transient_body);
  HttpClient http{HttpOptions{}};
  RetryBudget budget(std::chrono::seconds(60),
                     std::chrono::seconds(1),
                     std::chrono::seconds(60));
  EntraTokenCache cache(m_config, http, m_time.clock());
  cache.retry_with(budget, m_time.sleeper());

  EXPECT_EQ(cache.bearer(), "tok");

  EXPECT_EQ(m_requests.load(), 3);
  EXPECT_EQ(m_time.sleeps().size(), 2U);
}

TEST_F(TokenCacheTest, ThrottledRequestWaitsAsTold) {
  answer_then_issue(m_server, m_requests, 1, 429, "{}", "7");
  HttpClient http{HttpOptions{}};
  RetryBudget budget(std::chrono::seconds(60),
                     std::chrono::seconds(1),
                     std::chrono::seconds(60));
  EntraTokenCache cache(m_config, http, m_time.clock());
  cache.retry_with(budget, m_time.sleeper());

  EXPECT_EQ(cache.bearer(), "tok");

  ASSERT_EQ(m_time.sleeps().size(), 1U);
  EXPECT_EQ(m_time.sleeps().front(), std::chrono::seconds(7));
}

TEST_F(TokenCacheTest, UnreachableLoginUrlIsGivenUpOnOnceTheBudgetIsSpent) {
  m_config.login_url = test::refused_url();
  HttpClient http{HttpOptions{}};
  RetryBudget budget(std::chrono::seconds(4),
                     std::chrono::seconds(1),
                     std::chrono::seconds(60));
  EntraTokenCache cache(m_config, http, m_time.clock());
  cache.retry_with(budget, m_time.sleeper());

  try {
    static_cast<void>(cache.bearer());
    FAIL() << "bearer() did not throw";
  } catch (const SentinelError& error) {
    EXPECT_THAT(error.what(),
                StartsWith("gave up on " + m_config.login_url
                           + "/tenant-1/oauth2/v2.0/token after "));
    EXPECT_THAT(error.what(), HasSubstr("could not reach"));
    EXPECT_THAT(error.what(), Not(HasSubstr("SECRET")));
  }
  EXPECT_GE(m_time.sleeps().size(), 1U);
}

TEST_F(TokenCacheTest, WrongSecretIsNotRetried) {
  answer_then_issue(m_server,
                    m_requests,
                    1,
                    401,
                    R"({"error":"invalid_client","error_codes":[7000215]})");
  HttpClient http{HttpOptions{}};
  RetryBudget budget(std::chrono::seconds(60),
                     std::chrono::seconds(1),
                     std::chrono::seconds(60));
  EntraTokenCache cache(m_config, http, m_time.clock());
  cache.retry_with(budget, m_time.sleeper());

  EXPECT_THROW(static_cast<void>(cache.bearer()), SentinelError);
  EXPECT_EQ(m_requests.load(), 1);
  EXPECT_TRUE(m_time.sleeps().empty());
}

} // namespace
} // namespace m2s
