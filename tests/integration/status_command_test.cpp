// `misp2sentinel status [--json]` on stores written by real runs: every
// figure agrees with the store, times are ISO-8601 UTC, and reading the
// status changes nothing.

#include "misp2sentinel/store/run_lock.hpp"
#include "misp2sentinel/util/hash.hpp"
#include "sandbox_fixture.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include <unistd.h>

namespace m2s::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

const std::vector<std::string> k_small = {
    "eset_malware-ioc__telebots_misp-telebots.json",
    "MISP_MISP__tests_event.json"};

constexpr const char* k_iso_seconds =
    "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{3})?Z";

constexpr const char* k_rejection = R"({"path_contains":"stix-objects",
  "status":200,"count":1,
  "body":{"errors":[{"recordIndex":1,"errorMessages":[
    "Error for Property=pattern: not a valid STIX pattern"]}]}})";

std::string file_hash(const std::string& path) {
  return std::filesystem::exists(path) ? sha256_hex(read_file(path))
                                       : "missing";
}

class StatusCommand : public ::testing::Test {
protected:
  boost::json::object status_json(Misp2Sentinel& tool,
                                  std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"status", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const ProcessResult result = tool.run(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    boost::system::error_code error;
    boost::json::value value = boost::json::parse(result.out, error);
    EXPECT_FALSE(error) << result.out;
    return error || !value.is_object() ? boost::json::object()
                                       : value.as_object();
  }

  TempDir m_dir;
};

TEST_F(StatusCommand, BeforeTheFirstSyncSaysThereIsNoStore) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);

  const ProcessResult text = tool.run({"status"});
  const boost::json::object json = status_json(tool);

  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("no sync has run yet"));
  EXPECT_THAT(text.out, HasSubstr(tool.store_path()));
  EXPECT_EQ(json.at("store").at("exists"), false);
  EXPECT_FALSE(std::filesystem::exists(tool.store_path()));
}

TEST_F(StatusCommand, JsonAgreesWithTheStoreAndChangesNothing) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  sandbox.add_fault(k_rejection);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 1);
  const std::string before = file_hash(tool.store_path());

  const boost::json::object json = status_json(tool);

  EXPECT_EQ(file_hash(tool.store_path()), before);
  EXPECT_FALSE(std::filesystem::exists(tool.store_path() + "-wal"));

  const auto& by_state = json.at("indicators").as_object();
  for (const char* state : {"active", "pending", "rejected", "revoked"}) {
    EXPECT_EQ(by_state.at(state).as_int64(),
              tool.store_count(std::string("SELECT count(*) FROM indicators "
                                           "WHERE state = '")
                               + state + "'"))
        << state;
  }
  EXPECT_EQ(by_state.at("rejected").as_int64(), 1);

  std::int64_t typed = 0;
  for (const auto& [type, counts] : json.at("indicators_by_type").as_object()) {
    for (const auto& [state, count] : counts.as_object()) {
      typed += count.as_int64();
    }
  }
  EXPECT_EQ(typed, tool.store_count("SELECT count(*) FROM indicators"));

  const auto& runs = json.at("runs").as_array();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].at("run_id").as_int64(), 1);
  EXPECT_EQ(runs[0].at("outcome").as_string(), "some_rejected");
  EXPECT_EQ(runs[0].at("objects_rejected").as_int64(), 1);
  EXPECT_THAT(std::string(runs[0].at("started_at").as_string()),
              MatchesRegex(k_iso_seconds));
  EXPECT_EQ(json.at("last_success").at("run_id").as_int64(), 1);

  const auto& rejections = json.at("top_rejections").as_array();
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_THAT(std::string(rejections[0].at("reason").as_string()),
              HasSubstr("not a valid STIX pattern"));
  EXPECT_EQ(rejections[0].at("indicators").as_int64(), 1);

  const auto& skips = json.at("top_skip_reasons").as_array();
  ASSERT_FALSE(skips.empty());
  EXPECT_EQ(skips[0].at("attributes").as_int64(),
            tool.store_count("SELECT count(*) FROM attributes WHERE "
                             "outcome = 'skipped' GROUP BY skip_reason "
                             "ORDER BY count(*) DESC LIMIT 1"));

  const auto& cursor = json.at("cursor").as_object();
  EXPECT_EQ(cursor.at("position_epoch").as_int64(),
            tool.store_count("SELECT position_epoch FROM sync_cursor"));
  EXPECT_THAT(std::string(cursor.at("position").as_string()),
              MatchesRegex(k_iso_seconds));
  EXPECT_EQ(json.at("outbox").at("queued").as_int64(), 0);
}

