#include "misp2sentinel/sync/sync_engine.hpp"

#include "misp2sentinel/misp/event.hpp"
#include "misp2sentinel/sentinel/uploader.hpp"
#include "misp2sentinel/util/hash.hpp"
#include "misp2sentinel/util/termination.hpp"
#include "temp_dir.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace m2s {
namespace {

// MISP as a list of events, filtered and paged like restSearch.
class FakeMisp final : public EventSource {
public:
  std::vector<MispEvent> events;
  std::vector<std::int64_t> since_asked;
  std::vector<Query> queries;
  std::string required_tag; // as MISP's server-side tag filter
  int index_calls = 0;
  bool fail = false;
  // Events (by uuid) that MISP sends but that cannot be read, with the
  // parser's message.
  std::map<std::string, std::string> unreadable;
  bool unreadable_without_uuid = false; // as when the uuid is missing
  bool answer_nothing = false;          // every page comes back empty
  // As [misp.filters] published: searches give published events only.
  bool published_only = true;
  // Events a search without uuids leaves out (a wrong answer), and events
  // every search leaves out (listed, but not given to this key).
  std::set<std::string> left_out_of_searches;
  std::set<std::string> never_given;
  // Events the index leaves out although MISP has them.
  std::set<std::string> left_out_of_index;
  // Called with each query before it is answered.
  std::function<void(const Query&)> on_fetch;

  Page fetch(const Query& query) override {
    queries.push_back(query);
    if (on_fetch) {
      on_fetch(query);
    }
    if (query.event_uuids.empty()) {
      since_asked.push_back(query.since);
    }
    if (fail) {
      throw MispError("MISP /events/restSearch: fake outage");
    }
    std::vector<MispEvent> matching;
    for (const MispEvent& e : events) {
      const std::int64_t t = query.field == "publish_timestamp"
                                 ? e.publish_timestamp
                                 : e.timestamp;
      const bool wanted = query.event_uuids.empty()
                              ? t >= query.since
                              : std::count(query.event_uuids.begin(),
                                           query.event_uuids.end(),
                                           e.uuid)
                                    > 0;
      if (never_given.count(e.uuid) != 0
          || (query.event_uuids.empty()
              && left_out_of_searches.count(e.uuid) != 0)) {
        continue;
      }
      bool tagged = required_tag.empty() || !query.tags_on_server;
      for (const MispTag& tag : e.tags) {
        tagged = tagged || tag.name == required_tag;
      }
      if (wanted && tagged && (e.published || !published_only)) {
        matching.push_back(e);
      }
    }
    const int page = query.page;
    const int limit = query.limit;
    Page result;
    const auto first = static_cast<std::size_t>((page - 1) * limit);
    for (std::size_t i = first;
         i < matching.size() && i < first + static_cast<std::size_t>(limit);
         ++i) {
      const auto bad = unreadable.find(matching[i].uuid);
      if (answer_nothing) {
        continue;
      }
      if (bad != unreadable.end()) {
        result.unreadable.push_back({i - first,
                                     unreadable_without_uuid ? "" : bad->first,
                                     bad->second});
      } else {
        result.events.push_back(matching[i]);
      }
    }
    result.events_in_answer = result.events.size() + result.unreadable.size();
    return result;
  }

  std::vector<IndexEntry> index() override {
    ++index_calls;
    std::vector<IndexEntry> entries;
    for (const MispEvent& e : events) {
      if (left_out_of_index.count(e.uuid) == 0) {
        entries.push_back(IndexEntry{e.uuid, e.published});
      }
    }
    return entries;
  }
};

// Sentinel as a map of id -> newest object; can reject or fail.
class FakeSentinel final : public IndicatorSink {
public:
  std::map<std::string, boost::json::object> held;
  std::vector<std::size_t> batch_sizes;
  std::string reject_value; // objects whose pattern contains it
  // Every record refused alike, as the uploader reports a request Sentinel
  // refuses whatever it holds (a wrong api_version).
  std::string refuse_wholesale;
  bool fail = false;
  // As a signal during a rate-limit wait: the limiter stops the batch.
  bool signalled_while_waiting = false;

