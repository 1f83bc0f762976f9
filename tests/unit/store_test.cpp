#include "misp2sentinel/store/store.hpp"

#include "misp2sentinel/store/migrations.hpp"
#include "misp2sentinel/store/run_lock.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "temp_dir.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace m2s {
namespace {

namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
protected:
  IndicatorRow indicator(const std::string& id) {
    IndicatorRow row;
    row.indicator_id = id;
    row.attribute_uuid = "attr-" + id;
    row.event_uuid = "event-1";
    row.misp_type = "ip-dst";
    row.observable_type = "ipv4-addr";
    row.value = "203.0.113.7";
    row.pattern = "[ipv4-addr:value = '203.0.113.7']";
    row.content_hash = "hash-1";
    row.created = "2026-01-01T00:00:00.000Z";
    row.modified = "2026-01-01T00:00:00.000Z";
    row.valid_from = "2026-01-01T00:00:00.000Z";
    return row;
  }

  OutboxItem queued(const std::string& id, OutboxAction action) {
    OutboxItem item;
    item.indicator_id = id;
    item.action = action;
    item.stix_object = R"({"id":")" + id + R"(","modified":"x"})";
    item.content_hash = "hash-1";
    return item;
  }

  std::int64_t count(Store& store, const std::string& sql) {
    return store.database().execAndGet(sql).getInt64();
  }

  testing::TempDir m_dir;
};

TEST_F(StoreTest, NewStoreHasEveryMigrationAndIsPrivate) {
  Store store(m_dir.file("s.db"));

  EXPECT_EQ(count(store, "PRAGMA user_version"),
            embedded_migrations().back().version);
  EXPECT_EQ(store.database().execAndGet("PRAGMA journal_mode").getString(),
            "wal");
  const auto perms = fs::status(m_dir.file("s.db")).permissions();
  EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
}

TEST_F(StoreTest, ReopeningDoesNotMigrateAgain) {
  {
    Store store(m_dir.file("s.db"));
    store.set_cursor({"timestamp", 42});
  }

  Store again(m_dir.file("s.db"));

  ASSERT_TRUE(again.cursor().has_value());
  EXPECT_EQ(again.cursor()->position_epoch, 42);
  EXPECT_EQ(again.cursor()->field, "timestamp");
}

TEST_F(StoreTest, StoreFromANewerBinaryIsRefused) {
  {
    Store store(m_dir.file("s.db"));
    store.database().exec("PRAGMA user_version = 999");
  }

  try {
    Store store(m_dir.file("s.db"));
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos);
  }
}

TEST_F(StoreTest, UnwritableFolderIsAStoreErrorNamingThePath) {
  const std::string path = "/nonexistent-m2s-dir/s.db";

  try {
    Store store(path);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
  }
}

TEST_F(StoreTest, AcceptedUploadBecomesActiveAndLeavesOutbox) {
  Store store(m_dir.file("s.db"));
  store.upsert_indicator(indicator("indicator--1"));
  store.enqueue(queued("indicator--1", OutboxAction::upload));

  const auto batch = store.outbox_batch(10);
  ASSERT_EQ(batch.size(), 1u);
  store.mark_accepted(batch[0], "2026-01-02T00:00:00.000Z");

  EXPECT_EQ(store.outbox_size(), 0);
  EXPECT_EQ(count(store, "SELECT count(*) FROM indicators WHERE "
                         "state='active' AND sent_hash='hash-1'"),
            1);
}

TEST_F(StoreTest, AcceptedRevocationBecomesRevoked) {
  Store store(m_dir.file("s.db"));
  store.upsert_indicator(indicator("indicator--1"));
  store.enqueue(queued("indicator--1", OutboxAction::revoke));

  store.mark_accepted(store.outbox_batch(10).at(0), "now");

  EXPECT_EQ(count(store, "SELECT count(*) FROM indicators WHERE "
                         "state='revoked'"),
            1);
}

TEST_F(StoreTest, RejectionKeepsTheMessage) {
  Store store(m_dir.file("s.db"));
  store.upsert_indicator(indicator("indicator--1"));
  store.enqueue(queued("indicator--1", OutboxAction::upload));

  store.mark_rejected(store.outbox_batch(10).at(0), "bad pattern");

  EXPECT_EQ(store.outbox_size(), 0);
  EXPECT_EQ(store.database()
                .execAndGet("SELECT rejection FROM rejected")
                .getString(),
            "bad pattern");
}