// `sync --full --resend` queues a new version of every indicator; when
// Sentinel is down the run fails and they stay pending, but Sentinel
// still holds every one of them. status, the views and the metrics file
// must say so rather than show a drop to zero.
TEST_F(StatusCommand, ResendDuringAnOutageKeepsIndicatorsLive) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  const std::string prom = m_dir.file("m2s.prom");
  ConfigSpec spec;
  spec.retry_budget_seconds = 0;
  spec.extra = "[metrics]\ntextfile = \"" + prom + "\"\n";
  tool.configure(spec);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  const std::int64_t sent =
      tool.store_count("SELECT count(*) FROM indicators");
  ASSERT_GT(sent, 0);
  sandbox.add_fault(R"({"path_contains":"stix-objects","status":503,
    "body":"busy","count":1000})");

  const ProcessResult resend = tool.run({"sync", "--full", "--resend"});
  ASSERT_EQ(resend.exit_code, 4) << resend.err;
  ASSERT_EQ(tool.store_count("SELECT count(*) FROM indicators "
                             "WHERE state = 'pending'"),
            sent);

  const boost::json::object json = status_json(tool);
  EXPECT_EQ(json.at("indicators_live").as_int64(), sent);
  const ProcessResult text = tool.run({"status"});
  EXPECT_THAT(text.out,
              HasSubstr("0 active, " + std::to_string(sent)
                        + " pending, 0 rejected, 0 revoked; "
                        + std::to_string(sent) + " live in Sentinel"));
  EXPECT_EQ(tool.store_count("SELECT sum(active) FROM active_by_type"), sent);
  EXPECT_THAT(read_file(prom),
              HasSubstr("misp2sentinel_indicators_live "
                        + std::to_string(sent) + "\n"));
}

TEST_F(StatusCommand, TextShowsEachPart) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  sandbox.add_fault(k_rejection);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 1);
  const std::int64_t active =
      tool.store_count("SELECT count(*) FROM indicators WHERE "
                       "state = 'active'");

  const ProcessResult result = tool.run({"status"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Cursor: "));
  EXPECT_THAT(result.out, HasSubstr("Last successful run: 1 "));
  EXPECT_THAT(result.out,
              HasSubstr("Indicators: " + std::to_string(active)
                        + " active, 0 pending, 1 rejected, 0 revoked"));
  EXPECT_THAT(result.out, HasSubstr("ipv4-addr: "));
  EXPECT_THAT(result.out, HasSubstr("run 1 delta "));
  EXPECT_THAT(result.out, HasSubstr("some_rejected"));
  EXPECT_THAT(result.out, HasSubstr("not a valid STIX pattern"));
  EXPECT_THAT(result.out, HasSubstr("to_ids is false"));
  EXPECT_THAT(result.out, HasSubstr("Due for refresh"));
}

TEST_F(StatusCommand, FailedRunIsShownButIsNotTheLastSuccess) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  sandbox.add_fault(R"({"path_contains":"restSearch","status":403,"count":5,
    "body":{"name":"Authentication failed.","message":"Authentication failed.",
            "url":"/events/restSearch"}})");
  ASSERT_EQ(tool.run({"sync"}).exit_code, 3);

  const boost::json::object json = status_json(tool, {"--runs", "1"});

  const auto& runs = json.at("runs").as_array();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].at("run_id").as_int64(), 2);
  EXPECT_EQ(runs[0].at("outcome").as_string(), "failed");
  EXPECT_THAT(std::string(runs[0].at("error").as_string()), HasSubstr("403"));
  EXPECT_EQ(json.at("last_success").at("run_id").as_int64(), 1);
}

