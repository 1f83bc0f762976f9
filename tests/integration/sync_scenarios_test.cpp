// MISP changes, one at a time, through the real binary and the sandbox:
// after each sync, what the Sentinel stand-in holds unrevoked must equal
// what MISP says, pattern for pattern.

#include "misp_files.hpp"
#include "sandbox_fixture.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace m2s::testing {
namespace {

const std::string k_telebots = "eset_malware-ioc__telebots_misp-telebots.json";
const std::string k_misp_test = "MISP_MISP__tests_event.json";
const std::string k_ip1 = "58503f3a-4414-4e2c-9562-424302de0b81";
const std::string k_ip2 = "58503f3a-a690-4478-a0ef-4fd602de0b81";

class SyncScenarios : public ::testing::Test {
protected:
  void SetUp() override {
    m_sandbox = std::make_unique<Sandbox>(
        m_dir,
        std::vector<std::string>{},
        std::vector<std::string>{k_telebots, k_misp_test});
    m_tool = std::make_unique<Misp2Sentinel>(m_dir, *m_sandbox);
    m_spec.published = true;
    m_spec.not_tag = "not-for-sentinel";
    m_tool->configure(m_spec);
    sync_ok({"sync"});
  }

  void sync_ok(const std::vector<std::string>& args) {
    const ProcessResult run = m_tool->run(args);
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }

  EventFile telebots() {
    return EventFile(m_sandbox->events_dir() + "/" + k_telebots);
  }

  // Sentinel holds exactly what MISP says, unrevoked.
  void expect_in_step() {
    EXPECT_EQ(sandbox_patterns(m_sandbox->record_path(), false),
              expected_patterns(m_sandbox->events_dir(), true, m_spec.not_tag));
  }

  bool active_in_sentinel(const std::string& pattern) {
    return sandbox_patterns(m_sandbox->record_path(), false).count(pattern) > 0;
  }

  TempDir m_dir;
  ConfigSpec m_spec;
  std::unique_ptr<Sandbox> m_sandbox;
  std::unique_ptr<Misp2Sentinel> m_tool;
};

TEST_F(SyncScenarios, FirstSyncMatchesMisp) {
  expect_in_step();
  EXPECT_GT(sandbox_patterns(m_sandbox->record_path(), false).size(), 90u);
}

TEST_F(SyncScenarios, AddedAttributeIsSent) {
  EventFile file = telebots();
  boost::json::object added = file.attribute(k_ip1);
  added["uuid"] = "0e0e0e0e-1111-4222-8333-444444444444";
  added["value"] = "192.0.2.55";
  file.event().at("Attribute").as_array().push_back(added);
  file.touch();
  file.save();

  sync_ok({"sync"});

  EXPECT_TRUE(active_in_sentinel("[ipv4-addr:value = '192.0.2.55']"));
  expect_in_step();
}

TEST_F(SyncScenarios, EditedValueReplacesThePattern) {
  EventFile file = telebots();
  file.attribute(k_ip1)["value"] = "192.0.2.66";
  file.touch();
  file.save();

  sync_ok({"sync"});

  EXPECT_TRUE(active_in_sentinel("[ipv4-addr:value = '192.0.2.66']"));
  EXPECT_FALSE(active_in_sentinel("[ipv4-addr:value = '93.190.137.212']"));
  expect_in_step();
}

TEST_F(SyncScenarios, SoftDeletedAttributeIsRevoked) {
  EventFile file = telebots();
  file.attribute(k_ip1)["deleted"] = true;
  file.touch();
  file.save();

  sync_ok({"sync"});

  EXPECT_EQ(m_sandbox->record_count("SELECT revoked FROM objects WHERE "
                                    "id = 'indicator--"
                                    + k_ip1 + "'"),
            1);
  expect_in_step();
}

TEST_F(SyncScenarios, ToIdsOffThenOnGivesANewIndicator) {
  EventFile off = telebots();
  off.attribute(k_ip2)["to_ids"] = false;
  off.touch();
  off.save();
  sync_ok({"sync"});
  EXPECT_FALSE(active_in_sentinel("[ipv4-addr:value = '95.141.37.3']"));
  expect_in_step();

  EventFile on = telebots();
  on.attribute(k_ip2)["to_ids"] = true;
  on.touch(1);
  on.save();
  sync_ok({"sync"});

  EXPECT_TRUE(active_in_sentinel("[ipv4-addr:value = '95.141.37.3']"));
  // The revoked id stays revoked; the comeback has a new id.
  EXPECT_EQ(m_sandbox->record_count("SELECT count(*) FROM objects WHERE "
                                    "pattern LIKE '%95.141.37.3%'"),
            2);
  expect_in_step();
}

TEST_F(SyncScenarios, TagThatDropsTheEventFromScopeRevokesIt) {
  EventFile file = telebots();
  file.event()["Tag"].as_array().push_back(
      boost::json::object{{"name", "not-for-sentinel"}});
  file.touch();
  file.save();

  sync_ok({"sync"});

  EXPECT_FALSE(active_in_sentinel("[ipv4-addr:value = '93.190.137.212']"));
  EXPECT_EQ(m_tool->store_count("SELECT events_removed FROM runs "
                                "ORDER BY run_id DESC LIMIT 1"),
            1);
  expect_in_step();
}

TEST_F(SyncScenarios, DeletedEventIsRevokedByFullSync) {
  std::filesystem::remove(m_sandbox->events_dir() + "/" + k_telebots);

  sync_ok({"sync"});
  EXPECT_TRUE(active_in_sentinel("[ipv4-addr:value = '93.190.137.212']"))
      << "a delta cannot see a deleted event";

  sync_ok({"sync", "--full"});
  EXPECT_FALSE(active_in_sentinel("[ipv4-addr:value = '93.190.137.212']"));
  expect_in_step();
}

// A wrong answer to the full read (here a cached page holding one other
// event) must not revoke what it left out: the run asks MISP for each
// missing event by uuid, finds them unchanged, and revokes nothing.
TEST_F(SyncScenarios, WrongFullReadAnswerRevokesNothing) {
  m_sandbox->add_fault(R"({"path_contains":"restSearch","status":200,
    "body":{"response":[{"Event":{
      "uuid":"99999999-9999-4999-8999-999999999999","info":"unrelated",
      "published":true,"timestamp":"1700000000",
      "publish_timestamp":"1700000000"}}]},"count":1})");

