// `sync --dry-run [--out DIR]`: reads MISP, never talks to Sentinel,
// leaves the store byte for byte as it was, and predicts exactly what the
// next real run sends.

#include "misp2sentinel/util/hash.hpp"
#include "sandbox_fixture.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

namespace m2s::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string k_telebots = "eset_malware-ioc__telebots_misp-telebots.json";
const std::string k_regin = "MISP_MISP__tests_event.json";

std::string file_hash(const std::string& path) {
  return fs::exists(path) ? sha256_hex(read_file(path)) : "missing";
}

// The store file and its -wal, as they are on disk.
std::string store_fingerprint(const Misp2Sentinel& tool) {
  return file_hash(tool.store_path()) + " "
         + file_hash(tool.store_path() + "-wal");
}

// Lines of `out` that start with `action` and a space ("add ...").
std::vector<std::string> planned(const std::string& out,
                                 const std::string& action) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(action + " ", 0) == 0) {
      lines.push_back(line);
    }
  }
  return lines;
}

std::int64_t sentinel_requests(const Sandbox& sandbox) {
  return sandbox.record_count("SELECT count(*) FROM requests WHERE path "
                              "LIKE '%oauth2%' OR path LIKE '%upload%'");
}

// Ids of every object in the request bodies written to `dir`.
std::vector<std::string> ids_in_bodies(const std::string& dir) {
  std::vector<std::string> ids;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto body = boost::json::parse(read_file(entry.path().string()));
    EXPECT_EQ(body.at("sourcesystem"), "MISP");
    for (const auto& object : body.at("stixobjects").as_array()) {
      ids.emplace_back(object.at("id").as_string());
    }
  }
  return ids;
}

void copy_event(const Sandbox& sandbox, const std::string& name) {
  fs::copy_file(fs::path(M2S_SOURCE_DIR) / "data" / "misp-events" / name,
                fs::path(sandbox.events_dir()) / name);
}

class DryRun : public ::testing::Test {
protected:
  TempDir m_dir;
};

TEST_F(DryRun, OutWithoutDryRunIsAUsageError) {
  Sandbox sandbox(m_dir, {}, {k_regin});
  Misp2Sentinel tool(m_dir, sandbox);

  const ProcessResult result = tool.run({"sync", "--out", m_dir.file("o")});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_FALSE(fs::exists(tool.store_path()));
}

TEST_F(DryRun, NonEmptyOutFolderIsRefused) {
  Sandbox sandbox(m_dir, {}, {k_regin});
  Misp2Sentinel tool(m_dir, sandbox);
  fs::create_directories(m_dir.file("o"));
  write_file(m_dir.file("o/keep.txt"), "mine");

  const ProcessResult result =
      tool.run({"sync", "--dry-run", "--out", m_dir.file("o")});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(m_dir.file("o")));
  EXPECT_THAT(result.err, HasSubstr("empty"));
  EXPECT_EQ(std::distance(fs::directory_iterator(m_dir.file("o")),
                          fs::directory_iterator()),
            1);
}

