#include "metrics_file.hpp"

#include "misp2sentinel/util/errors.hpp"
#include "temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace m2s {
namespace {

using ::testing::HasSubstr;

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::size_t entries_in(const fs::path& folder) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder)) {
    ++count;
  }
  return count;
}

class MetricsStoreTest : public ::testing::Test {
protected:
  MetricsStoreTest()
      : m_store(m_dir.file("state.db")) {}

  std::int64_t add_indicator(const std::string& id, IndicatorState state) {
    IndicatorRow row;
    row.indicator_id = id;
    row.attribute_uuid = "attr-" + id;
    row.event_uuid = "event-1";
    row.misp_type = "ip-dst";
    row.observable_type = "ipv4-addr";
    row.value = "203.0.113.7";
    row.pattern = "[ipv4-addr:value = '203.0.113.7']";
    row.content_hash = "hash-1";
    row.state = state;
    row.created = "2026-01-01T00:00:00.000Z";
    row.modified = "2026-01-01T00:00:00.000Z";
    row.valid_from = "2026-01-01T00:00:00.000Z";
    return m_store.upsert_indicator(row);
  }

  // A finished run with `sent` / `rejected` objects, ended at `finished_at`.
  std::int64_t add_run(RunOutcome outcome,
                       std::int64_t sent,
                       std::int64_t rejected,
                       const std::string& finished_at) {
    const std::int64_t run_id = m_store.begin_run("delta", 0);
    RunCounts counts;
    counts.objects_sent = sent;
    counts.objects_rejected = rejected;
    m_store.finish_run(run_id, counts, outcome, 0, "");
    SQLite::Statement q(m_store.database(),
                        "UPDATE runs SET finished_at = ?2 WHERE run_id = ?1");
    q.bind(1, static_cast<std::int64_t>(run_id));
    q.bind(2, finished_at);
    q.exec();
    return run_id;
  }

  testing::TempDir m_dir;
  Store m_store;
};

MetricsSnapshot sample_snapshot() {
  MetricsSnapshot s;
  s.last_run_timestamp = 1767225610;
  s.last_success_timestamp = 1767225000;
  s.run_duration_seconds = 1.5;
  s.indicators = {3, 1, 2, 1};
  s.indicators_live = 5;
  s.outbox_pending = 1;
  s.objects_sent_total = 8;
  s.objects_rejected_total = 2;
  s.run_errors_total = 4;
  s.last_run_exit_code = 3;
  return s;
}

// --- The text format ---

TEST(MetricsFormat, EveryMetricWithHelpAndType) {
  EXPECT_EQ(
      format_metrics(sample_snapshot()),
      "# HELP misp2sentinel_last_run_timestamp_seconds When the last run "
      "ended, in Unix time.\n"
      "# TYPE misp2sentinel_last_run_timestamp_seconds gauge\n"
      "misp2sentinel_last_run_timestamp_seconds 1767225610\n"
      "# HELP misp2sentinel_last_success_timestamp_seconds When the last run "
      "without a MISP, Sentinel or store error ended, in Unix time (0: "
      "never).\n"
      "# TYPE misp2sentinel_last_success_timestamp_seconds gauge\n"
      "misp2sentinel_last_success_timestamp_seconds 1767225000\n"
      "# HELP misp2sentinel_run_duration_seconds How long the last run "
      "took.\n"
      "# TYPE misp2sentinel_run_duration_seconds gauge\n"
      "misp2sentinel_run_duration_seconds 1.500\n"
      "# HELP misp2sentinel_last_run_exit_code Exit code of the last run "
      "(0 ok, 1 some rejected, 3 MISP, 4 Sentinel, 5 store).\n"
      "# TYPE misp2sentinel_last_run_exit_code gauge\n"
      "misp2sentinel_last_run_exit_code 3\n"
      "# HELP misp2sentinel_indicators Indicators in the store, by state.\n"
      "# TYPE misp2sentinel_indicators gauge\n"
      "misp2sentinel_indicators{state=\"active\"} 3\n"
      "misp2sentinel_indicators{state=\"pending\"} 1\n"
      "misp2sentinel_indicators{state=\"rejected\"} 2\n"
      "misp2sentinel_indicators{state=\"revoked\"} 1\n"
      "# HELP misp2sentinel_indicators_live Indicators live in Sentinel: "
      "the version it last accepted is not a revocation (a newer version "
      "may be queued or refused).\n"
      "# TYPE misp2sentinel_indicators_live gauge\n"
      "misp2sentinel_indicators_live 5\n"
      "# HELP misp2sentinel_outbox_pending Indicator versions still queued "
      "for Sentinel after the last run.\n"
      "# TYPE misp2sentinel_outbox_pending gauge\n"
      "misp2sentinel_outbox_pending 1\n"
      "# HELP misp2sentinel_objects_sent_total Objects Sentinel accepted, "
      "over every run in the store.\n"
      "# TYPE misp2sentinel_objects_sent_total counter\n"
      "misp2sentinel_objects_sent_total 8\n"
      "# HELP misp2sentinel_objects_rejected_total Objects Sentinel "
      "rejected, over every run in the store.\n"
      "# TYPE misp2sentinel_objects_rejected_total counter\n"
      "misp2sentinel_objects_rejected_total 2\n"
      "# HELP misp2sentinel_run_errors_total Runs that failed or were "
      "interrupted, over every run in the store.\n"
      "# TYPE misp2sentinel_run_errors_total counter\n"
      "misp2sentinel_run_errors_total 4\n");
}

// --- Reading the store ---