  sync_ok({"sync", "--full"});

  EXPECT_EQ(m_tool->store_count("SELECT indicators_revoked FROM runs "
                                "ORDER BY run_id DESC LIMIT 1"),
            0);
  EXPECT_EQ(m_tool->store_count("SELECT events_removed FROM runs "
                                "ORDER BY run_id DESC LIMIT 1"),
            0);
  // The wrong page's event, then the two it left out, asked for by uuid.
  EXPECT_EQ(m_tool->store_count("SELECT events_read FROM runs "
                                "ORDER BY run_id DESC LIMIT 1"),
            3);
  expect_in_step();
}

// An index that no longer lists most events (a key that lost its access)
// revokes nothing without --allow-mass-revocation; with it, it does.
TEST_F(SyncScenarios, IndexMissingMostEventsNeedsPermissionToRevoke) {
  // Twelve more events in the store (copies of one with uuids of their
  // own), all to be "deleted" at once.
  const auto renumber = [](boost::json::object& owner, int i) {
    if (auto* list = owner.if_contains("Attribute")) {
      for (auto& attribute : list->as_array()) {
        std::string uuid(attribute.as_object().at("uuid").as_string());
        uuid.replace(0, 8, fmt::format("{:08}", i));
        attribute.as_object()["uuid"] = uuid;
      }
    }
  };
  for (int i = 0; i < 12; ++i) {
    EventFile copy = telebots();
    copy.event()["uuid"] = fmt::format("5e5e5e5e-0000-4000-8000-{:012}", i);
    renumber(copy.event(), i);
    if (auto* objects = copy.event().if_contains("Object")) {
      for (auto& object : objects->as_array()) {
        renumber(object.as_object(), i);
      }
    }
    copy.save_as(m_sandbox->events_dir() + fmt::format("/copy-{}.json", i));
  }
  sync_ok({"sync", "--full"});
  const std::int64_t active = m_tool->store_count(
      "SELECT count(*) FROM indicators WHERE state = 'active'");
  for (int i = 0; i < 12; ++i) {
    std::filesystem::remove(m_sandbox->events_dir()
                            + fmt::format("/copy-{}.json", i));
  }
  std::filesystem::remove(m_sandbox->events_dir() + "/" + k_telebots);

  const ProcessResult refused = m_tool->run({"sync", "--full"});

  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(refused.err.find("--allow-mass-revocation"), std::string::npos)
      << refused.err;
  EXPECT_EQ(m_tool->store_count(
                "SELECT count(*) FROM indicators WHERE state = 'active'"),
            active);

  sync_ok({"sync", "--full", "--allow-mass-revocation"});
  expect_in_step();
}