  BatchOutcome upload(const std::vector<OutboxItem>& batch) override {
    if (fail) {
      throw SentinelError("Sentinel: fake outage");
    }
    if (signalled_while_waiting) {
      request_termination(SIGTERM);
      throw SentinelError("stopped by SIGTERM while waiting for Sentinel's "
                          "rate limit; the batch was not sent");
    }
    batch_sizes.push_back(batch.size());
    std::vector<boost::json::object> objects;
    for (const OutboxItem& item : batch) {
      objects.push_back(boost::json::parse(item.stix_object).as_object());
    }
    BatchOutcome outcome;
    outcome.requests = 1;
    if (!refuse_wholesale.empty()) {
      for (std::size_t i = 0; i < objects.size(); ++i) {
        outcome.rejected.push_back({i, refuse_wholesale});
      }
      outcome.refused_wholesale = refuse_wholesale;
      return outcome;
    }
    for (std::size_t i = 0; i < objects.size(); ++i) {
      const std::string pattern(objects[i].at("pattern").as_string());
      if (!reject_value.empty()
          && pattern.find(reject_value) != std::string::npos) {
        outcome.rejected.push_back({i, "Error for Property=pattern: bad"});
        continue;
      }
      held[std::string(objects[i].at("id").as_string())] = objects[i];
    }
    return outcome;
  }
};

MispAttribute attribute(const std::string& uuid,
                        const std::string& type,
                        const std::string& value) {
  MispAttribute a;
  a.uuid = uuid;
  a.type = type;
  a.category = "Network activity";
  a.value = value;
  a.to_ids = true;
  a.timestamp = 1700000000;
  return a;
}

MispEvent event(const std::string& uuid, std::int64_t timestamp) {
  MispEvent e;
  e.uuid = uuid;
  e.info = "Test event " + uuid.substr(0, 4);
  e.published = true;
  e.timestamp = timestamp;
  e.publish_timestamp = timestamp;
  return e;
}

const std::string k_event1 = "11111111-1111-4111-8111-111111111111";
const std::string k_event2 = "22222222-2222-4222-8222-222222222222";
const std::string k_ip = "aaaaaaaa-0000-4000-8000-000000000001";
const std::string k_domain = "aaaaaaaa-0000-4000-8000-000000000002";
const std::string k_pair = "aaaaaaaa-0000-4000-8000-000000000003";

class SyncEngineTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_config.state.path = m_dir.file("store.db");
    m_config.sentinel.batch_size = 2;
    m_config.misp.page_size = 1;

    MispEvent e1 = event(k_event1, 1700000100);
    e1.attributes.push_back(attribute(k_ip, "ip-dst", "203.0.113.7"));
    e1.attributes.push_back(attribute(k_domain, "domain", "evil.example"));
    MispEvent e2 = event(k_event2, 1700000200);
    e2.attributes.push_back(
        attribute(k_pair, "domain|ip", "bad.example|198.51.100.9"));
    m_misp.events = {e1, e2};
  }

  SyncSummary sync(bool full = false, bool resend = false) {
    Store store(m_config.state.path);
    SyncEngine engine(m_config, store, m_misp, m_sentinel, [this] {
      return m_now_ms += 1000;
    });
    return engine.run(SyncOptions{full, resend});
  }

  SyncSummary revoke(const std::vector<std::string>& events, bool all) {
    Store store(m_config.state.path);
    SyncEngine engine(m_config, store, m_misp, m_sentinel, [this] {
      return m_now_ms += 1000;
    });
    return engine.revoke(events, all);
  }

  bool revoked_in_sentinel(const std::string& id) {
    const auto it = m_sentinel.held.find(id);
    return it != m_sentinel.held.end() && it->second.contains("revoked")
           && it->second.at("revoked").as_bool();
  }

  std::string valid_until(const std::string& id) {
    return std::string(m_sentinel.held.at(id).at("valid_until").as_string());
  }

  std::int64_t count(const std::string& sql) {
    SQLite::Database db(m_config.state.path);
    return db.execAndGet(sql).getInt64();
  }

  // Change the store between runs, as an operator with sqlite3 would.
  void execute(const std::string& sql) {
    SQLite::Database db(m_config.state.path, SQLite::OPEN_READWRITE);
    db.exec(sql);
  }

  testing::TempDir m_dir;
  Config m_config;
  FakeMisp m_misp;
  FakeSentinel m_sentinel;
  std::int64_t m_now_ms = 1764000000000;
};

TEST_F(SyncEngineTest, FirstRunSendsEveryIndicatorOnce) {
  const SyncSummary s = sync();

  EXPECT_EQ(s.exit_code, ExitCode::ok);
  EXPECT_EQ(s.counts.events_read, 2);
  EXPECT_EQ(s.counts.indicators_new, 4); // ip, domain, domain|ip x2
  EXPECT_EQ(s.counts.objects_sent, 4);
  EXPECT_EQ(m_sentinel.held.size(), 4u);
  EXPECT_EQ(m_sentinel.batch_sizes, (std::vector<std::size_t>{2, 2}));
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state='active'"), 4);
  EXPECT_EQ(count("SELECT count(*) FROM outbox"), 0);
  EXPECT_EQ(count("SELECT position_epoch FROM sync_cursor"), 1700000200);
  EXPECT_EQ(m_sentinel.held.count("indicator--" + k_ip), 1u);
}

TEST_F(SyncEngineTest, SecondRunSendsNothing) {
  (void)sync();
  m_sentinel.batch_sizes.clear();

  const SyncSummary s = sync();

  EXPECT_EQ(s.exit_code, ExitCode::ok);
  EXPECT_EQ(s.counts.indicators_new, 0);
  EXPECT_EQ(s.counts.indicators_changed, 0);
  EXPECT_EQ(s.counts.objects_sent, 0);
  EXPECT_TRUE(m_sentinel.batch_sizes.empty());
  // The delta asks from the cursor minus the lookback.
  EXPECT_EQ(m_misp.since_asked.back(), 1700000200 - 3600);
}

