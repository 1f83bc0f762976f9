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

  // Stores the indicator `id` and returns its key.
  std::int64_t stored(Store& store, const std::string& id) {
    IndicatorRow row = indicator(id);
    return store.upsert_indicator(row);
  }

  OutboxItem
  queued(std::int64_t key, const std::string& id, OutboxAction action) {
    OutboxItem item;
    item.indicator_key = key;
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
  const std::int64_t key = stored(store, "indicator--1");
  store.enqueue(queued(key, "indicator--1", OutboxAction::upload));

  const auto batch = store.outbox_batch(10);
  ASSERT_EQ(batch.size(), 1u);
  store.mark_accepted(batch[0], "2026-01-02T00:00:00.000Z");

  EXPECT_EQ(store.outbox_size(), 0);
  EXPECT_EQ(count(store,
                  "SELECT count(*) FROM indicators WHERE "
                  "state='active' AND sent_hash='hash-1'"),
            1);
}

TEST_F(StoreTest, AcceptedRevocationBecomesRevoked) {
  Store store(m_dir.file("s.db"));
  const std::int64_t key = stored(store, "indicator--1");
  store.enqueue(queued(key, "indicator--1", OutboxAction::revoke));

  store.mark_accepted(store.outbox_batch(10).at(0), "now");

  EXPECT_EQ(count(store,
                  "SELECT count(*) FROM indicators WHERE "
                  "state='revoked'"),
            1);
}

TEST_F(StoreTest, RejectionKeepsTheMessage) {
  Store store(m_dir.file("s.db"));
  const std::int64_t key = stored(store, "indicator--1");
  store.enqueue(queued(key, "indicator--1", OutboxAction::upload));

  store.mark_rejected(store.outbox_batch(10).at(0), "bad pattern");

  EXPECT_EQ(store.outbox_size(), 0);
  EXPECT_EQ(
      store.database().execAndGet("SELECT rejection FROM rejected").getString(),
      "bad pattern");
}

TEST_F(StoreTest, NewerVersionReplacesTheQueuedOne) {
  Store store(m_dir.file("s.db"));
  const std::int64_t key = stored(store, "indicator--1");
  store.enqueue(queued(key, "indicator--1", OutboxAction::upload));
  OutboxItem newer = queued(key, "indicator--1", OutboxAction::upload);
  newer.stix_object = R"({"id":"indicator--1","modified":"y"})";

  store.enqueue(newer);

  const auto batch = store.outbox_batch(10);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].stix_object, newer.stix_object);
  EXPECT_EQ(batch[0].indicator_key, key);
}

// Sentinel's verdict on a version that a newer one replaced while it was
// on the way: the newer one stays queued, to be judged on its own.
TEST_F(StoreTest, VerdictOnAReplacedVersionLeavesTheNewerQueued) {
  Store store(m_dir.file("s.db"));
  const std::int64_t key = stored(store, "indicator--1");
  store.enqueue(queued(key, "indicator--1", OutboxAction::upload));
  const auto sent = store.outbox_batch(10);
  OutboxItem newer = queued(key, "indicator--1", OutboxAction::upload);
  newer.stix_object = R"({"id":"indicator--1","modified":"y"})";
  newer.content_hash = "hash-2";
  store.enqueue(newer);

  store.mark_accepted(sent.at(0), "2026-01-02T00:00:00.000Z");
  store.mark_rejected(sent.at(0), "too late");

  const auto left = store.outbox_batch(10);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].stix_object, newer.stix_object);
  EXPECT_GT(left[0].seq, sent[0].seq);
  EXPECT_EQ(count(store,
                  "SELECT count(*) FROM indicators WHERE "
                  "state = 'pending' AND sent_hash = 'hash-1' AND "
                  "rejection IS NULL"),
            1);
}

TEST_F(StoreTest, FailedAttemptStaysQueuedWithTheError) {
  Store store(m_dir.file("s.db"));
  const std::int64_t key = stored(store, "indicator--1");
  store.enqueue(queued(key, "indicator--1", OutboxAction::upload));

  store.mark_attempt_failed(store.outbox_batch(10), "Sentinel 503");

  EXPECT_EQ(count(store, "SELECT attempts FROM outbox"), 1);
  EXPECT_EQ(
      store.database().execAndGet("SELECT last_error FROM pending").getString(),
      "Sentinel 503");
}