TEST_F(StatusCommand, DueForRefreshFollowsRefreshBeforeDays) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  {
    SQLite::Database db(tool.store_path(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE indicators SET valid_until = "
            "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+2 days') "
            "WHERE indicator_id IN (SELECT indicator_id FROM indicators "
            "WHERE state = 'active' ORDER BY indicator_id LIMIT 3)");
  }

  const boost::json::object week = status_json(tool);
  ConfigSpec spec;
  spec.indicators_extra = "refresh_before_days = 1\n";
  tool.configure(spec);
  const boost::json::object day = status_json(tool);

  EXPECT_EQ(week.at("refresh").at("before_days").as_int64(), 7);
  EXPECT_EQ(week.at("refresh").at("due").as_int64(), 3);
  EXPECT_THAT(std::string(week.at("refresh").at("due_before").as_string()),
              MatchesRegex(k_iso_seconds));
  EXPECT_EQ(day.at("refresh").at("before_days").as_int64(), 1);
  EXPECT_EQ(day.at("refresh").at("due").as_int64(), 0);
}

// The config names variables that are not set: status reads only the
// store, so it must not ask for any secret.
TEST_F(StatusCommand, NeedsNoSecret) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  std::string config = read_file(tool.config_path());
  for (const std::string name :
       {"M2S_TEST_MISP_KEY", "M2S_TEST_CLIENT_SECRET"}) {
    config.replace(config.find(name), name.size(), name + "_UNSET");
  }
  write_file(tool.config_path(), config);

  const ProcessResult result = tool.run({"status"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Store: " + tool.store_path()));
}

// An operator may read a store in a folder they cannot write (e.g. the
// service's). As root, permissions do not stop writes: run as nobody.
TEST_F(StatusCommand, WorksWhenTheStoreFolderIsNotWritable) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  namespace fs = std::filesystem;
  const auto listing = [&] {
    std::string names;
    for (const auto& entry : fs::directory_iterator(m_dir.path())) {
      names += entry.path().filename().string() + " ";
    }
    return names;
  };
  const std::string before = listing();
  const std::string hash = file_hash(tool.store_path());
  const fs::perms read_only = fs::perms::owner_read | fs::perms::group_read
                              | fs::perms::others_read;
  fs::permissions(tool.store_path(), read_only);
  fs::permissions(tool.config_path(), read_only);
  fs::permissions(m_dir.path(), read_only | fs::perms::owner_exec
                                    | fs::perms::group_exec
                                    | fs::perms::others_exec);

  ProcessResult result;
  if (::geteuid() == 0) {
    result = run_process({"/usr/bin/setpriv", "--reuid=65534",
                          "--regid=65534", "--clear-groups", M2S_BINARY,
                          "status", "--config", tool.config_path()},
                         {}, "/");
  } else {
    result = tool.run({"status"});
  }
  fs::permissions(m_dir.path(), fs::perms::owner_all);

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Indicators: "));
  EXPECT_EQ(listing(), before);
  EXPECT_EQ(file_hash(tool.store_path()), hash);
}

// status and check write nothing, the log file of [log] file included:
// neither creates it (or its folder), and an unwritable one does not make
// status fail.
TEST_F(StatusCommand, StatusAndCheckLeaveTheLogFileAlone) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  const std::string logs = m_dir.file("logs");
  ConfigSpec spec;
  spec.extra = "[log]\nfile = \"" + logs + "/m2s.log\"\n";
  tool.configure(spec);

  const ProcessResult status = tool.run({"status"});
  const ProcessResult check = tool.run({"check"});

  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("Indicators: "));
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_FALSE(std::filesystem::exists(logs));
}

// A run killed outright stays 'running' in the store until the next run
// marks it interrupted. status tells it from a run in progress by whether
// a process holds the store's lock.
TEST_F(StatusCommand, KilledRunIsNotShownAsInProgress) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  tool.store_execute("INSERT INTO runs (mode, started_at) "
                     "VALUES ('delta', '2026-01-01T00:00:00.000Z')");

  const ProcessResult dead = tool.run({"status"});
  const boost::json::object dead_json = status_json(tool);
  bool held_during = false;
  ProcessResult live;
  {
    RunLock lock(tool.store_path()); // as a sync in progress holds it
    live = tool.run({"status"});
    held_during = status_json(tool)
                      .at("runs")
                      .as_array()
                      .at(0)
                      .as_object()
                      .at("in_progress")
                      .as_bool();
  }

  EXPECT_THAT(dead.out,
              HasSubstr("running, but no process holds the store's lock"));
  EXPECT_FALSE(dead_json.at("runs")
                   .as_array()
                   .at(0)
                   .as_object()
                   .at("in_progress")
                   .as_bool());
  EXPECT_THAT(live.out, Not(HasSubstr("no process holds")));
  EXPECT_TRUE(held_during);
}

} // namespace
} // namespace m2s::testing