// An event read again with the same input is not converted again: the
// counts of its last read are repeated, so that a run reports the same
// whether it converted or not.
TEST_F(SyncEngineTest, UnchangedEventsCountAsIfConvertedAgain) {
  MispAttribute no_ids = attribute(
      "aaaaaaaa-0000-4000-8000-000000000009", "ip-dst", "203.0.113.9");
  no_ids.to_ids = false;
  m_misp.events[0].attributes.push_back(no_ids);
  (void)sync();

  const SyncSummary reused = sync(true);
  execute("UPDATE events SET input_hash = NULL");
  const SyncSummary converted = sync(true);

  EXPECT_EQ(reused.counts.events_unchanged, 2);
  EXPECT_EQ(reused.counts.attributes_converted, 0);
  EXPECT_EQ(converted.counts.events_unchanged, 0);
  for (const SyncSummary* s : {&reused, &converted}) {
    EXPECT_EQ(s->counts.events_read, 2);
    EXPECT_EQ(s->counts.attributes_read, 4);
    EXPECT_EQ(s->counts.indicators_unchanged, 4);
    EXPECT_EQ(s->counts.attributes_skipped, 1);
    EXPECT_EQ(s->counts.skips_by_reason,
              (std::map<std::string, std::int64_t>{{"to_ids is false", 1}}));
    EXPECT_EQ(s->counts.objects_sent, 0);
  }
}

TEST_F(SyncEngineTest, ChangedSettingConvertsEveryEventAgain) {
  (void)sync();

  m_config.indicators.default_confidence = 90;
  const SyncSummary s = sync(true);

  EXPECT_EQ(s.counts.events_unchanged, 0);
  EXPECT_EQ(s.counts.indicators_changed, 4);
  EXPECT_EQ(s.counts.objects_sent, 4);
  EXPECT_EQ(m_sentinel.held.at("indicator--" + k_ip).at("confidence"), 90);
}

// Revoked as gone, then back in MISP as it was: its indicators come back
// (with new ids), though the event's input is what it was before.
TEST_F(SyncEngineTest, EventRevokedAsGoneReturnsWhenMispHasItAgain) {
  (void)sync();
  const MispEvent second = m_misp.events[1];
  m_misp.events.pop_back();
  const SyncSummary gone = sync(true);
  ASSERT_EQ(gone.counts.indicators_revoked, 2);

  m_misp.events.push_back(second);
  const SyncSummary back = sync(true);

  EXPECT_EQ(back.counts.events_unchanged, 1); // the first event only
  EXPECT_EQ(back.counts.indicators_new, 2);
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state = 'active' "
                  "AND event_uuid = '"
                  + k_event2 + "' AND generation = 1"),
            2);
}

// A row missing from the store (removed by hand) is no longer what the
// event's last read left: the event is converted and the row made again.
TEST_F(SyncEngineTest, IndicatorRemovedFromTheStoreIsMadeAgain) {
  (void)sync();
  execute("DELETE FROM indicators WHERE attribute_uuid = '" + k_ip + "'");

  const SyncSummary s = sync(true);

  EXPECT_EQ(s.counts.events_unchanged, 1);
  EXPECT_EQ(s.counts.indicators_new, 1);
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state = 'active'"), 4);
}

// An edit of one attribute converts that attribute; the others keep the
// outcome of their last read. That outcome counts exactly as converting
// them again would, whatever it was: skipped, a composite with a bad part,
// an indicator already expired.
TEST_F(SyncEngineTest, UnchangedAttributesOfAnEditedEventCountAsConverted) {
  m_config.indicators.expire_from = ExpireFrom::valid_from;
  m_config.indicators.days_to_expire = 3650;
  MispEvent& e1 = m_misp.events[0];
  MispAttribute no_ids = attribute(
      "aaaaaaaa-0000-4000-8000-000000000009", "ip-dst", "203.0.113.9");
  no_ids.to_ids = false;
  e1.attributes.push_back(no_ids);
  e1.attributes.push_back(attribute("aaaaaaaa-0000-4000-8000-000000000010",
                                    "domain|ip",
                                    "ok.example|not-an-ip"));
  MispAttribute old = attribute(
      "aaaaaaaa-0000-4000-8000-000000000011", "domain", "old.example");
  old.timestamp = 1000000000; // 2001: ten years after is long past
  e1.attributes.push_back(old);
  (void)sync();

  e1.attributes[0].value = "203.0.113.70"; // the edit
  e1.timestamp += 10;
  e1.publish_timestamp += 10;
  const SyncSummary edited = sync(true);
  execute("UPDATE attributes SET content_hash = 'x'");
  execute("UPDATE events SET input_hash = NULL");
  const SyncSummary converted = sync(true);

  // The edited attribute, and the two whose outcome is partial (a bad part,
  // an expired one): those are converted again rather than counted from
  // what the store cannot tell.
  EXPECT_EQ(edited.counts.attributes_converted, 3);
  EXPECT_EQ(converted.counts.attributes_converted, 6);
  EXPECT_EQ(edited.counts.indicators_changed, 1);
  EXPECT_EQ(edited.counts.objects_sent, 1);
  EXPECT_EQ(converted.counts.objects_sent, 0);
  EXPECT_EQ(edited.counts.attributes_read, converted.counts.attributes_read);
  EXPECT_EQ(edited.counts.indicators_changed
                + edited.counts.indicators_unchanged,
            converted.counts.indicators_unchanged);
  EXPECT_EQ(edited.counts.attributes_skipped,
            converted.counts.attributes_skipped);
  EXPECT_EQ(edited.counts.skips_by_reason, converted.counts.skips_by_reason);
  EXPECT_EQ(converted.counts.skips_by_reason,
            (std::map<std::string, std::int64_t>{
                {"expired", 1}, {"invalid value", 1}, {"to_ids is false", 1}}));
}

