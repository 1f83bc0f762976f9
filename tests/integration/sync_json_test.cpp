// `sync --json`: the run's summary as one JSON document on stdout, with the
// same figures as the runs table.

#include "sandbox_fixture.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace m2s::testing {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> k_small = {
    "eset_malware-ioc__telebots_misp-telebots.json",
    "MISP_MISP__tests_event.json"};

class SyncJson : public ::testing::Test {
protected:
  TempDir m_dir;
};

TEST_F(SyncJson, FailedRunCarriesTheErrorAndExitCode) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  sandbox.add_fault(R"({"path_contains":"restSearch","status":403,"count":5,
    "body":{"name":"Authentication failed.","message":"Authentication failed.",
            "url":"/events/restSearch"}})");

  const ProcessResult run = tool.run({"sync", "--json"});

  EXPECT_EQ(run.exit_code, 3);
  const boost::json::object json = boost::json::parse(run.out).as_object();
  EXPECT_EQ(json.at("outcome"), "failed");
  EXPECT_EQ(json.at("exit_code"), 3);
  EXPECT_THAT(std::string(json.at("error").as_string()), HasSubstr("403"));
}

TEST_F(SyncJson, SummaryMatchesTheRunsRow) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);

  const ProcessResult run = tool.run({"sync", "--json"});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  boost::system::error_code error;
  const boost::json::value value = boost::json::parse(run.out, error);
  ASSERT_FALSE(error) << "stdout is not one JSON document: " << run.out;
  const boost::json::object& json = value.as_object();

  const auto column = [&](const std::string& name) {
    return tool.store_count("SELECT " + name + " FROM runs WHERE run_id = 1");
  };
  EXPECT_EQ(json.at("run_id"), 1);
  EXPECT_EQ(json.at("mode"), "delta");
  EXPECT_EQ(json.at("outcome"), "ok");
  EXPECT_EQ(json.at("exit_code"), 0);
  EXPECT_TRUE(json.at("error").is_null());
  EXPECT_EQ(json.at("events_read").as_int64(), column("events_read"));
  EXPECT_EQ(json.at("attributes_read").as_int64(), column("attributes_read"));

  const auto& indicators = json.at("indicators").as_object();
  EXPECT_EQ(indicators.at("new").as_int64(), column("indicators_new"));
  EXPECT_EQ(indicators.at("changed").as_int64(), column("indicators_changed"));
  EXPECT_EQ(indicators.at("unchanged").as_int64(),
            column("indicators_unchanged"));
  EXPECT_EQ(indicators.at("revoked").as_int64(), column("indicators_revoked"));
  EXPECT_EQ(indicators.at("refreshed").as_int64(),
            column("indicators_refreshed"));
  EXPECT_GT(indicators.at("new").as_int64(), 0);

  const auto& skipped = json.at("skipped").as_object();
  EXPECT_EQ(skipped.at("total").as_int64(), column("attributes_skipped"));
  std::int64_t by_reason = 0;
  for (const auto& [reason, count] : skipped.at("by_reason").as_object()) {
    by_reason += count.as_int64();
  }
  EXPECT_EQ(by_reason, column("attributes_skipped"));

  const auto& sentinel = json.at("sentinel").as_object();
  EXPECT_EQ(sentinel.at("sent").as_int64(), column("objects_sent"));
  EXPECT_EQ(sentinel.at("rejected").as_int64(), 0);
  EXPECT_EQ(sentinel.at("requests").as_int64(), column("requests"));
  EXPECT_EQ(sentinel.at("pending_left").as_int64(), 0);
  EXPECT_GE(json.at("elapsed_seconds").to_number<double>(), 0.0);
}

} // namespace
} // namespace m2s::testing
