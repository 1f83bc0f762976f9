// packaging/misp2sentinel.toml.example is what a new user copies: it must
// load as it is (given the variables it names) and show every key.

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdlib.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>

namespace m2s {
namespace {

using ::testing::HasSubstr;

const std::string k_example =
    std::string(M2S_SOURCE_DIR) + "/packaging/misp2sentinel.toml.example";

// Every key the loader reads, as "section key"; data keys of
// days_to_expire_by_type are represented by the ones the example shows.
const std::set<std::string> k_every_key = {
    "misp url",
    "misp key_env",
    "misp key_file",
    "misp allow_insecure_http",
    "misp verify_tls",
    "misp ca_file",
    "misp page_size",
    "misp timeout_seconds",
    "misp.filters published",
    "misp.filters to_ids",
    "misp.filters tags",
    "misp.filters not_tags",
    "misp.filters enforce_warninglist",
    "sentinel api",
    "sentinel tenant_id",
    "sentinel client_id",
    "sentinel client_secret_env",
    "sentinel client_secret_file",
    "sentinel workspace_id",
    "sentinel source_system",
    "sentinel batch_size",
    "sentinel requests_per_minute",
    "sentinel login_url",
    "sentinel api_url",
    "sentinel api_version",
    "sentinel scope",
    "sentinel allow_insecure_http",
    "sentinel verify_tls",
    "sentinel ca_file",
    "sentinel timeout_seconds",
    "indicators default_confidence",
    "indicators days_to_expire",
    "indicators expire_from",
    "indicators refresh_before_days",
    "indicators default_tlp",
    "indicators ignore_local_tags",
    "indicators allowed_tag_prefixes",
    "indicators.days_to_expire_by_type ipv4-addr",
    "indicators.days_to_expire_by_type url",
    "state path",
    "state lookback",
    "log level",
    "log file",
    "log format",
    "log max_size_mb",
    "log max_files",
    "limits retry_budget_seconds",
    "limits run_budget_seconds",
    "limits max_response_mb",
    "limits max_json_depth",
    "metrics textfile",
};

// "section key" for each line that sets a key, set or commented out
// ("# key = value"), under the [section] header above it.
std::set<std::string> keys_in(const std::string& path) {
  static const std::regex header(R"(^\[([a-z_.]+)\]\s*$)");
  static const std::regex key(R"(^(?:# )?([a-z][a-z0-9_-]*) = .*$)");
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::set<std::string> keys;
  std::string section;
  std::string line;
  std::smatch match;
  while (std::getline(in, line)) {
    if (std::regex_match(line, match, header)) {
      section = match[1];
    } else if (std::regex_match(line, match, key)) {
      keys.insert(section + " " + std::string(match[1]));
    }
  }
  return keys;
}

class ExampleConfigTest : public ::testing::Test {
protected:
  void TearDown() override {
    unsetenv("MISP_KEY");
    unsetenv("AZURE_CLIENT_SECRET");
  }
};

TEST_F(ExampleConfigTest, WithoutItsVariablesNamesThem) {
  unsetenv("MISP_KEY");
  unsetenv("AZURE_CLIENT_SECRET");

  try {
    static_cast<void>(load_config(k_example));
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(),
                HasSubstr("[misp] key_env: environment variable MISP_KEY "
                          "is not set"));
    EXPECT_THAT(error.what(),
                HasSubstr("[sentinel] client_secret_env: environment "
                          "variable AZURE_CLIENT_SECRET is not set"));
  }
}

TEST_F(ExampleConfigTest, LoadsWithItsVariables) {
  setenv("MISP_KEY", "example-misp-key", 1);
  setenv("AZURE_CLIENT_SECRET", "example-client-secret", 1);

  const Config config = load_config(k_example);

  EXPECT_EQ(config.misp.url, "https://misp.example.org");
  EXPECT_EQ(config.misp.key.reveal(), "example-misp-key");
  EXPECT_EQ(config.sentinel.client_secret.reveal(), "example-client-secret");
  EXPECT_EQ(config.sentinel.api, SentinelApi::stix_objects);
  EXPECT_EQ(config.state.path, "/var/lib/misp2sentinel/misp2sentinel.db");
  EXPECT_EQ(config.log.file, "");
  EXPECT_EQ(config.log.format, LogFormat::text);
  EXPECT_EQ(config.metrics.textfile, "");
}

TEST_F(ExampleConfigTest, ShowsEveryKey) {
  EXPECT_EQ(keys_in(k_example), k_every_key);
}

} // namespace
} // namespace m2s