TEST_F(SyncEngineTest, EditedAttributeSendsExactlyThatIndicator) {
  (void)sync();
  const std::string before_modified(
      m_sentinel.held.at("indicator--" + k_ip).at("modified").as_string());
  const std::string created(
      m_sentinel.held.at("indicator--" + k_ip).at("created").as_string());
  m_sentinel.batch_sizes.clear();

  m_misp.events[0].attributes[0].comment = "now with a comment";
  m_misp.events[0].timestamp = m_misp.events[0].publish_timestamp = 1700000300;
  const SyncSummary s = sync();

  EXPECT_EQ(s.counts.indicators_changed, 1);
  EXPECT_EQ(s.counts.indicators_unchanged, 3);
  EXPECT_EQ(s.counts.objects_sent, 1);
  EXPECT_EQ(m_sentinel.batch_sizes, (std::vector<std::size_t>{1}));
  const auto& now = m_sentinel.held.at("indicator--" + k_ip);
  EXPECT_EQ(std::string(now.at("created").as_string()), created);
  EXPECT_GT(std::string(now.at("modified").as_string()), before_modified);
}

TEST_F(SyncEngineTest, AttributeLosingToIdsIsRevoked) {
  (void)sync();

  m_misp.events[0].attributes[1].to_ids = false;
  const SyncSummary s = sync();

  EXPECT_EQ(s.counts.indicators_revoked, 1);
  const auto& revoked = m_sentinel.held.at("indicator--" + k_domain);
  EXPECT_TRUE(revoked.at("revoked").as_bool());
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state='revoked'"), 1);
}

TEST_F(SyncEngineTest, RevokedAttributeComingBackGetsANewId) {
  (void)sync();
  m_misp.events[0].attributes[1].to_ids = false;
  (void)sync();

  m_misp.events[0].attributes[1].to_ids = true;
  const SyncSummary s = sync();

  EXPECT_EQ(s.counts.indicators_new, 1);
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE attribute_uuid='"
                  + k_domain + "'"),
            2);
  EXPECT_EQ(count("SELECT max(generation) FROM indicators"), 1);
  EXPECT_EQ(m_sentinel.held.size(), 5u);
}

TEST_F(SyncEngineTest, RejectedRecordIsMarkedAndNotRetriedUnchanged) {
  m_sentinel.reject_value = "evil.example";

  const SyncSummary first = sync();
  EXPECT_EQ(first.exit_code, ExitCode::some_rejected);
  EXPECT_EQ(first.counts.objects_rejected, 1);
  EXPECT_EQ(first.counts.objects_sent, 3);
  EXPECT_EQ(count("SELECT count(*) FROM rejected"), 1);

  m_sentinel.batch_sizes.clear();
  const SyncSummary second = sync();
  EXPECT_EQ(second.exit_code, ExitCode::ok);
  EXPECT_TRUE(m_sentinel.batch_sizes.empty());
}

