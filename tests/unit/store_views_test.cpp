// The operator views of schema/002_operator_views.sql, and a Store over an
// in-memory copy (what `sync --dry-run` runs the engine against).

#include "misp2sentinel/store/migrations.hpp"
#include "misp2sentinel/store/store.hpp"
#include "temp_dir.hpp"

#include <SQLiteCpp/Backup.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <string>

namespace m2s {
namespace {

class StoreViewsTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_store = std::make_unique<Store>(m_dir.file("s.db"));
    Store& s = *m_store;

    EventRow event;
    event.event_uuid = "event-1";
    event.info = "Phishing wave";
    event.published = true;
    s.upsert_event(event);

    AttributeRow kept;
    kept.attribute_uuid = "attr-1";
    kept.event_uuid = "event-1";
    kept.misp_type = "ip-dst";
    kept.value = "203.0.113.7";
    kept.to_ids = true;
    kept.content_hash = "h1";
    s.upsert_attribute(kept);

    AttributeRow skipped = kept;
    skipped.attribute_uuid = "attr-2";
    skipped.value = "198.51.100.1";
    skipped.to_ids = false;
    skipped.skip_reason = "to_ids is false";
    s.upsert_attribute(skipped);

    AttributeRow other = skipped;
    other.attribute_uuid = "attr-3";
    other.misp_type = "comment";
    other.skip_reason = "unsupported type";
    s.upsert_attribute(other);
    AttributeRow other2 = other;
    other2.attribute_uuid = "attr-4";
    s.upsert_attribute(other2);
  }

  IndicatorRow indicator(const std::string& id, const std::string& attr) {
    IndicatorRow row;
    row.indicator_id = id;
    row.attribute_uuid = attr;
    row.event_uuid = "event-1";
    row.misp_type = "ip-dst";
    row.observable_type = "ipv4-addr";
    row.value = "203.0.113.7";
    row.pattern = "[ipv4-addr:value = '203.0.113.7']";
    row.content_hash = "h1";
    row.created = "2026-01-01T00:00:00.000Z";
    row.modified = "2026-01-01T00:00:00.000Z";
    row.valid_from = "2026-01-01T00:00:00.000Z";
    row.valid_until = "2099-01-01T00:00:00.000Z";
    return row;
  }

  void add(const IndicatorRow& row) {
    m_keys[row.indicator_id] = m_store->upsert_indicator(row);
  }

  void send(const std::string& id, const std::string& sent_at) {
    OutboxItem item;
    item.indicator_key = m_keys.at(id);
    item.indicator_id = id;
    item.stix_object = R"({"id":")" + id + R"("})";
    item.content_hash = "h1";
    m_store->enqueue(item);
    m_store->mark_accepted(m_store->outbox_batch(1).at(0), sent_at);
  }

  std::string text(const std::string& sql) {
    return m_store->database().execAndGet(sql).getString();
  }

  std::int64_t number(const std::string& sql) {
    return m_store->database().execAndGet(sql).getInt64();
  }

  testing::TempDir m_dir;
  std::unique_ptr<Store> m_store;
  std::map<std::string, std::int64_t> m_keys;
};

TEST_F(StoreViewsTest, AttributeStatusExplainsASkippedValue) {
  EXPECT_EQ(text("SELECT skip_reason FROM attribute_status "
                 "WHERE value = '198.51.100.1'"),
            "to_ids is false");
  EXPECT_EQ(number("SELECT state IS NULL FROM attribute_status "
                   "WHERE value = '198.51.100.1'"),
            1);
  EXPECT_EQ(text("SELECT event_info FROM attribute_status "
                 "WHERE value = '198.51.100.1'"),
            "Phishing wave");
}

TEST_F(StoreViewsTest, AttributeStatusShowsQueuedAndSentIndicators) {
  add(indicator("indicator--1", "attr-1"));
  OutboxItem item;
  item.indicator_key = m_keys.at("indicator--1");
  item.indicator_id = "indicator--1";
  item.stix_object = R"({"id":"indicator--1"})";
  item.content_hash = "h1";
  m_store->enqueue(item);
  m_store->mark_attempt_failed(m_store->outbox_batch(1), "Sentinel 503");

  EXPECT_EQ(text("SELECT state || ' ' || queued_action || ' ' || "
                 "queued_error FROM attribute_status "
                 "WHERE value = '203.0.113.7'"),
            "pending upload Sentinel 503");

  m_store->mark_accepted(m_store->outbox_batch(1).at(0),
                         "2026-01-02T00:00:00.000Z");
  EXPECT_EQ(text("SELECT state || ' ' || sent_at FROM attribute_status "
                 "WHERE value = '203.0.113.7' AND queued_action IS NULL"),
            "active 2026-01-02T00:00:00.000Z");
}

TEST_F(StoreViewsTest, SkipReasonsCountsAttributesMostFirst) {
  EXPECT_EQ(number("SELECT count(*) FROM skip_reasons"), 2);
  EXPECT_EQ(text("SELECT reason FROM skip_reasons LIMIT 1"),
            "unsupported type");
  EXPECT_EQ(number("SELECT attributes FROM skip_reasons LIMIT 1"), 2);
}