TEST_F(StoreTest, RunsLeftRunningAreMarkedInterrupted) {
  Store store(m_dir.file("s.db"));
  (void)store.begin_run("delta", 0);

  EXPECT_EQ(store.close_interrupted_runs(), 1);
  EXPECT_EQ(count(store,
                  "SELECT count(*) FROM runs WHERE "
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
  // active indicators by valid_until rather than reading every row.
  SQLite::Statement plan(store.database(),
                         "EXPLAIN QUERY PLAN SELECT event_uuid "
                         "FROM indicators WHERE state = 'active' AND "
                         "valid_until < ?1");
  plan.bind(1, "2026-03-01T00:00:00.000Z");
  std::string details;
  while (plan.executeStep()) {
    details += plan.getColumn(3).getString() + "\n";
  }
  EXPECT_NE(details.find("USING INDEX indicators_by_expiry (valid_until<?)"),
            std::string::npos)
      << details;
}

// Every indicator a run has not met in its event is looked up by attribute
// uuid in all events (an attribute that moved). Read row by row, that made
// a first sync of 100,000 attributes take 190 s instead of 6.
TEST_F(StoreTest, LineageLookupFindsTheNewestGenerationThroughItsIndex) {
  Store store(m_dir.file("s.db"));
  IndicatorRow first = indicator("indicator--1");
  first.attribute_uuid = "5a611861-5388-4287-834c-04da0a016219";
  first.state = IndicatorState::revoked;
  store.upsert_indicator(first);
  IndicatorRow second = first;
  second.indicator_id = "indicator--2";
  second.generation = 1;
  second.state = IndicatorState::active;
  const std::int64_t second_key = store.upsert_indicator(second);
  IndicatorRow other = indicator("indicator--3");
  other.attribute_uuid = "5a611861-0000-4287-834c-04da0a016219";
  store.upsert_indicator(other);

  const auto found = store.latest_indicator(first.attribute_uuid, "");

  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->key, second_key);
  EXPECT_EQ(found->generation, 1);
  EXPECT_FALSE(store.latest_indicator(first.attribute_uuid, "ip"));
  // The same query as Store::latest_indicator.
  SQLite::Statement plan(store.database(),
                         "EXPLAIN QUERY PLAN SELECT indicator_key FROM "
                         "indicators WHERE substr(attribute_uuid, 1, 8) = "
                         "substr(?1, 1, 8) AND +attribute_uuid = ?1 AND "
                         "component = ?2");
  std::string details;
  while (plan.executeStep()) {
    details += plan.getColumn(3).getString() + "\n";
  }
  EXPECT_NE(details.find("USING INDEX indicators_by_attribute"),
            std::string::npos)
      << details;
}

// A changed event is diffed on the heads of its indicators; the whole row
// is read by key only for one that changed.
TEST_F(StoreTest, HeadsOfAnEventAndOneRowByKey) {
  Store store(m_dir.file("s.db"));
  IndicatorRow row = indicator("indicator--1");
  row.event_uuid = "event-1";
  row.component = "ip";
  row.content_hash = "hash-1";
  row.valid_until = "2027-01-01T00:00:00.000Z";
  row.state = IndicatorState::active;
  const std::int64_t key = store.upsert_indicator(row);
  IndicatorRow elsewhere = indicator("indicator--2");
  elsewhere.attribute_uuid = "attr-2";
  elsewhere.event_uuid = "event-2";
  store.upsert_indicator(elsewhere);

  const std::vector<IndicatorHead> heads =
      store.indicator_heads_for_event("event-1");

  ASSERT_EQ(heads.size(), 1U);
  EXPECT_EQ(heads[0].key, key);
  EXPECT_EQ(heads[0].attribute_uuid, row.attribute_uuid);
  EXPECT_EQ(heads[0].component, "ip");
  EXPECT_EQ(heads[0].state, IndicatorState::active);
  EXPECT_EQ(heads[0].content_hash, "hash-1");
  EXPECT_EQ(heads[0].valid_until, "2027-01-01T00:00:00.000Z");
  const IndicatorRow read = store.indicator(key);
  EXPECT_EQ(read.indicator_id, "indicator--1");
  EXPECT_EQ(read.event_uuid, "event-1");
  try {
    (void)store.indicator(key + 100);
    FAIL() << "a missing key must throw";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("s.db"), std::string::npos)
        << e.what();
  }
}