TEST_F(DryRun, FirstDryRunCreatesNoStoreAndSendsNothing) {
  Sandbox sandbox(m_dir, {}, {k_regin});
  Misp2Sentinel tool(m_dir, sandbox);

  const ProcessResult result = tool.run({"sync", "--dry-run"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(planned(result.out, "add").size(), 30u);
  EXPECT_THAT(result.out, HasSubstr("Dry run"));
  for (const char* suffix : {"", "-wal", "-shm", ".lock"}) {
    EXPECT_FALSE(fs::exists(tool.store_path() + suffix)) << suffix;
  }
  EXPECT_EQ(sentinel_requests(sandbox), 0);
  EXPECT_GT(sandbox.record_count("SELECT count(*) FROM requests WHERE "
                                 "path LIKE '%restSearch%'"),
            0);
}

TEST_F(DryRun, ChangesNothingAndPredictsTheNextRun) {
  Sandbox sandbox(m_dir, {}, {k_telebots});
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  copy_event(sandbox, k_regin);
  const std::string before = store_fingerprint(tool);
  const std::int64_t sentinel_before = sentinel_requests(sandbox);

  const ProcessResult dry =
      tool.run({"sync", "--full", "--dry-run", "--out", m_dir.file("bodies")});

  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(store_fingerprint(tool), before);
  EXPECT_EQ(sentinel_requests(sandbox), sentinel_before);
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM runs"), 1);

  const auto adds = planned(dry.out, "add");
  EXPECT_EQ(adds.size(), 30u);
  EXPECT_TRUE(planned(dry.out, "update").empty());
  EXPECT_TRUE(planned(dry.out, "revoke").empty());
  const std::vector<std::string> ids = ids_in_bodies(m_dir.file("bodies"));
  ASSERT_EQ(ids.size(), adds.size());
  for (const std::string& id : ids) {
    EXPECT_THAT(dry.out, HasSubstr(id));
  }
  // Request bodies are for the operator's eyes only.
  const auto others = fs::perms::group_all | fs::perms::others_all;
  EXPECT_EQ(fs::status(m_dir.file("bodies")).permissions() & others,
            fs::perms::none);
  for (const auto& body : fs::directory_iterator(m_dir.file("bodies"))) {
    EXPECT_EQ(body.status().permissions() & others, fs::perms::none)
        << body.path();
  }

  const ProcessResult real = tool.run({"sync", "--full"});
  ASSERT_EQ(real.exit_code, 0) << real.err;
  EXPECT_EQ(tool.store_count("SELECT objects_sent FROM runs WHERE run_id = 2"),
            static_cast<std::int64_t>(adds.size()));
}

TEST_F(DryRun, ReadsUncheckpointedWalAndLeavesItAlone) {
  Sandbox sandbox(m_dir, {}, {k_regin});
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);

  // Another connection leaves a change in the -wal: one indicator and its
  // attribute forgotten, so a full run would send it again.
  SQLite::Database held(tool.store_path(), SQLite::OPEN_READWRITE);
  held.exec("PRAGMA wal_autocheckpoint = 0");
  const std::string forgotten =
      held.execAndGet("SELECT indicator_id FROM indicators "
                      "ORDER BY indicator_id LIMIT 1")
          .getString();
  held.exec("DELETE FROM attributes WHERE attribute_uuid = (SELECT "
            "attribute_uuid FROM indicators WHERE indicator_id = '"
            + forgotten + "')");
  held.exec("DELETE FROM indicators WHERE indicator_id = '" + forgotten + "'");
  ASSERT_GT(fs::file_size(tool.store_path() + "-wal"), 0u);
  const std::string before = store_fingerprint(tool);

  const ProcessResult dry = tool.run({"sync", "--full", "--dry-run"});

  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(store_fingerprint(tool), before);
  const auto adds = planned(dry.out, "add");
  ASSERT_EQ(adds.size(), 1u) << dry.out;
  EXPECT_THAT(adds[0], HasSubstr(forgotten));
}

TEST_F(DryRun, ShowsRevocationsAsJson) {
  Sandbox sandbox(m_dir, {}, {k_telebots, k_regin});
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  fs::remove(fs::path(sandbox.events_dir()) / k_regin);

  const ProcessResult dry = tool.run({"sync", "--full", "--dry-run", "--json"});

  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  const boost::json::object json = boost::json::parse(dry.out).as_object();
  EXPECT_EQ(json.at("dry_run"), true);
  const auto& would = json.at("would").as_object();
  EXPECT_EQ(would.at("revoke").as_array().size(), 30u);
  EXPECT_TRUE(would.at("add").as_array().empty());
  EXPECT_TRUE(would.at("update").as_array().empty());
  const auto& first = would.at("revoke").as_array().at(0).as_object();
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM indicators WHERE "
                             "state = 'active' AND indicator_id = '"
                             + std::string(first.at("indicator_id").as_string())
                             + "'"),
            1);
  EXPECT_EQ(json.at("indicators").at("revoked").as_int64(), 30);
}

TEST_F(DryRun, WritesNoSecretAnywhere) {
  Sandbox sandbox(m_dir, {}, {k_regin});
  Misp2Sentinel tool(m_dir, sandbox);

  const ProcessResult dry = tool.run({"sync",
                                      "--dry-run",
                                      "--out",
                                      m_dir.file("bodies"),
                                      "--log-level",
                                      "trace"});

  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  std::string everything = dry.out + dry.err;
  for (const auto& entry : fs::directory_iterator(m_dir.file("bodies"))) {
    everything += read_file(entry.path().string());
  }
  EXPECT_THAT(everything, Not(HasSubstr(k_misp_key)));
  EXPECT_THAT(everything, Not(HasSubstr(k_client_secret)));
  EXPECT_THAT(everything, Not(HasSubstr("Bearer")));
}

// A dry run asks MISP but requests no token: it must not need the client
// secret, and a missing MISP key is still named.
TEST_F(DryRun, NeedsTheMispKeyButNotTheClientSecret) {
  Sandbox sandbox(m_dir, {}, {k_telebots});
  Misp2Sentinel tool(m_dir, sandbox);
  const std::string config = read_file(tool.config_path());
  const auto renamed = [&](const std::string& name) {
    std::string text = config;
    text.replace(text.find(name), name.size(), name + "_UNSET");
    return text;
  };

  write_file(tool.config_path(), renamed("M2S_TEST_CLIENT_SECRET"));
  const ProcessResult dry = tool.run({"sync", "--dry-run"});
  write_file(tool.config_path(), renamed("M2S_TEST_MISP_KEY"));
  const ProcessResult no_key = tool.run({"sync", "--dry-run"});

  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("nothing was sent"));
  EXPECT_EQ(no_key.exit_code, 2);
  EXPECT_THAT(no_key.err,
              HasSubstr("environment variable M2S_TEST_MISP_KEY_UNSET is "
                        "not set"));
}

// A dry run takes no lock, so a run the store records as running may be
// a live sync beside it: the dry run must not say it stopped.
TEST_F(DryRun, UnfinishedRunIsNotCalledCrashed) {
  Sandbox sandbox(m_dir, {}, {k_telebots});
  Misp2Sentinel tool(m_dir, sandbox);
  ASSERT_EQ(tool.run({"sync"}).exit_code, 0);
  tool.store_execute("UPDATE runs SET outcome = 'running', "
                     "finished_at = NULL");

  const ProcessResult dry = tool.run({"sync", "--dry-run"});

  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.err, Not(HasSubstr("stopped before finishing")));
  EXPECT_THAT(dry.err,
              HasSubstr("The store records 1 unfinished run(s), which may "
                        "still be running"));
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM runs "
                             "WHERE outcome = 'running'"),
            1);
}

} // namespace
} // namespace m2s::testing
