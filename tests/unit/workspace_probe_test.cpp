#include "misp2sentinel/sentinel/uploader.hpp"
#include "net_test_support.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

namespace m2s {
namespace {

using ::testing::HasSubstr;

class StaticTokens : public TokenSource {
public:
  std::string bearer() override {
    return "tok-1";
  }

  void invalidate() override {}
};

class WorkspaceProbeTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_config.api_url = m_server.url();
    m_config.workspace_id = "ws-1";
    m_config.api_version = "2024-02-01-preview";
    m_config.source_system = "MISP";
  }

  void serve(int status, const std::string& body) {
    m_server.server().Post(
        R"(/workspaces/ws-1/threat-intelligence-stix-objects:upload)",
        [this, status, body](const httplib::Request& req,
                             httplib::Response& res) {
          {
            const std::lock_guard lock(m_mutex);
            m_body = req.body;
            m_authorization = req.get_header_value("Authorization");
          }
          ++m_requests;
          res.status = status;
          res.set_content(body, "application/json");
        });
    m_server.start();
  }

  WorkspaceProbe probe() {
    StaticTokens tokens;
    RateLimiter limiter(
        100, std::chrono::minutes(1), m_time.sleeper(), m_time.clock());
    SentinelUploader uploader(
        m_config, m_http, tokens, limiter, m_retry, m_time.sleeper());
    return uploader.probe_workspace();
  }

  test::LoopbackServer m_server;
  test::FakeTime m_time;
  SentinelConfig m_config;
  HttpClient m_http{HttpOptions{}};
  RetryBudget m_retry{std::chrono::seconds(30),
                      std::chrono::seconds(1),
                      std::chrono::seconds(10)};
  std::mutex m_mutex;
  std::string m_body;
  std::string m_authorization;
  std::atomic<int> m_requests{0};
};

TEST_F(WorkspaceProbeTest, UnknownWorkspaceNamesTheSetting) {
  serve(404,
        R"({"error":{"code":"WorkspaceNotFound",)"
        R"("message":"Workspace ws-1 was not found."}})");

  const WorkspaceProbe result = probe();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.status, 404);
  EXPECT_THAT(result.detail, HasSubstr("ws-1"));
  EXPECT_THAT(result.detail, HasSubstr("[sentinel] workspace_id"));
}

TEST_F(WorkspaceProbeTest, ForbiddenNamesTheRole) {
  serve(403,
        R"({"error":{"code":"AuthorizationFailed",)"
        R"("message":"The client does not have authorization."}})");

  const WorkspaceProbe result = probe();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.status, 403);
  EXPECT_THAT(result.detail, HasSubstr("Microsoft Sentinel Contributor"));
  EXPECT_THAT(result.detail, HasSubstr("ws-1"));
}

TEST_F(WorkspaceProbeTest, RefusedTokenNamesTheScope) {
  serve(401,
        R"({"error":{"code":"AuthenticationFailed",)"
        R"("message":"Token audience is invalid."}})");

  const WorkspaceProbe result = probe();

  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.detail, HasSubstr("[sentinel] scope"));
  EXPECT_THAT(result.detail, HasSubstr("Token audience is invalid."));
}

TEST_F(WorkspaceProbeTest, WrongApiVersionNamesTheSetting) {
  serve(400,
        R"({"error":{"code":"InvalidApiVersionParameter",)"
        R"("message":"The api-version '2020-01-01' is invalid."}})");

  const WorkspaceProbe result = probe();

  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.detail, HasSubstr("[sentinel] api_version"));
}

TEST_F(WorkspaceProbeTest, ServerErrorSaysToTryAgain) {
  serve(503, R"({"statusCode":503,"message":"busy"})");

  const WorkspaceProbe result = probe();

  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.detail, HasSubstr("503"));
  EXPECT_THAT(result.detail, HasSubstr("busy"));
  EXPECT_EQ(m_requests.load(), 1);
}

TEST_F(WorkspaceProbeTest, RefusedEmptyListMeansReachable) {
  serve(400,
        R"({"error":{"code":"BadRequest",)"
        R"("message":"stixobjects must hold 1 to 100 objects"}})");

  const WorkspaceProbe result = probe();

  EXPECT_TRUE(result.ok) << result.detail;
  EXPECT_EQ(result.status, 400);
  EXPECT_EQ(m_requests.load(), 1);
  EXPECT_EQ(m_authorization, "Bearer tok-1");
  EXPECT_EQ(boost::json::parse(m_body),
            boost::json::parse(R"({"sourcesystem":"MISP","stixobjects":[]})"));
}

TEST_F(WorkspaceProbeTest, AcceptedEmptyListMeansReachable) {
  serve(200, "");

  EXPECT_TRUE(probe().ok);
}

TEST_F(WorkspaceProbeTest, ThrottledMeansReachable) {
  serve(429, R"({"statusCode":429,"message":"Rate limit is exceeded."})");

  const WorkspaceProbe result = probe();

  EXPECT_TRUE(result.ok);
  EXPECT_THAT(result.detail, HasSubstr("429"));
}

} // namespace
} // namespace m2s