// MISP answering a full read with no event at all (a proxy, a key whose
// access changed): nothing is revoked, and the run fails, so that cron
// and the metrics file do not count it as a good one.
TEST_F(SyncScenarios, EmptyFullReadFailsTheRunAndRevokesNothing) {
  sync_ok({"sync", "--full"});
  const std::int64_t active = m_tool->store_count(
      "SELECT count(*) FROM indicators WHERE state = 'active'");
  const std::int64_t cursor =
      m_tool->store_count("SELECT position_epoch FROM sync_cursor");
  for (const auto& file :
       std::filesystem::directory_iterator(m_sandbox->events_dir())) {
    std::filesystem::remove(file.path());
  }

  const ProcessResult empty = m_tool->run({"sync", "--full"});

  EXPECT_EQ(empty.exit_code, 3) << empty.err;
  EXPECT_NE(empty.err.find("full read returned no event"), std::string::npos)
      << empty.err;
  EXPECT_EQ(m_tool->store_count(
                "SELECT count(*) FROM indicators WHERE state = 'active'"),
            active);
  EXPECT_EQ(m_tool->store_count("SELECT count(*) FROM runs WHERE run_id = "
                                "(SELECT max(run_id) FROM runs) AND "
                                "outcome = 'ok'"),
            0);
  EXPECT_EQ(m_tool->store_count("SELECT position_epoch FROM sync_cursor"),
            cursor)
      << "the next delta would read everything again";
}

TEST_F(SyncScenarios, UnpublishedEventKeepsIndicatorsUntilRepublished) {
  EventFile editing = telebots();
  editing.event()["published"] = false;
  editing.attribute(k_ip1)["value"] = "192.0.2.77";
  editing.touch();
  editing.save();

  sync_ok({"sync"});
  sync_ok({"sync", "--full"});
  EXPECT_TRUE(active_in_sentinel("[ipv4-addr:value = '93.190.137.212']"));
  EXPECT_FALSE(active_in_sentinel("[ipv4-addr:value = '192.0.2.77']"));

  EventFile published = telebots();
  published.event()["published"] = true;
  published.touch(1);
  published.save();
  sync_ok({"sync"});

  EXPECT_TRUE(active_in_sentinel("[ipv4-addr:value = '192.0.2.77']"));
  EXPECT_FALSE(active_in_sentinel("[ipv4-addr:value = '93.190.137.212']"));
  expect_in_step();
}

TEST_F(SyncScenarios, IndicatorsCloseToExpiryAreRefreshedAndOnlyThose) {
  // Files live 5 days and IPs 30; refresh when less than 2 days remain.
  m_spec.indicators_extra =
      "refresh_before_days = 2\n[indicators.days_to_expire_by_type]\n"
      "file = 5\nipv4-addr = 30";
  m_tool->configure(m_spec);
  sync_ok({"sync", "--full", "--resend"});

  // Four days pass for the files: one day is left, inside the window.
  m_tool->store_execute("UPDATE indicators SET valid_until = "
                        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 day') "
                        "WHERE pattern LIKE '[file:%'");
  const std::int64_t files = m_sandbox->record_count(
      "SELECT count(*) FROM objects WHERE pattern LIKE '[file:%'");
  const std::int64_t versions_before =
      m_sandbox->record_count("SELECT sum(versions_received) FROM objects");

  sync_ok({"sync"});

  EXPECT_EQ(m_tool->store_count("SELECT indicators_refreshed FROM runs "
                                "ORDER BY run_id DESC LIMIT 1"),
            files);
  EXPECT_EQ(
      m_sandbox->record_count("SELECT sum(versions_received) FROM objects"),
      versions_before + files);
  EXPECT_EQ(
      m_sandbox->record_count("SELECT count(*) FROM objects WHERE pattern LIKE "
                              "'[ipv4-addr:%' AND versions_received > 2"),
      0);
  expect_in_step();
}

