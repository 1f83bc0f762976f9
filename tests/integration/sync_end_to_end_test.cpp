// The real misp2sentinel binary against the real sandbox over loopback,
// with the bundled real MISP events.

#include "sandbox_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <filesystem>

namespace m2s::testing {
namespace {

class SyncEndToEnd : public ::testing::Test {
protected:
  TempDir m_dir;
};

TEST_F(SyncEndToEnd, FirstRunUploadsBundledEventsAndSecondSendsNothing) {
  Sandbox sandbox(m_dir);
  Misp2Sentinel tool(m_dir, sandbox);

  const ProcessResult first = tool.run({"sync"});
  ASSERT_EQ(first.exit_code, 0) << first.err;

  const std::int64_t active =
      tool.store_count("SELECT count(*) FROM indicators WHERE state='active'");
  EXPECT_GT(active, 500);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects"), active);
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM outbox"), 0);
  EXPECT_NE(first.out.find("new"), std::string::npos);
  const std::int64_t uploads = sandbox.record_count(
      "SELECT count(*) FROM requests WHERE path LIKE '%upload%'");

  const ProcessResult second = tool.run({"sync"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(tool.store_count("SELECT objects_sent FROM runs WHERE run_id=2"),
            0);
  // The delta asks only from the cursor minus the lookback: of the
  // bundled events only the newest (2024) falls in that window.
  EXPECT_EQ(tool.store_count("SELECT events_read FROM runs WHERE run_id=2"), 1);
  EXPECT_EQ(sandbox.record_count(
                "SELECT count(*) FROM requests WHERE path LIKE '%upload%'"),
            uploads);
}

TEST_F(SyncEndToEnd, FullResyncOfUnchangedDataSendsNothing) {
  Sandbox sandbox(m_dir);
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  const std::int64_t active =
      tool.store_count("SELECT count(*) FROM indicators WHERE state='active'");

  const ProcessResult full = tool.run({"sync", "--full"});

  ASSERT_EQ(full.exit_code, 0) << full.err;
  EXPECT_EQ(tool.store_count("SELECT objects_sent FROM runs WHERE run_id=2"),
            0);
  EXPECT_EQ(tool.store_count("SELECT indicators_unchanged FROM runs "
                             "WHERE run_id=2"),
            active);
  // Nothing changed since the first read: no event is converted again.
  EXPECT_EQ(tool.store_count("SELECT events_unchanged FROM runs "
                             "WHERE run_id=2"),
            tool.store_count("SELECT events_read FROM runs WHERE run_id=2"));
  EXPECT_EQ(tool.store_count("SELECT attributes_skipped FROM runs "
                             "WHERE run_id=2"),
            tool.store_count("SELECT attributes_skipped FROM runs "
                             "WHERE run_id=1"));
}

// The settings that shape indicators are part of what a run compares: a
// new default confidence re-sends every indicator it changes, although no
// event changed in MISP.
TEST_F(SyncEndToEnd, ChangedSettingResendsWhatItChanges) {
  Sandbox sandbox(m_dir);
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  const std::int64_t at_default = sandbox.record_count(
      "SELECT count(*) FROM objects WHERE body LIKE '%\"confidence\":50%'");
  ASSERT_GT(at_default, 0);

  ConfigSpec spec;
  spec.indicators_extra = "default_confidence = 77";
  tool.configure(spec);
  const ProcessResult full = tool.run({"sync", "--full"});

  ASSERT_EQ(full.exit_code, 0) << full.err;
  EXPECT_EQ(tool.store_count("SELECT events_unchanged FROM runs "
                             "WHERE run_id=2"),
            0);
  EXPECT_EQ(tool.store_count("SELECT indicators_changed FROM runs "
                             "WHERE run_id=2"),
            at_default);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects WHERE body "
                                 "LIKE '%\"confidence\":77%'"),
            at_default);

  const ProcessResult again = tool.run({"sync", "--full"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(tool.store_count("SELECT objects_sent FROM runs WHERE run_id=3"),
            0);
}

// Rewrites one attribute of an event file the way a MISP edit does: new
// value and comment, newer attribute and event timestamps.
void edit_attribute(const std::string& path,
                    const std::string& uuid,
                    const std::string& new_comment,
                    std::int64_t now) {
  boost::json::value doc = boost::json::parse(read_file(path));
  boost::json::object& event = doc.as_object()
                                   .at("response")
                                   .as_array()
                                   .at(0)
                                   .as_object()
                                   .at("Event")
                                   .as_object();
  bool found = false;
  for (auto& a : event.at("Attribute").as_array()) {
    auto& attribute = a.as_object();
    if (attribute.at("uuid").as_string() == uuid) {
      attribute["comment"] = new_comment;
      attribute["timestamp"] = std::to_string(now);
      found = true;
    }
  }
  ASSERT_TRUE(found) << uuid;
  event["timestamp"] = std::to_string(now);
  write_file(path, boost::json::serialize(doc));
}

TEST_F(SyncEndToEnd, EditingOneAttributeSendsExactlyThatIndicator) {
  Sandbox sandbox(m_dir);
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);

  // An ip-dst attribute with to_ids in the Telebots event.
  const std::string file =
      sandbox.events_dir() + "/eset_malware-ioc__telebots_misp-telebots.json";
  const std::string uuid = "58503f3a-4414-4e2c-9562-424302de0b81";
  const std::int64_t now = std::time(nullptr);
  edit_attribute(file, uuid, "seen again in 2026", now);

  const ProcessResult second = tool.run({"sync"});

  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(tool.store_count("SELECT indicators_changed FROM runs "
                             "WHERE run_id=2"),
            1);
  EXPECT_EQ(tool.store_count("SELECT objects_sent FROM runs WHERE run_id=2"),
            1);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects WHERE "
                                 "versions_received = 2"),
            1);
  EXPECT_EQ(sandbox.record_count(
                "SELECT count(*) FROM objects WHERE versions_received = 2 "
                "AND id = 'indicator--"
                + uuid
                + "' AND body LIKE "
                  "'%seen again in 2026%'"),
            1);
}

TEST_F(SyncEndToEnd, LegacyUploadIndicatorsApiWorks) {
  Sandbox sandbox(m_dir);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.api = "upload-indicators";
  tool.configure(spec);

  const ProcessResult run = tool.run({"sync"});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::int64_t active =
      tool.store_count("SELECT count(*) FROM indicators WHERE state='active'");
  EXPECT_GT(active, 500);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects WHERE "
                                 "api = 'upload-indicators'"),
            active);
}

TEST_F(SyncEndToEnd, StoreAndLockFilesArePrivate) {
  Sandbox sandbox(m_dir, {}, {"eset_malware-ioc__telebots_misp-telebots.json"});
  Misp2Sentinel tool(m_dir, sandbox);

  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);

  namespace fs = std::filesystem;
  const auto perms = fs::status(tool.store_path()).permissions();
  EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
}

} // namespace
} // namespace m2s::testing