TEST_F(StoreTest, EventOutcomeIsKeptUntilForgotten) {
  Store store(m_dir.file("s.db"));
  EventRow event;
  event.event_uuid = "event-1";
  event.info = "Phishing wave";
  store.upsert_event(event);
  EXPECT_FALSE(store.event_outcome("event-1"));

  EventOutcome outcome;
  outcome.input_hash = "h1";
  outcome.indicator_count = 3;
  outcome.indicator_rows = 4;
  outcome.skips_by_reason = {{"to_ids is false", 2}, {"deleted", 1}};
  store.set_event_outcome("event-1", outcome);

  const auto read = store.event_outcome("event-1");
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->input_hash, "h1");
  EXPECT_EQ(read->indicator_count, 3);
  EXPECT_EQ(read->indicator_rows, 4);
  EXPECT_EQ(read->skips_by_reason, outcome.skips_by_reason);
  EXPECT_EQ(
      store.database().execAndGet("SELECT skip_counts FROM events").getString(),
      R"({"deleted":1,"to_ids is false":2})");

  store.forget_event_outcome("event-1");
  EXPECT_FALSE(store.event_outcome("event-1"));
}

TEST_F(StoreTest, HandEditedSkipCountsAreNotTrusted) {
  Store store(m_dir.file("s.db"));
  EventRow event;
  event.event_uuid = "event-1";
  store.upsert_event(event);
  store.set_event_outcome("event-1", EventOutcome{"h1", 0, 0, {}});

  for (const char* text : {"not json", "[1]", R"({"x":"y"})", R"({"x":-1})"}) {
    SQLite::Statement edit(store.database(),
                           "UPDATE events SET skip_counts = ?1");
    edit.bind(1, text);
    edit.exec();

    EXPECT_FALSE(store.event_outcome("event-1")) << text;
  }
}

TEST_F(StoreTest, IndicatorRowsCountsEveryStateOfTheEvent) {
  Store store(m_dir.file("s.db"));
  stored(store, "indicator--1");
  stored(store, "indicator--2");
  IndicatorRow revoked = indicator("indicator--3");
  revoked.state = IndicatorState::revoked;
  store.upsert_indicator(revoked);

  EXPECT_EQ(store.indicator_rows("event-1"), 3);
  EXPECT_EQ(store.indicator_rows("event-2"), 0);
}

// A store written by the release before the layout of schema 5 keeps
// every row, and its outbox still points at the right indicators.
TEST_F(StoreTest, VersionFourStoreKeepsItsRowsInTheNewLayout) {
  {
    SQLite::Database db(m_dir.file("s.db"),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    std::vector<Migration> older;
    for (const Migration& m : embedded_migrations()) {
      if (m.version <= 4) {
        older.push_back(m);
      }
    }
    migrate(db, older);
    db.exec(R"(
      INSERT INTO events VALUES ('event-1', '7', 'Phishing wave', 'CIRCL', 1,
        100, 100, 2, 't', 't');
      INSERT INTO attributes VALUES ('attr-1', 'event-1', 'ip-dst',
        'Network activity', '203.0.113.7', 1, 0, NULL, 90, 'indicator',
        NULL, 'ah1', 't');
      INSERT INTO attributes VALUES ('attr-2', 'event-1', 'ip-dst',
        'Network activity', '203.0.113.8', 1, 0, NULL, 90, 'indicator',
        NULL, 'ah2', 't');
      INSERT INTO indicators VALUES ('indicator--attr-1', 'attr-1', '', 0,
        'event-1', 'ip-dst', 'ipv4-addr', '203.0.113.7',
        '[ipv4-addr:value = ''203.0.113.7'']', 'h1', 'active', 'c', 'm',
        'f', 'u', 'h1', 's', NULL, 't', 't');
      INSERT INTO indicators VALUES ('indicator--attr-2', 'attr-2', '', 0,
        'event-1', 'ip-dst', 'ipv4-addr', '203.0.113.8',
        '[ipv4-addr:value = ''203.0.113.8'']', 'h2', 'pending', 'c', 'm',
        'f', 'u', NULL, NULL, NULL, 't', 't');
      INSERT INTO outbox VALUES (7, 'indicator--attr-2', 'upload',
        '{"id":"indicator--attr-2"}', 'h2', 'q', 1, 'Sentinel 503');
    )");
  }

  Store store(m_dir.file("s.db"));

  EXPECT_EQ(count(store, "PRAGMA user_version"),
            embedded_migrations().back().version);
  EXPECT_EQ(count(store, "SELECT count(*) FROM attributes"), 2);
  EXPECT_EQ(count(store, "SELECT count(*) FROM indicators"), 2);
  EXPECT_EQ(store.database()
                .execAndGet("SELECT indicator_id || ' ' || last_error "
                            "FROM pending WHERE seq = 7")
                .getString(),
            "indicator--attr-2 Sentinel 503");
  EXPECT_EQ(store.database()
                .execAndGet("SELECT queued_action FROM attribute_status "
                            "WHERE value = '203.0.113.8'")
                .getString(),
            "upload");
  ASSERT_TRUE(store.latest_indicator("attr-1", ""));
  EXPECT_FALSE(store.event_outcome("event-1"));

  const auto batch = store.outbox_batch(10);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch[0].seq, 7);
  store.mark_accepted(batch[0], "2026-01-02T00:00:00.000Z");
  EXPECT_EQ(count(store,
                  "SELECT count(*) FROM indicators WHERE "
                  "state = 'active'"),
            2);
  // The migrated indicators take new versions as before.
  store.enqueue(queued(
      batch[0].indicator_key, "indicator--attr-2", OutboxAction::refresh));
  EXPECT_EQ(store.outbox_batch(1).at(0).indicator_key, batch[0].indicator_key);
}