TEST_F(StoreViewsTest, SentByRunTiesEachIndicatorToTheRunThatSentIt) {
  add(indicator("indicator--1", "attr-1"));
  add(indicator("indicator--2", "attr-2"));
  const std::int64_t first = m_store->begin_run("delta", 0);
  send("indicator--1", "2000-01-01T00:00:00.000Z"); // before any run
  send("indicator--2", "2999-01-01T00:00:00.000Z"); // run still going
  m_store->finish_run(first, RunCounts{}, RunOutcome::ok, 0, "");
  m_store->database().exec(
      "UPDATE runs SET finished_at = '2999-12-31T00:00:00.000Z'");

  EXPECT_EQ(number("SELECT count(*) FROM sent_by_run"), 1);
  EXPECT_EQ(text("SELECT indicator_id FROM sent_by_run"), "indicator--2");
  EXPECT_EQ(number("SELECT run_id FROM sent_by_run"), first);
}

TEST_F(StoreViewsTest, ExpiringListsActiveIndicatorsSoonestFirst) {
  IndicatorRow soon = indicator("indicator--1", "attr-1");
  soon.valid_until = "2000-01-11T00:00:00.000Z";
  add(soon);
  add(indicator("indicator--2", "attr-2"));
  add(indicator("indicator--3", "attr-3"));
  send("indicator--1", "2026-01-01T00:00:00.000Z");
  send("indicator--2", "2026-01-01T00:00:00.000Z");

  EXPECT_EQ(number("SELECT count(*) FROM expiring"), 2); // not the pending
  EXPECT_EQ(text("SELECT indicator_id FROM expiring LIMIT 1"), "indicator--1");
  EXPECT_LT(m_store->database()
                .execAndGet("SELECT days_left FROM expiring LIMIT 1")
                .getDouble(),
            0.0);
}

// An indicator whose new version waits in the outbox (or was refused) is
// still live in Sentinel: the version Sentinel accepted before stays. The
// views count what Sentinel holds, so a Sentinel outage during a resend
// does not show as a drop to zero.
TEST_F(StoreViewsTest, ActiveCountsWhatSentinelHoldsWhateverIsQueued) {
  add(indicator("indicator--live", "attr-1"));
  send("indicator--live", "2026-01-02T00:00:00.000Z");
  add(indicator("indicator--requeued", "attr-5"));
  send("indicator--requeued", "2026-01-02T00:00:00.000Z");
  add(indicator("indicator--refused", "attr-6"));
  send("indicator--refused", "2026-01-02T00:00:00.000Z");
  add(indicator("indicator--never-sent", "attr-7"));
  add(indicator("indicator--revoked", "attr-8"));
  send("indicator--revoked", "2026-01-02T00:00:00.000Z");
  Store& s = *m_store;
  s.database().exec("UPDATE indicators SET sent_hash = 'revoked', "
                    "state = 'revoked' "
                    "WHERE indicator_id = 'indicator--revoked'");
  OutboxItem again;
  again.indicator_key = m_keys.at("indicator--requeued");
  again.indicator_id = "indicator--requeued";
  again.stix_object = R"({"id":"indicator--requeued"})";
  again.content_hash = "h2";
  s.enqueue(again);
  s.database().exec("UPDATE indicators SET state = 'pending' "
                    "WHERE indicator_id = 'indicator--requeued'");
  s.database().exec("UPDATE indicators SET state = 'rejected' "
                    "WHERE indicator_id = 'indicator--refused'");

  EXPECT_EQ(number("SELECT active FROM active_by_type "
                   "WHERE observable_type = 'ipv4-addr'"),
            3);
  EXPECT_EQ(number("SELECT active FROM event_summary "
                   "WHERE event_uuid = 'event-1'"),
            3);
  EXPECT_EQ(number("SELECT count(*) FROM indicators WHERE state = 'active'"),
            1);
}

TEST_F(StoreViewsTest, SyncPositionShowsTheCursorAsUtcTime) {
  m_store->set_cursor({"publish_timestamp", 1700000000});

  EXPECT_EQ(text("SELECT position FROM sync_position"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(text("SELECT field FROM sync_position"), "publish_timestamp");
}

TEST(StoreCopy, EmptyInMemoryDatabaseGetsTheWholeSchema) {
  Store store(SQLite::Database(":memory:", SQLite::OPEN_READWRITE),
              "in-memory");

  EXPECT_EQ(store.database().execAndGet("PRAGMA user_version").getInt(),
            embedded_migrations().back().version);
  EXPECT_EQ(store.path(), "in-memory");
  EXPECT_EQ(store.outbox_size(), 0);
}

TEST(StoreCopy, ChangesToACopyLeaveTheOriginalAlone) {
  testing::TempDir dir;
  {
    Store original(dir.file("s.db"));
    original.set_cursor({"timestamp", 42});
  }

  SQLite::Database memory(":memory:", SQLite::OPEN_READWRITE);
  {
    SQLite::Database source(dir.file("s.db"), SQLite::OPEN_READONLY);
    SQLite::Backup backup(memory, source);
    ASSERT_EQ(backup.executeStep(), SQLITE_DONE);
  }
  Store copy(std::move(memory), "copy");
  copy.set_cursor({"timestamp", 99});

  EXPECT_EQ(copy.cursor()->position_epoch, 99);
  Store original(dir.file("s.db"));
  EXPECT_EQ(original.cursor()->position_epoch, 42);
}

} // namespace
} // namespace m2s