TEST_F(SyncScenarios, RevokeCommandRevokesAnEventAndSyncLeavesItAlone) {
  const std::string uuid = telebots().event().at("uuid").as_string().c_str();

  // revoke talks to Sentinel only: it needs no MISP key.
  const ProcessResult revoke = m_tool->run({"revoke", "--event", uuid},
                                           {{"M2S_TEST_MISP_KEY", ""}});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  EXPECT_FALSE(active_in_sentinel("[ipv4-addr:value = '93.190.137.212']"));
  const std::int64_t revoked = m_tool->store_count(
      "SELECT count(*) FROM indicators WHERE state = 'revoked'");
  EXPECT_THAT(revoke.out,
              ::testing::HasSubstr(
                  "Revoked " + std::to_string(revoked) + " indicators of 1 "
                  "event. Sentinel: " + std::to_string(revoked) + " sent"))
      << revoke.out;

  sync_ok({"sync", "--full"});
  EXPECT_FALSE(active_in_sentinel("[ipv4-addr:value = '93.190.137.212']"));
  EXPECT_EQ(m_tool->store_count("SELECT count(*) FROM operator_revocations"),
            1);
}

// Without a store there is nothing to revoke: revoke --all says so rather
// than create an empty store and report a run.
TEST_F(SyncScenarios, RevokeAllWithoutAStoreIsAUsageError) {
  std::filesystem::remove(m_tool->store_path());
  std::filesystem::remove(m_tool->store_path() + "-wal");
  std::filesystem::remove(m_tool->store_path() + "-shm");
  std::filesystem::remove(m_tool->store_path() + ".lock");

  const ProcessResult run = m_tool->run({"revoke", "--all"});

  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_THAT(run.err, ::testing::HasSubstr("no store at"));
  EXPECT_FALSE(std::filesystem::exists(m_tool->store_path()));
}

// An operator revocation of an event the store knows nothing of would
// block that UUID forever while revoking nothing: refuse it.
TEST_F(SyncScenarios, RevokeOfAnEventWithoutIndicatorsIsAUsageError) {
  const std::string unknown = "0b2f6a0e-5c1d-4e6f-9a7b-3c4d5e6f7a8b";
  const std::string known = telebots().event().at("uuid").as_string().c_str();

  const ProcessResult run =
      m_tool->run({"revoke", "--event", known, "--event", unknown});
  const ProcessResult malformed =
      m_tool->run({"revoke", "--event", "not-a-uuid"});

  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_THAT(run.err, ::testing::HasSubstr(unknown));
  EXPECT_THAT(run.err, ::testing::HasSubstr("holds no indicator"));
  EXPECT_THAT(run.out, ::testing::Not(::testing::HasSubstr("Revoking")));
  EXPECT_EQ(m_tool->store_count("SELECT count(*) FROM operator_revocations"),
            0);
  EXPECT_TRUE(active_in_sentinel("[ipv4-addr:value = '93.190.137.212']"));
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_THAT(malformed.err,
              ::testing::HasSubstr("--event not-a-uuid: not an event UUID"));

  // Without a store, nothing is created just to refuse.
  std::filesystem::remove(m_tool->store_path());
  std::filesystem::remove(m_tool->store_path() + ".lock");
  const ProcessResult no_store = m_tool->run({"revoke", "--event", known});
  EXPECT_EQ(no_store.exit_code, 2) << no_store.err;
  EXPECT_THAT(no_store.err, ::testing::HasSubstr("holds no indicator"));
  EXPECT_FALSE(std::filesystem::exists(m_tool->store_path()));
  EXPECT_FALSE(std::filesystem::exists(m_tool->store_path() + ".lock"));
}

} // namespace
} // namespace m2s::testing