// After a setting made Sentinel refuse good records (a wrong api_version,
// say) and is fixed, --full --resend is the way to send them again.
TEST_F(SyncEngineTest, FullResendRetriesRejectedRecords) {
  m_sentinel.reject_value = "evil.example";
  ASSERT_EQ(sync().counts.objects_rejected, 1);
  m_sentinel.reject_value.clear();

  const SyncSummary resend = sync(true, true);

  EXPECT_EQ(resend.exit_code, ExitCode::ok);
  EXPECT_EQ(m_sentinel.held.count("indicator--" + k_domain), 1u);
  EXPECT_EQ(count("SELECT count(*) FROM rejected"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state='active'"), 4);
}

// A new expiry policy under which an indicator has already expired must
// take it out of Sentinel, not leave the old version matching.
TEST_F(SyncEngineTest, ExpiryChangeThatExpiresAnIndicatorRevokesIt) {
  ASSERT_EQ(sync().counts.objects_sent, 4);
  m_config.indicators.expire_from = ExpireFrom::valid_from;

  const SyncSummary s = sync(true);

  EXPECT_EQ(s.exit_code, ExitCode::ok);
  EXPECT_EQ(s.counts.indicators_revoked, 4);
  EXPECT_TRUE(revoked_in_sentinel("indicator--" + k_ip));
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state='active'"), 0);
}

TEST_F(SyncEngineTest, RejectedRecordIsRetriedWhenItsContentChanges) {
  m_sentinel.reject_value = "evil.example";
  ASSERT_EQ(sync().counts.objects_rejected, 1);

  // The analyst fixes the value in MISP; the event's timestamps move.
  m_misp.events[0].attributes[1].value = "evil2.example";
  m_misp.events[0].attributes[1].timestamp = 1700000300;
  m_misp.events[0].timestamp = 1700000300;
  m_misp.events[0].publish_timestamp = 1700000300;
  m_sentinel.batch_sizes.clear();
  const SyncSummary fixed = sync();

  EXPECT_EQ(fixed.exit_code, ExitCode::ok);
  EXPECT_EQ(fixed.counts.objects_sent, 1);
  EXPECT_EQ(m_sentinel.batch_sizes, (std::vector<std::size_t>{1}));
  EXPECT_EQ(count("SELECT count(*) FROM rejected"), 0);
  EXPECT_EQ(m_sentinel.held.count("indicator--" + k_domain), 1u);
}

TEST_F(SyncEngineTest, SentinelOutageKeepsEverythingPendingForNextRun) {
  m_sentinel.fail = true;

  const SyncSummary failed = sync();
  EXPECT_EQ(failed.exit_code, ExitCode::sentinel_error);
  EXPECT_EQ(failed.pending_left, 4);
  EXPECT_EQ(count("SELECT count(*) FROM outbox"), 4);
  // The first batch was tried and failed; the run stopped there.
  EXPECT_EQ(count("SELECT count(*) FROM outbox WHERE attempts = 1"), 2);
  EXPECT_EQ(count("SELECT outcome = 'failed' FROM runs"), 1);

  m_sentinel.fail = false;
  const SyncSummary resumed = sync();
  EXPECT_EQ(resumed.exit_code, ExitCode::ok);
  EXPECT_EQ(resumed.counts.objects_sent, 4);
  EXPECT_EQ(resumed.pending_left, 0);
  EXPECT_EQ(m_sentinel.held.size(), 4u);
}

TEST_F(SyncEngineTest, MispOutageLeavesCursorAndStoreUntouched) {
  m_misp.fail = true;

  const SyncSummary s = sync();

  EXPECT_EQ(s.exit_code, ExitCode::misp_error);
  EXPECT_EQ(count("SELECT count(*) FROM sync_cursor"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM indicators"), 0);
  EXPECT_NE(s.error.find("fake outage"), std::string::npos);
}

TEST_F(SyncEngineTest, FullRunIgnoresTheCursor) {
  (void)sync();

  (void)sync(true);

  EXPECT_EQ(m_misp.since_asked.back(), 0);
}

TEST_F(SyncEngineTest, EventLosingItsTagInADeltaIsRevoked) {
  m_config.misp.filters.tags = {"share:sentinel"};
  m_misp.required_tag = "share:sentinel";
  for (MispEvent& e : m_misp.events) {
    e.tags.push_back(MispTag{"share:sentinel", false});
  }
  (void)sync();

  m_misp.events[0].tags.clear();
  m_misp.events[0].timestamp = m_misp.events[0].publish_timestamp = 1700000300;
  const SyncSummary s = sync();

  EXPECT_FALSE(m_misp.queries.back().tags_on_server);
  EXPECT_EQ(s.counts.events_removed, 1);
  EXPECT_EQ(s.counts.indicators_revoked, 2);
  EXPECT_TRUE(revoked_in_sentinel("indicator--" + k_ip));
  EXPECT_TRUE(revoked_in_sentinel("indicator--" + k_domain));
  EXPECT_FALSE(revoked_in_sentinel("indicator--" + k_pair));
}

TEST_F(SyncEngineTest, UnreadableEventDoesNotStopTheOthers) {
  m_misp.unreadable[k_event1] = "page 1: event #0: Attribute[0].to_ids: x";

  const SyncSummary s = sync();

  EXPECT_EQ(s.exit_code, ExitCode::misp_error);
  EXPECT_EQ(s.events_unreadable, 1);
  EXPECT_NE(s.error.find("1 event(s) from MISP could not be read"),
            std::string::npos)
      << s.error;
  EXPECT_NE(s.error.find("Attribute[0].to_ids: x"), std::string::npos);
  // The other event went through, and the cursor moved past both.
  EXPECT_EQ(m_sentinel.held.size(), 2u);
  EXPECT_EQ(m_sentinel.held.count("indicator--" + k_pair), 1u);
  EXPECT_EQ(count("SELECT position_epoch FROM sync_cursor"), 1700000200);
  EXPECT_EQ(count("SELECT outcome = 'failed' FROM runs"), 1);
}

TEST_F(SyncEngineTest, UnreadableEventKeepsItsIndicatorsInAFullRun) {
  (void)sync();
  m_misp.unreadable[k_event1] = "page 1: event #0 has no uuid";
  m_misp.events[1].attributes[0].value = "bad.example|198.51.100.10";
  m_misp.events[1].timestamp = m_misp.events[1].publish_timestamp = 1700000300;

  const SyncSummary s = sync(true);

  EXPECT_EQ(s.exit_code, ExitCode::misp_error);
  EXPECT_EQ(s.counts.events_removed, 0);
  EXPECT_FALSE(revoked_in_sentinel("indicator--" + k_ip));
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state = 'active' "
                  "AND event_uuid = '"
                  + k_event1 + "'"),
            2);
  EXPECT_EQ(s.counts.indicators_changed, 1);

  // Once the event reads again, the next run is clean.
  m_misp.unreadable.clear();
  EXPECT_EQ(sync(true).exit_code, ExitCode::ok);
}

// Without a uuid the unreadable event could be any stored one.
TEST_F(SyncEngineTest, UnreadableEventWithoutUuidRevokesNoEventAsGone) {
  (void)sync();
  m_misp.unreadable[k_event1] = "page 1: event #0 has no uuid";
  m_misp.unreadable_without_uuid = true;

  const SyncSummary s = sync(true);

  EXPECT_EQ(s.exit_code, ExitCode::misp_error);
  EXPECT_EQ(s.counts.events_removed, 0);
  EXPECT_EQ(s.counts.indicators_revoked, 0);
  EXPECT_FALSE(revoked_in_sentinel("indicator--" + k_ip));
}

// One empty answer must not wipe the workspace, and must not pass for a
// good run either: cron and the metrics file see exit code 3.
TEST_F(SyncEngineTest, FullReadReturningNothingRevokesNothing) {
  (void)sync();
  m_misp.answer_nothing = true;

  const SyncSummary s = sync(true);

  EXPECT_EQ(s.counts.events_read, 0);
  EXPECT_EQ(s.counts.indicators_revoked, 0);
  EXPECT_FALSE(revoked_in_sentinel("indicator--" + k_ip));
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state='active'"), 4);
  EXPECT_EQ(s.exit_code, ExitCode::misp_error);
  EXPECT_EQ(s.removals_refused, 2);
  EXPECT_NE(s.error.find("full read returned no event"), std::string::npos)
      << s.error;
}

// A full run reads from the start but never moves the cursor back: an
// empty or broken answer, or a run stopped part-way, would otherwise make
// the next delta read almost everything again.
TEST_F(SyncEngineTest, FullRunNeverMovesTheCursorBack) {
  (void)sync();
  ASSERT_EQ(count("SELECT position_epoch FROM sync_cursor"), 1700000200);

  m_misp.answer_nothing = true;
  (void)sync(true);
  EXPECT_EQ(count("SELECT position_epoch FROM sync_cursor"), 1700000200);

  m_misp.answer_nothing = false;
  m_misp.left_out_of_searches.insert(k_event2);
  (void)sync(true);
  EXPECT_EQ(count("SELECT position_epoch FROM sync_cursor"), 1700000200);
}

TEST_F(SyncEngineTest, EmptyIndexRevokesNothingAndFailsTheRun) {
  (void)sync();
  for (const MispEvent& e : m_misp.events) {
    m_misp.left_out_of_index.insert(e.uuid);
  }
  m_misp.left_out_of_searches.insert(k_event1);

  const SyncSummary s = sync(true);

  EXPECT_EQ(s.counts.indicators_revoked, 0);
  EXPECT_EQ(s.exit_code, ExitCode::misp_error);
  EXPECT_EQ(s.removals_refused, 1);
  EXPECT_NE(s.error.find("event index is empty"), std::string::npos) << s.error;
}

TEST_F(SyncEngineTest, FullRunRevokesDeletedEvents) {
  (void)sync();
  m_misp.events.erase(m_misp.events.begin());

  const SyncSummary s = sync(true);

  EXPECT_EQ(m_misp.index_calls, 1);
  EXPECT_EQ(s.counts.events_removed, 1);
  EXPECT_TRUE(revoked_in_sentinel("indicator--" + k_ip));
  EXPECT_FALSE(revoked_in_sentinel("indicator--" + k_pair));
}

// A full read that leaves events out (a wrong answer from MISP or a proxy)
// must not revoke them: each is asked for by uuid first.
TEST_F(SyncEngineTest, EventMissingFromAFullReadIsAskedForBeforeRevoking) {
  (void)sync();
  m_misp.left_out_of_searches = {k_event2};

  const SyncSummary s = sync(true);

  EXPECT_EQ(s.exit_code, ExitCode::ok);
  EXPECT_EQ(s.counts.indicators_revoked, 0);
  EXPECT_EQ(s.counts.events_read, 2);
  EXPECT_EQ(m_misp.queries.back().event_uuids,
            std::vector<std::string>{k_event2});
  EXPECT_FALSE(m_misp.queries.back().tags_on_server);
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state='active'"), 4);
}

TEST_F(SyncEngineTest, EventThatLostItsTagIsRevokedByAFullRun) {
  m_misp.required_tag = "tlp:green";
  for (MispEvent& e : m_misp.events) {
    e.tags.push_back({"tlp:green", false});
  }
  m_config.misp.filters.tags = {"tlp:green"};
  (void)sync();
  m_misp.events[1].tags.clear();

  const SyncSummary s = sync(true);

  EXPECT_EQ(s.counts.indicators_revoked, 2);
  EXPECT_EQ(s.counts.events_removed, 1);
  EXPECT_TRUE(revoked_in_sentinel("indicator--" + k_pair));
}

TEST_F(SyncEngineTest, EventListedButNeverGivenOutKeepsItsIndicators) {
  (void)sync();
  m_misp.never_given = {k_event2};

  const SyncSummary s = sync(true);

  EXPECT_EQ(s.exit_code, ExitCode::ok);
  EXPECT_EQ(s.counts.indicators_revoked, 0);
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state='active'"), 4);
}

// Most events gone from MISP's index at once is likelier a fault than a
// purge: nothing is revoked, the run says so (exit 3), and the operator
// can confirm with --allow-mass-revocation.
TEST_F(SyncEngineTest, MostEventsMissingFromTheIndexNeedPermissionToRevoke) {
  for (int i = 0; i < 12; ++i) {
    const std::string uuid = fmt::format("33333333-3333-4333-8333-{:012}", i);
    MispEvent e = event(uuid, 1700000300 + i);
    e.attributes.push_back(
        attribute(fmt::format("bbbbbbbb-0000-4000-8000-{:012}", i),
                  "ip-dst",
                  fmt::format("198.51.100.{}", i + 20)));
    m_misp.events.push_back(e);
  }
  (void)sync();
  for (const MispEvent& e : m_misp.events) {
    if (e.uuid != k_event1) {
      m_misp.left_out_of_index.insert(e.uuid);
      m_misp.never_given.insert(e.uuid);
    }
  }

  const SyncSummary refused = sync(true);

  EXPECT_EQ(refused.exit_code, ExitCode::misp_error);
  EXPECT_EQ(refused.removals_refused, 13);
  EXPECT_EQ(refused.counts.indicators_revoked, 0);
  EXPECT_NE(refused.error.find("--allow-mass-revocation"), std::string::npos);

  SyncOptions allowed{true, false, true};
  Store store(m_config.state.path);
  SyncEngine engine(
      m_config, store, m_misp, m_sentinel, [this] { return m_now_ms += 1000; });
  const SyncSummary confirmed = engine.run(allowed);

  EXPECT_EQ(confirmed.exit_code, ExitCode::ok);
  EXPECT_EQ(confirmed.counts.events_removed, 13);
  EXPECT_EQ(confirmed.counts.indicators_revoked, 14);
}

// A few deleted events are revoked without asking, even most of a small
// store's.
TEST_F(SyncEngineTest, FewDeletedEventsAreRevokedWithoutPermission) {
  (void)sync();
  m_misp.events.clear();
  m_misp.events.push_back(event("44444444-4444-4444-8444-444444444444", 1));

  const SyncSummary s = sync(true);

  EXPECT_EQ(s.exit_code, ExitCode::ok);
  EXPECT_EQ(s.counts.events_removed, 2);
}

TEST_F(SyncEngineTest, UnpublishedEventKeepsItsIndicatorsUntilRepublished) {
  (void)sync();
  m_misp.events[0].published = false; // someone is editing it
  m_misp.events[0].attributes[1].to_ids = false;

  const SyncSummary during = sync(true);
  EXPECT_EQ(during.counts.indicators_revoked, 0);
  EXPECT_FALSE(revoked_in_sentinel("indicator--" + k_domain));

  m_misp.events[0].published = true;
  m_misp.events[0].publish_timestamp = 1700000400;
  const SyncSummary after = sync();
  EXPECT_EQ(after.counts.indicators_revoked, 1);
  EXPECT_TRUE(revoked_in_sentinel("indicator--" + k_domain));
}

// Sent while unpublished (under published = false), an event is out of
// scope once the filter asks for published events: it is not an event
// someone is editing, which keeps its indicators until republished.
TEST_F(SyncEngineTest, UnpublishedEventIsRevokedWhenOnlyPublishedAreWanted) {
  m_config.misp.filters.published = false;
  m_misp.published_only = false;
  m_misp.events[0].published = false;
  (void)sync();
  ASSERT_EQ(count("SELECT count(*) FROM indicators WHERE state='active'"), 4);

  m_config.misp.filters.published = true;
  m_misp.published_only = true;
  const SyncSummary full = sync(true);

  EXPECT_EQ(full.exit_code, ExitCode::ok) << full.error;
  EXPECT_EQ(full.counts.indicators_revoked, 2);
  EXPECT_EQ(full.counts.events_removed, 1);
  EXPECT_TRUE(revoked_in_sentinel("indicator--" + k_ip));
  EXPECT_TRUE(revoked_in_sentinel("indicator--" + k_domain));
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state='active'"), 2);
}

// A wrong setting makes Sentinel refuse every record: they are marked
// rejected (the outbox must not stall on them), but the run fails with
// exit 4 so that systemd and monitoring see it, where exit 1 (some
// records rejected) counts as success.
TEST_F(SyncEngineTest, WholesaleRefusalFailsTheRun) {
  m_sentinel.refuse_wholesale = "The api-version '2099-01-01' is invalid.";

  const SyncSummary s = sync();

  EXPECT_EQ(s.exit_code, ExitCode::sentinel_error);
  EXPECT_THAT(s.error,
              ::testing::HasSubstr("The api-version '2099-01-01' is "
                                   "invalid."));
  EXPECT_THAT(s.error, ::testing::HasSubstr("sync --full --resend"));
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state='rejected'"),
            4);
  EXPECT_EQ(count("SELECT count(*) FROM runs WHERE outcome = 'failed'"), 1);
}

TEST_F(SyncEngineTest, EmptyEventIndexRevokesNothing) {
  (void)sync();
  m_misp.events.clear();

  const SyncSummary s = sync(true);

  EXPECT_EQ(s.counts.indicators_revoked, 0);
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state='active'"), 4);
}

TEST_F(SyncEngineTest, IndicatorsCloseToExpiryAreRefreshedAndOnlyThose) {
  m_config.indicators.days_to_expire = 10;
  m_config.indicators.refresh_before_days = 3;
  m_config.state.lookback_seconds = 10; // the delta re-reads event 2 only
  (void)sync();
  const std::string before = valid_until("indicator--" + k_ip);
  m_sentinel.batch_sizes.clear();

  m_now_ms += 6LL * 86400 * 1000; // 4 days left: not yet due
  const SyncSummary early = sync();
  EXPECT_EQ(early.counts.indicators_refreshed, 0);
  EXPECT_TRUE(m_sentinel.batch_sizes.empty());

  m_now_ms += 2LL * 86400 * 1000; // 2 days left: due
  const SyncSummary due = sync();
  EXPECT_EQ(due.counts.indicators_refreshed, 4);
  EXPECT_EQ(due.counts.objects_sent, 4);
  EXPECT_GT(valid_until("indicator--" + k_ip), before);
  // Event 1 was outside the delta window: the refresh asked MISP for it,
  // and only it, by uuid.
  EXPECT_EQ(m_misp.queries.back().event_uuids,
            std::vector<std::string>{k_event1});

  const SyncSummary after = sync();
  EXPECT_EQ(after.counts.indicators_refreshed, 0);
}

TEST_F(SyncEngineTest, FullResendSendsEveryActiveIndicatorAgain) {
  (void)sync();

  const SyncSummary s = sync(true, true);

  EXPECT_EQ(s.counts.indicators_refreshed, 4);
  EXPECT_EQ(s.counts.objects_sent, 4);
}

TEST_F(SyncEngineTest, OperatorRevocationSticksAcrossSyncs) {
  (void)sync();

  const SyncSummary r = revoke({k_event1}, false);
  EXPECT_EQ(r.counts.indicators_revoked, 2);
  EXPECT_TRUE(revoked_in_sentinel("indicator--" + k_ip));

  const SyncSummary s = sync(true);
  EXPECT_EQ(s.counts.indicators_new, 0);
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state='revoked'"), 2);
}

TEST_F(SyncEngineTest, TerminationRequestStopsTheRunAtTheNextStep) {
  request_termination(SIGTERM);

  const SyncSummary stopped = sync();
  clear_termination_request();

  EXPECT_EQ(stopped.exit_code, ExitCode::misp_error);
  EXPECT_NE(stopped.error.find("stopped by SIGTERM while reading MISP"),
            std::string::npos)
      << stopped.error;
  EXPECT_EQ(stopped.counts.events_read, 0);
  EXPECT_EQ(count("SELECT count(*) FROM runs WHERE outcome='interrupted'"), 1);

  const SyncSummary s = sync();
  EXPECT_EQ(s.exit_code, ExitCode::ok);
  EXPECT_EQ(s.counts.indicators_new, 4);
}

// A signal during the last MISP page stops the run as a stop while
// reading (exit 3), before anything is uploaded.
TEST_F(SyncEngineTest, TerminationDuringTheLastPageStopsBeforeUploading) {
  m_misp.on_fetch = [](const EventSource::Query& query) {
    if (query.page == 3) { // the first page past the two events
      request_termination(SIGTERM);
    }
  };

  const SyncSummary stopped = sync();
  clear_termination_request();

  EXPECT_EQ(stopped.exit_code, ExitCode::misp_error);
  EXPECT_NE(stopped.error.find("stopped by SIGTERM while reading MISP"),
            std::string::npos)
      << stopped.error;
  EXPECT_TRUE(m_sentinel.batch_sizes.empty());
  EXPECT_EQ(count("SELECT count(*) FROM outbox"), 4);
}

// A signal during the upload left by an earlier run stops the run there:
// it does not go on to read MISP.
TEST_F(SyncEngineTest, TerminationDuringTheResumedUploadReadsNoMisp) {
  m_sentinel.fail = true;
  (void)sync();
  m_sentinel.fail = false;
  m_sentinel.signalled_while_waiting = true;
  const std::size_t queries_before = m_misp.queries.size();

  const SyncSummary stopped = sync();
  clear_termination_request();

  EXPECT_EQ(stopped.exit_code, ExitCode::sentinel_error);
  EXPECT_EQ(m_misp.queries.size(), queries_before);
  EXPECT_EQ(count("SELECT count(*) FROM runs WHERE outcome='interrupted'"), 1);
}

// Each attribute of an event the operator revoked is read and skipped
// for that reason, so that the skip total and its reasons agree.
TEST_F(SyncEngineTest, AttributesOfAnOperatorRevokedEventCountAsSkipped) {
  (void)sync();
  (void)revoke({k_event1}, false);

  const SyncSummary s = sync(true);

  EXPECT_EQ(s.counts.attributes_read, 3);
  EXPECT_EQ(s.counts.attributes_skipped, 2);
  EXPECT_EQ(s.counts.skips_by_reason.at("event revoked by operator"), 2);
}

TEST_F(SyncEngineTest, RevokeAllRevokesEverythingSent) {
  (void)sync();

  const SyncSummary r = revoke({}, true);

  EXPECT_EQ(r.counts.indicators_revoked, 4);
  EXPECT_EQ(count("SELECT count(*) FROM indicators WHERE state='revoked'"), 4);
}

} // namespace
} // namespace m2s
