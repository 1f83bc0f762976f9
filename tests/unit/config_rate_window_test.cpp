// [sentinel] test_rate_window_ms: the benchmarks' shorter rate window
// (tools/bench/run.sh), which only a Sentinel stand-in on this machine may
// be given.

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdlib.h>

#include <string>

namespace m2s {
namespace {

using ::testing::HasSubstr;

constexpr const char* k_path = "/etc/m2s/config.toml";

std::string config_text(const std::string& sentinel_lines) {
  return "[misp]\n"
         "url = \"https://misp.example.org\"\n"
         "key_env = \"M2S_TEST_MISP_KEY\"\n"
         "[sentinel]\n"
         "tenant_id = \"11111111-1111-4111-8111-111111111111\"\n"
         "client_id = \"22222222-2222-4222-8222-222222222222\"\n"
         "client_secret_env = \"M2S_TEST_CLIENT_SECRET\"\n"
         "workspace_id = \"33333333-3333-4333-8333-333333333333\"\n"
         + sentinel_lines;
}

std::string error_of(const std::string& text) {
  try {
    static_cast<void>(parse_config(text, k_path));
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

class RateWindowConfigTest : public ::testing::Test {
protected:
  void SetUp() override {
    setenv("M2S_TEST_MISP_KEY", "misp-key-123", 1);
    setenv("M2S_TEST_CLIENT_SECRET", "client-secret-456", 1);
  }

  void TearDown() override {
    unsetenv("M2S_TEST_MISP_KEY");
    unsetenv("M2S_TEST_CLIENT_SECRET");
  }
};

TEST_F(RateWindowConfigTest, TheWindowIsAMinuteByDefault) {
  const Config config = parse_config(config_text(""), k_path);

  EXPECT_EQ(config.sentinel.rate_window_ms, 60000);
}

TEST_F(RateWindowConfigTest, ALocalStandInMayHaveAShorterWindow) {
  const Config config =
      parse_config(config_text("api_url = \"http://127.0.0.1:8080\"\n"
                               "test_rate_window_ms = 2000\n"),
                   k_path);

  EXPECT_EQ(config.sentinel.rate_window_ms, 2000);
}

// Against the real Sentinel a shorter window would only draw 429s: the
// key is refused wherever api_url does not name this machine.
TEST_F(RateWindowConfigTest, TheRealSentinelKeepsTheMinute) {
  const std::string error = error_of(config_text("test_rate_window_ms = 1\n"));

  EXPECT_THAT(error, HasSubstr("test_rate_window_ms"));
  EXPECT_THAT(error, HasSubstr("only for benchmarks"));
}

TEST_F(RateWindowConfigTest, ARemoteApiUrlKeepsTheMinute) {
  const std::string error =
      error_of(config_text("api_url = \"https://api.example.org\"\n"
                           "test_rate_window_ms = 1000\n"));

  EXPECT_THAT(error, HasSubstr("test_rate_window_ms"));
}

TEST_F(RateWindowConfigTest, TheWindowIsBetweenOneMsAndAMinute) {
  const std::string local = "api_url = \"http://127.0.0.1:8080\"\n";

  EXPECT_THAT(error_of(config_text(local + "test_rate_window_ms = 0\n")),
              HasSubstr("test_rate_window_ms"));
  EXPECT_THAT(error_of(config_text(local + "test_rate_window_ms = 60001\n")),
              HasSubstr("test_rate_window_ms"));
}

} // namespace
} // namespace m2s