TEST_F(StoreTest, NewerVersionReplacesTheQueuedOne) {
  Store store(m_dir.file("s.db"));
  store.upsert_indicator(indicator("indicator--1"));
  store.enqueue(queued("indicator--1", OutboxAction::upload));
  OutboxItem newer = queued("indicator--1", OutboxAction::upload);
  newer.stix_object = R"({"id":"indicator--1","modified":"y"})";

  store.enqueue(newer);

  const auto batch = store.outbox_batch(10);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].stix_object, newer.stix_object);
  EXPECT_EQ(batch[0].modified, "y");
}

TEST_F(StoreTest, FailedAttemptStaysQueuedWithTheError) {
  Store store(m_dir.file("s.db"));
  store.upsert_indicator(indicator("indicator--1"));
  store.enqueue(queued("indicator--1", OutboxAction::upload));

  store.mark_attempt_failed(store.outbox_batch(10), "Sentinel 503");

  EXPECT_EQ(count(store, "SELECT attempts FROM outbox"), 1);
  EXPECT_EQ(store.database().execAndGet("SELECT last_error FROM pending")
                .getString(),
            "Sentinel 503");
}

TEST_F(StoreTest, RunsLeftRunningAreMarkedInterrupted) {
  Store store(m_dir.file("s.db"));
  (void)store.begin_run("delta", 0);

  EXPECT_EQ(store.close_interrupted_runs(), 1);
  EXPECT_EQ(count(store, "SELECT count(*) FROM runs WHERE "
                         "outcome='interrupted'"),
            1);
}

// Every run asks for the active indicators expiring before a date; on a
// store of a million indicators, reading every active row for that took
// half a second of a run with nothing to do (README "Performance").
TEST_F(StoreTest, ExpiryRefreshFindsDueEventsThroughTheExpiryIndex) {
  {
    // A store made before the index: migrations up to 003 only.
    SQLite::Database db(m_dir.file("s.db"),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    std::vector<Migration> older;
    for (const Migration& m : embedded_migrations()) {
      if (m.version <= 3) {
        older.push_back(m);
      }
    }
    migrate(db, older);
    ASSERT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 3);
  }
  Store store(m_dir.file("s.db"));

  auto row = [&](const std::string& id,
                 const std::string& event,
                 IndicatorState state,
                 const std::string& until) {
    IndicatorRow r = indicator(id);
    r.event_uuid = event;
    r.state = state;
    r.valid_until = until;
    store.upsert_indicator(r);
  };
  row("indicator--1",
      "event-soon",
      IndicatorState::active,
      "2026-02-01T00:00:00.000Z");
  row("indicator--2",
      "event-later",
      IndicatorState::active,
      "2026-09-01T00:00:00.000Z");
  row("indicator--3",
      "event-pending",
      IndicatorState::pending,
      "2026-02-01T00:00:00.000Z");
  row("indicator--4",
      "event-soon",
      IndicatorState::active,
      "2026-01-15T00:00:00.000Z");

  EXPECT_EQ(store.events_due_for_refresh("2026-03-01T00:00:00.000Z"),
            std::vector<std::string>{"event-soon"});

  // The same query as Store::events_due_for_refresh: SQLite searches the
  // index by state and valid_until rather than reading every active row.
  SQLite::Statement plan(store.database(),
                         "EXPLAIN QUERY PLAN SELECT DISTINCT event_uuid "
                         "FROM indicators WHERE state = 'active' AND "
                         "valid_until < ?1");
  plan.bind(1, "2026-03-01T00:00:00.000Z");
  std::string details;
  while (plan.executeStep()) {
    details += plan.getColumn(3).getString() + "\n";
  }
  EXPECT_NE(details.find("(state=? AND valid_until<?)"), std::string::npos)
      << details;
}

TEST_F(StoreTest, SecondLockOnTheSameStoreIsRefused) {
  RunLock first(m_dir.file("s.db"));

  EXPECT_THROW(RunLock second(m_dir.file("s.db")), LockedError);
}

TEST_F(StoreTest, LockIsFreeAgainAfterRelease) {
  { RunLock first(m_dir.file("s.db")); }

  EXPECT_NO_THROW(RunLock again(m_dir.file("s.db")));
}

} // namespace
} // namespace m2s