TEST_F(MetricsStoreTest, NoSuccessfulRunGivesZero) {
  SyncSummary summary;
  summary.run_id =
      add_run(RunOutcome::failed, 0, 0, "2026-01-01T00:00:10.000Z");
  summary.exit_code = ExitCode::misp_error;

  const MetricsSnapshot s = read_metrics(m_store, summary);

  EXPECT_EQ(s.last_success_timestamp, 0);
  EXPECT_EQ(s.last_run_timestamp, 1767225610);
  EXPECT_EQ(s.run_errors_total, 1);
  EXPECT_EQ(s.last_run_exit_code, 3);
  EXPECT_EQ(s.indicators, (std::array<std::int64_t, 4>{0, 0, 0, 0}));
}

TEST_F(MetricsStoreTest, CountsComeFromTheStore) {
  for (const char* id : {"a1", "a2", "a3"}) {
    add_indicator(id, IndicatorState::active);
  }
  const std::int64_t queued = add_indicator("p1", IndicatorState::pending);
  add_indicator("r1", IndicatorState::rejected);
  add_indicator("r2", IndicatorState::rejected);
  add_indicator("v1", IndicatorState::revoked);
  OutboxItem item;
  item.indicator_key = queued;
  item.indicator_id = "p1";
  item.stix_object = R"({"id":"p1"})";
  item.content_hash = "hash-1";
  m_store.enqueue(item);

  static_cast<void>(m_store.begin_run("delta", 0)); // dies: interrupted
  ASSERT_EQ(m_store.close_interrupted_runs(), 1);
  add_run(RunOutcome::ok, 5, 0, "2026-01-01T00:00:00.000Z");
  add_run(RunOutcome::failed, 2, 1, "2026-01-01T00:05:00.000Z");
  SyncSummary summary;
  summary.run_id =
      add_run(RunOutcome::some_rejected, 1, 1, "2026-01-01T00:10:10.250Z");
  summary.elapsed = std::chrono::milliseconds(1500);
  summary.exit_code = ExitCode::some_rejected;

  const MetricsSnapshot s = read_metrics(m_store, summary);

  EXPECT_EQ(s.last_run_timestamp, 1767226210);
  EXPECT_EQ(s.last_success_timestamp, 1767226210);
  EXPECT_DOUBLE_EQ(s.run_duration_seconds, 1.5);
  EXPECT_EQ(s.indicators, (std::array<std::int64_t, 4>{3, 1, 2, 1}));
  EXPECT_EQ(s.outbox_pending, 1);
  EXPECT_EQ(s.objects_sent_total, 8);
  EXPECT_EQ(s.objects_rejected_total, 2);
  EXPECT_EQ(s.run_errors_total, 2);
  EXPECT_EQ(s.last_run_exit_code, 1);
}

TEST_F(MetricsStoreTest, LastSuccessIsTheNewestGoodRun) {
  add_run(RunOutcome::ok, 5, 0, "2026-01-01T00:00:00.000Z");
  SyncSummary summary;
  summary.run_id =
      add_run(RunOutcome::failed, 0, 0, "2026-01-01T00:10:00.000Z");

  const MetricsSnapshot s = read_metrics(m_store, summary);

  EXPECT_EQ(s.last_success_timestamp, 1767225600);
  EXPECT_EQ(s.last_run_timestamp, 1767226200);
}

// --- Writing the file ---

TEST(MetricsWrite, MissingFolderNamesThePath) {
  testing::TempDir dir;
  const std::string path = dir.file("no-such-folder/m2s.prom");

  try {
    write_file_atomically(path, "x 1\n");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr(path));
    EXPECT_EQ(error.code(), ExitCode::store_error);
  }
  EXPECT_EQ(entries_in(dir.path()), 0U);
}

TEST(MetricsWrite, ReplacesTheFileByRename) {
  testing::TempDir dir;
  const std::string path = dir.file("m2s.prom");
  std::ofstream(path) << "old 1\n";
  fs::create_hard_link(path, dir.file("old-link"));

  write_file_atomically(path, "new 2\n");

  EXPECT_EQ(read_text(path), "new 2\n");
  // The old inode is untouched: the new text arrived by rename, so a
  // reader never sees a half-written file.
  EXPECT_EQ(read_text(dir.file("old-link")), "old 1\n");
  EXPECT_EQ(entries_in(dir.path()), 2U);

  struct stat info {};

  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644U);
}

TEST_F(MetricsStoreTest, WriteFailureOnlyWarns) {
  SyncSummary summary;
  summary.run_id = add_run(RunOutcome::ok, 0, 0, "2026-01-01T00:00:00.000Z");
  const std::string path = m_dir.file("no-such-folder/m2s.prom");

  EXPECT_NO_THROW(write_metrics(path, m_store, summary));
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(MetricsStoreTest, EmptyPathWritesNothing) {
  SyncSummary summary;
  summary.run_id = add_run(RunOutcome::ok, 0, 0, "2026-01-01T00:00:00.000Z");
  const std::size_t before = entries_in(m_dir.path());

  write_metrics("", m_store, summary);

  EXPECT_EQ(entries_in(m_dir.path()), before);
}

TEST_F(MetricsStoreTest, WritesTheMetricsOfTheRun) {
  add_indicator("a1", IndicatorState::active);
  SyncSummary summary;
  summary.run_id = add_run(RunOutcome::ok, 1, 0, "2026-01-01T00:00:00.000Z");
  const std::string path = m_dir.file("m2s.prom");

  write_metrics(path, m_store, summary);

  const std::string text = read_text(path);
  EXPECT_EQ(text, format_metrics(read_metrics(m_store, summary)));
  EXPECT_THAT(text,
              HasSubstr("\nmisp2sentinel_indicators{state=\"active\"} "
                        "1\n"));
  EXPECT_THAT(text,
              HasSubstr("\nmisp2sentinel_last_success_timestamp_seconds "
                        "1767225600\n"));
}

} // namespace
} // namespace m2s
