// [limits] run_budget_seconds in the engine: a run past its budget stops
// between steps (MISP pages, upload batches), keeps what it read queued,
// fails with a message naming the setting, and the next run finishes.
// The clock is a variable the fakes move, so nothing here is timed.

#include "misp2sentinel/misp/event.hpp"
#include "misp2sentinel/sentinel/uploader.hpp"
#include "misp2sentinel/sync/sync_engine.hpp"
#include "temp_dir.hpp"

#include <SQLiteCpp/Database.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace m2s {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t k_second = 1000;

// MISP with `events`, one per page; each fetch costs `cost_ms`.
class SlowMisp final : public EventSource {
public:
  SlowMisp(std::int64_t& clock, std::vector<MispEvent> events)
      : m_clock(clock),
        m_events(std::move(events)) {}

  std::int64_t cost_ms = 0;
  int fetches = 0;

  Page fetch(const Query& query) override {
    ++fetches;
    m_clock += cost_ms;
    Page page;
    const auto first = static_cast<std::size_t>(query.page - 1)
                       * static_cast<std::size_t>(query.limit);
    for (std::size_t i = first;
         i < m_events.size()
         && i < first + static_cast<std::size_t>(query.limit);
         ++i) {
      if (m_events[i].timestamp >= query.since) {
        page.events.push_back(m_events[i]);
      }
    }
    page.events_in_answer = page.events.size();
    return page;
  }

  std::vector<IndexEntry> index() override {
    return {};
  }

private:
  std::int64_t& m_clock;
  std::vector<MispEvent> m_events;
};

// Sentinel accepting everything; each batch costs `cost_ms`.
class SlowSentinel final : public IndicatorSink {
public:
  explicit SlowSentinel(std::int64_t& clock)
      : m_clock(clock) {}

  std::int64_t cost_ms = 0;
  std::size_t objects = 0;
  int batches = 0;

  BatchOutcome upload(const std::vector<OutboxItem>& batch) override {
    ++batches;
    m_clock += cost_ms;
    objects += batch.size();
    BatchOutcome outcome;
    outcome.requests = 1;
    return outcome;
  }

private:
  std::int64_t& m_clock;
};

MispEvent event_with_ip(int n) {
  MispEvent e;
  e.uuid = "11111111-1111-4111-8111-00000000000" + std::to_string(n);
  e.info = "Event " + std::to_string(n);
  e.published = true;
  e.timestamp = e.publish_timestamp = 1700000000 + n;
  MispAttribute a;
  a.uuid = "aaaaaaaa-0000-4000-8000-00000000000" + std::to_string(n);
  a.type = "ip-dst";
  a.category = "Network activity";
  a.value = "203.0.113." + std::to_string(n);
  a.to_ids = true;
  a.timestamp = e.timestamp;
  e.attributes.push_back(a);
  return e;
}

class RunBudget : public ::testing::Test {
protected:
  void SetUp() override {
    m_config.state.path = m_dir.file("store.db");
    m_config.misp.page_size = 1;
    m_config.sentinel.batch_size = 1;
    m_config.limits.run_budget_seconds = 60;
  }

  SyncSummary sync() {
    Store store(m_config.state.path);
    SyncEngine engine(
        m_config, store, m_misp, m_sentinel, [this] { return m_clock; });
    return engine.run(SyncOptions{});
  }

  std::int64_t count(const std::string& sql) {
    SQLite::Database db(m_config.state.path);
    return db.execAndGet(sql).getInt64();
  }

  testing::TempDir m_dir;
  Config m_config;
  std::int64_t m_clock = 1764000000000;
  SlowMisp m_misp{
      m_clock,
      {event_with_ip(1), event_with_ip(2), event_with_ip(3), event_with_ip(4)}};
  SlowSentinel m_sentinel{m_clock};
};

TEST_F(RunBudget, RunWithinItsBudgetFinishes) {
  m_misp.cost_ms = 5 * k_second; // 5 pages and 4 batches: 45 s
  m_sentinel.cost_ms = 5 * k_second;

  const SyncSummary s = sync();

  EXPECT_EQ(s.exit_code, ExitCode::ok) << s.error;
  EXPECT_EQ(m_sentinel.objects, 4u);
}

TEST_F(RunBudget, SlowMispStopsBetweenPagesAndKeepsWhatWasRead) {
  m_misp.cost_ms = 40 * k_second; // page 2 ends past the 60 s budget

  const SyncSummary s = sync();

  EXPECT_EQ(s.exit_code, ExitCode::misp_error);
  EXPECT_THAT(s.error, HasSubstr("[limits] run_budget_seconds"));
  EXPECT_THAT(s.error, HasSubstr("reading MISP"));
  EXPECT_EQ(m_misp.fetches, 2);
  EXPECT_EQ(m_sentinel.batches, 0); // no new step once the budget is spent
  EXPECT_EQ(s.pending_left, 2);
  EXPECT_EQ(count("SELECT count(*) FROM outbox"), 2);
  EXPECT_EQ(count("SELECT position_epoch FROM sync_cursor"), 1700000002);
  EXPECT_EQ(count("SELECT count(*) FROM runs WHERE outcome = 'failed' "
                  "AND error LIKE '%run_budget_seconds%'"),
            1);

  m_misp.cost_ms = 0;
  const SyncSummary next = sync();
  EXPECT_EQ(next.exit_code, ExitCode::ok) << next.error;
  EXPECT_EQ(m_sentinel.objects, 4u);
  EXPECT_EQ(count("SELECT count(*) FROM outbox"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state = 'active'"), 4);
}

TEST_F(RunBudget, SlowSentinelStopsBetweenBatches) {
  m_sentinel.cost_ms = 25 * k_second; // batch 3 ends past the budget

  const SyncSummary s = sync();

  EXPECT_EQ(s.exit_code, ExitCode::sentinel_error);
  EXPECT_THAT(s.error, HasSubstr("[limits] run_budget_seconds"));
  EXPECT_THAT(s.error, HasSubstr("uploading"));
  EXPECT_EQ(m_sentinel.batches, 3);
  EXPECT_EQ(s.counts.objects_sent, 3);
  EXPECT_EQ(s.pending_left, 1);

  m_sentinel.cost_ms = 0;
  const SyncSummary next = sync();
  EXPECT_EQ(next.exit_code, ExitCode::ok) << next.error;
  EXPECT_EQ(m_sentinel.objects, 4u);
  EXPECT_EQ(count("SELECT count(*) FROM outbox"), 0);
}

} // namespace
} // namespace m2s
