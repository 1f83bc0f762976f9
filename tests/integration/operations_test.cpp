// What cron and systemd see of a sync (issue 5), through the real binary:
// the [metrics] textfile after each run, successful or not; progress log
// lines off a terminal; [log] format = "json" lines; config warnings.

#include "sandbox_fixture.hpp"
#include "synthetic_events.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <sstream>

namespace m2s::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<std::string> k_small = {"MISP_MISP__tests_event.json"};

// The value of the sample `name` (with its labels) in Prometheus text.
double sample(const std::string& text, const std::string& name) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(name + " ", 0) == 0) {
      return std::stod(line.substr(name.size() + 1));
    }
  }
  ADD_FAILURE() << "no sample " << name << " in:\n" << text;
  return -1;
}

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

class Operations : public ::testing::Test {
protected:
  TempDir m_dir;
};

TEST_F(Operations, MetricsFileIsWrittenAfterSuccessAndAfterFailure) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  const std::string prom = m_dir.file("metrics/m2s.prom");
  fs::create_directories(m_dir.file("metrics"));
  ConfigSpec spec;
  spec.retry_budget_seconds = 0;
  spec.extra = "[metrics]\ntextfile = \"" + prom + "\"\n";
  tool.configure(spec);

  const ProcessResult ok = tool.run({"sync"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const std::string after_ok = read_file(prom);
  const std::int64_t sent =
      tool.store_count("SELECT sum(objects_sent) FROM runs");
  EXPECT_GT(sent, 0);
  EXPECT_EQ(sample(after_ok, "misp2sentinel_objects_sent_total"),
            static_cast<double>(sent));
  EXPECT_EQ(sample(after_ok, "misp2sentinel_last_run_exit_code"), 0);
  EXPECT_EQ(sample(after_ok, "misp2sentinel_indicators{state=\"active\"}"),
            static_cast<double>(tool.store_count(
                "SELECT count(*) FROM indicators WHERE state = 'active'")));
  const double success = sample(
      after_ok, "misp2sentinel_last_success_timestamp_seconds");
  EXPECT_GT(success, 0);
  struct stat info {};
  ASSERT_EQ(::stat(prom.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u); // the collector is another user

  sandbox.add_fault(R"({"path_contains":"restSearch","status":500})");
  const ProcessResult failed = tool.run({"sync"});
  ASSERT_EQ(failed.exit_code, 3) << failed.err;
  const std::string after_failure = read_file(prom);
  EXPECT_EQ(sample(after_failure, "misp2sentinel_last_run_exit_code"), 3);
  EXPECT_EQ(sample(after_failure, "misp2sentinel_run_errors_total"), 1);
  EXPECT_EQ(sample(after_failure,
                   "misp2sentinel_last_success_timestamp_seconds"),
            success);

  // Written by rename: no temporary file is left beside it.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(m_dir.file("metrics"))) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"m2s.prom"});
}

TEST_F(Operations, UnwritableMetricsFileWarnsButTheSyncSucceeds) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.extra = "[metrics]\ntextfile = \"" + m_dir.file("missing/m2s.prom")
               + "\"\n";
  tool.configure(spec);

  const ProcessResult run = tool.run({"sync"});

  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("missing/m2s.prom"));
  EXPECT_THAT(run.err, HasSubstr("the metrics are stale"));
}

// Off a terminal (the test reads stderr from a file) a long phase logs a
// progress line at most every 5 seconds; four pages that each take 2 s
// make a run of about 8 s, so one or two lines, never one per page.
TEST_F(Operations, SlowRunLogsProgressLinesOffATerminal) {
  Sandbox sandbox(m_dir, {}, k_small);
  write_synthetic_events(sandbox.events_dir(), 35, 1);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.page_size = 10;
  tool.configure(spec);
  sandbox.add_fault(
      R"({"path_contains":"restSearch","delay_ms":2000,"count":4})");

  const ProcessResult run = tool.run({"sync"});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  const int lines = count_of(run.err, "reading MISP: ");
  EXPECT_GE(lines, 1) << run.err;
  EXPECT_LE(lines, 2) << run.err;
  EXPECT_TRUE(std::regex_search(
      run.err, std::regex(R"(info reading MISP: [0-9]+ events, [0-9.]+/s)")))
      << run.err;
  EXPECT_THAT(run.err, Not(HasSubstr("\r"))); // no terminal redraws
}

