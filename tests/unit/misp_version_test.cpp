#include "misp2sentinel/misp/misp_client.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "net_test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

namespace m2s {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* k_key = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789KEYZ";

class MispVersionTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_config.url = m_server.url();
    m_config.key = Secret(k_key);
  }

  // Answer GET /servers/getVersion with `status` and `body`.
  void serve(int status,
             const std::string& body,
             const std::string& type = "application/json") {
    m_server.server().Get(
        "/servers/getVersion",
        [this, status, body, type](const httplib::Request& req,
                                   httplib::Response& res) {
          ++m_requests;
          m_authorization = req.get_header_value("Authorization");
          m_accept = req.get_header_value("Accept");
          res.status = status;
          res.set_content(body, type);
        });
    m_server.start();
  }

  MispVersion version() {
    MispClient client(m_config, m_http, m_retry, m_time.sleeper());
    return client.version();
  }

  std::string failure() {
    try {
      static_cast<void>(version());
    } catch (const MispError& error) {
      return error.what();
    }
    ADD_FAILURE() << "version() did not throw MispError";
    return {};
  }

  test::LoopbackServer m_server;
  MispConfig m_config;
  HttpClient m_http{HttpOptions{}};
  RetryBudget m_retry{std::chrono::seconds(30),
                      std::chrono::seconds(1),
                      std::chrono::seconds(10)};
  test::FakeTime m_time;
  std::atomic<int> m_requests{0};
  std::string m_authorization;
  std::string m_accept;
};

TEST_F(MispVersionTest, WrongKeyNamesTheKeyAndItsApiAccess) {
  serve(403,
        R"({"name":"Authentication failed. Please make sure you pass the API)"
        R"( key of an API enabled user along in the Authorization header.",)"
        R"("message":"Authentication failed.","url":"/servers/getVersion"})");

  const std::string message = failure();

  EXPECT_THAT(message, HasSubstr("403"));
  EXPECT_THAT(message, HasSubstr("/servers/getVersion"));
  EXPECT_THAT(message, HasSubstr("API key"));
  EXPECT_THAT(message, HasSubstr("API access"));
  EXPECT_THAT(message, HasSubstr("key_env"));
  EXPECT_THAT(message, Not(HasSubstr(k_key)));
  EXPECT_EQ(m_requests.load(), 1);
}

TEST_F(MispVersionTest, NotFoundPointsAtTheUrl) {
  serve(404, R"({"name":"Not Found","message":"Not Found","url":"/x"})");

  const std::string message = failure();

  EXPECT_THAT(message, HasSubstr("404"));
  EXPECT_THAT(message, HasSubstr("[misp] url"));
}

TEST_F(MispVersionTest, HtmlLoginPagePointsAtTheUrl) {
  serve(200, "<!DOCTYPE html><html><body>Login</body></html>", "text/html");

  const std::string message = failure();

  EXPECT_THAT(message, HasSubstr("not MISP's JSON"));
  EXPECT_THAT(message, HasSubstr("[misp] url"));
}

TEST_F(MispVersionTest, ServerErrorIsNotRetried) {
  serve(500, R"({"name":"Internal error","message":"boom","url":"/x"})");

  const std::string message = failure();

  EXPECT_THAT(message, HasSubstr("500"));
  EXPECT_THAT(message, HasSubstr("boom"));
  EXPECT_EQ(m_requests.load(), 1);
  EXPECT_TRUE(m_time.sleeps().empty());
}

TEST_F(MispVersionTest, RefusedConnectionIsATransportError) {
  m_config.url = test::refused_url();

  EXPECT_THROW(static_cast<void>(version()), TransportError);
}

TEST_F(MispVersionTest, ReadsVersionAndPermissionsWithTheKey) {
  serve(200,
        R"({"version":"2.5.1","perm_sync":true,"perm_sighting":false,)"
        R"("perm_galaxy_editor":false,"uuid":"-","request_encoding":[],)"
        R"("filter_sightings":true})");

  const MispVersion answer = version();

  EXPECT_EQ(answer.version, "2.5.1");
  EXPECT_TRUE(answer.perm_sync);
  EXPECT_FALSE(answer.perm_sighting);
  EXPECT_EQ(m_authorization, k_key);
  EXPECT_EQ(m_accept, "application/json");
}

} // namespace
} // namespace m2s