// Writing a row must not build a temporary table: SQLite makes one for a
// CHECK (x IN (...)) on every row, which took a sixth of a first sync.
TEST_F(StoreTest, RowWritesBuildNoTemporaryTable) {
  Store store(m_dir.file("s.db"));
  const std::vector<std::string> writes = {
      "INSERT INTO indicators (indicator_id, attribute_uuid, component, "
      "generation, event_uuid, misp_type, observable_type, value, pattern, "
      "content_hash, state, created, modified, valid_from, first_seen_at, "
      "updated_at) VALUES (?, ?, '', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      "UPDATE indicators SET state = ?1 WHERE indicator_key = ?2",
      "INSERT INTO outbox (indicator_key, indicator_id, action, stix_object, "
      "content_hash, queued_at) VALUES (?, ?, ?, ?, ?, ?)",
      "UPDATE outbox SET action = ?1 WHERE seq = ?2",
      "INSERT INTO attributes (event_uuid, attribute_uuid, misp_type, value, "
      "to_ids, deleted, timestamp_epoch, outcome, content_hash, "
      "last_read_at) VALUES (?, ?, ?, ?, 1, 0, 0, ?, ?, ?)",
  };

  for (const std::string& sql : writes) {
    SQLite::Statement explain(store.database(), "EXPLAIN " + sql);
    while (explain.executeStep()) {
      EXPECT_NE(explain.getColumn(1).getString(), "OpenEphemeral") << sql;
    }
  }
}

TEST_F(StoreTest, NewStoreUsesLargePages) {
  Store store(m_dir.file("s.db"));

  EXPECT_EQ(count(store, "PRAGMA page_size"), 16384);
}

TEST_F(StoreTest, SecondLockOnTheSameStoreIsRefused) {
  RunLock first(m_dir.file("s.db"));

  EXPECT_THROW(RunLock second(m_dir.file("s.db")), LockedError);
}

// A store reached through a symlink, or by another spelling of its path,
// is the same store: the lock is taken on the file the path resolves to.
TEST_F(StoreTest, LockThroughASymlinkIsTheSameLock) {
  { Store store(m_dir.file("s.db")); }
  std::filesystem::create_symlink(m_dir.file("s.db"), m_dir.file("alias.db"));
  RunLock first(m_dir.file("s.db"));

  EXPECT_THROW(RunLock second(m_dir.file("alias.db")), LockedError);
  EXPECT_THROW(RunLock third(m_dir.path().string() + "/./s.db"), LockedError);
}

TEST_F(StoreTest, LockIsFreeAgainAfterRelease) {
  { RunLock first(m_dir.file("s.db")); }

  EXPECT_NO_THROW(RunLock again(m_dir.file("s.db")));
}

} // namespace
} // namespace m2s