TEST_F(Operations, FastRunLogsNoProgressLine) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);

  const ProcessResult run = tool.run({"sync"});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, Not(HasSubstr("reading MISP: ")));
  EXPECT_THAT(run.err, Not(HasSubstr("uploading: ")));
}

TEST_F(Operations, JsonLogFormatWritesOneObjectPerLine) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.extra = "[log]\nformat = \"json\"\nlevel = \"debug\"\nfile = \""
               + m_dir.file("m2s.log") + "\"\n";
  tool.configure(spec);

  const ProcessResult run = tool.run({"sync"});
  ASSERT_EQ(run.exit_code, 0) << run.err;

  for (const std::string& text : {run.err, read_file(m_dir.file("m2s.log"))}) {
    std::istringstream lines(text);
    std::string line;
    int parsed = 0;
    while (std::getline(lines, line)) {
      boost::system::error_code error;
      const boost::json::value value = boost::json::parse(line, error);
      ASSERT_FALSE(error) << "not JSON: " << line;
      const boost::json::object& object = value.as_object();
      EXPECT_TRUE(object.contains("time") && object.contains("level")
                  && object.contains("message"))
          << line;
      ++parsed;
    }
    EXPECT_GT(parsed, 2) << text;
  }
}

// Another program (an sqlite3 shell) holding a write transaction: the
// error names the store and says what to do.
TEST_F(Operations, LockedStoreIsNamedWithTheFix) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  SQLite::Database other(tool.store_path(), SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  other.exec("UPDATE runs SET error = error");

  const ProcessResult result = tool.run({"sync", "--full"});
  other.exec("ROLLBACK");

  EXPECT_EQ(result.exit_code, 5) << result.err;
  EXPECT_THAT(result.err, HasSubstr(tool.store_path()));
  EXPECT_THAT(result.err,
              HasSubstr("another program holds a write lock on it"));
  EXPECT_THAT(result.err, HasSubstr("close it and run again"));
}

// A store file this user may not write is not a store that "cannot be
// created". As root, modes do not stop writes: run as nobody.
TEST_F(Operations, ReadOnlyStoreFileSaysItIsNotWritable) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  const fs::perms read_only = fs::perms::owner_read | fs::perms::group_read
                              | fs::perms::others_read;
  // Only the store file is read-only: the lock beside it can be taken.
  fs::permissions(tool.store_path(), read_only);
  fs::permissions(tool.config_path(), read_only);
  fs::remove(tool.store_path() + ".lock");
  fs::permissions(m_dir.path(), fs::perms::all);

  ProcessResult result;
  if (::geteuid() == 0) {
    result = run_process({"/usr/bin/setpriv", "--reuid=65534",
                          "--regid=65534", "--clear-groups", M2S_BINARY,
                          "sync", "--config", tool.config_path()},
                         tool.secrets_env(), "/");
  } else {
    result = tool.run({"sync"});
  }

  EXPECT_EQ(result.exit_code, 5) << result.err;
  EXPECT_THAT(result.err, HasSubstr(tool.store_path()));
  EXPECT_THAT(result.err, HasSubstr("not writable"));
  EXPECT_THAT(result.err, Not(HasSubstr("cannot create the store")));
}

// `misp2sentinel sync | head -1`: the reader is gone by the time the
// summary is written. SIGPIPE used to kill the process there (exit 141 in
// the shell) although the run itself was done and recorded.
TEST_F(Operations, ClosedOutputPipeDoesNotKillTheRun) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  tool.configure({});

  // `true` exits at once, so the tool's stdout is a pipe without reader.
  const ProcessResult result = run_process(
      {"/bin/bash",
       "-c",
       "\"$0\" sync --config \"$1\" | true; echo \"status=${PIPESTATUS[0]}\"",
       M2S_BINARY,
       tool.config_path()},
      tool.secrets_env(),
      m_dir.path().string());

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("status=0")) << result.err;
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM runs "
                             "WHERE outcome = 'ok'"),
            1);
}

} // namespace
} // namespace m2s::testing
