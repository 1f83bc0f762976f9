// Failures through the real binary: throttling, rejections, outages, bad
// credentials, malformed answers, a held lock. Each must give one clear
// error, the documented exit code, and lose nothing.

#include "misp2sentinel/http/http_client.hpp"
#include "misp_files.hpp"
#include "sandbox_fixture.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace m2s::testing {
namespace {

// Two small real events keep these tests fast: 69 and 30 to_ids
// attributes.
const std::vector<std::string> k_small = {
    "eset_malware-ioc__telebots_misp-telebots.json",
    "MISP_MISP__tests_event.json"};

class SyncFailures : public ::testing::Test {
protected:
  TempDir m_dir;
};

TEST_F(SyncFailures, ThrottledUploadsWaitAndFinish) {
  Sandbox sandbox(
      m_dir, {"--rate-limit", "2", "--rate-window-ms", "1500"}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.batch_size = 20;
  tool.configure(spec);

  const ProcessResult run = tool.run({"sync"});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_GT(tool.store_count("SELECT throttled FROM runs"), 0);
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM outbox"), 0);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects"),
            tool.store_count("SELECT count(*) FROM indicators"));
}

// Entra ID's transient errors are retried like Sentinel's own: the run
// gets its token and sends everything.
TEST_F(SyncFailures, TransientTokenFailureIsRetried) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  sandbox.add_fault(R"({"path_contains":"oauth2","status":503,
    "body":"{\"error\":\"temporarily_unavailable\",)"
                    R"(\"error_codes\":[90033]}","count":2})");

  const ProcessResult run = tool.run({"sync"});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("retrying in"), std::string::npos) << run.err;
  EXPECT_EQ(sandbox.record_count(
                "SELECT count(*) FROM requests WHERE path LIKE '%oauth2%'"),
            3);
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM outbox"), 0);
}

TEST_F(SyncFailures, PerRecordRejectionMarksOnlyThatRecord) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  sandbox.add_fault(R"({"path_contains":"stix-objects","status":200,
    "body":"{\"errors\":[{\"recordIndex\":1,\"errorMessages\":)"
                    R"([\"Error for Property=pattern: not a valid STIX )"
                    R"(pattern\"]}]}",
    "count":1})");

  const ProcessResult run = tool.run({"sync"});

  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM rejected WHERE rejection "
                             "LIKE '%not a valid STIX pattern%'"),
            1);
  EXPECT_EQ(tool.store_count("SELECT objects_rejected FROM runs"), 1);
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM outbox"), 0);

  // Unchanged, it is not retried on the next run.
  const ProcessResult again = tool.run({"sync"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(tool.store_count("SELECT objects_sent FROM runs WHERE run_id=2"),
            0);
}

TEST_F(SyncFailures, ServerErrorIsRetried) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  sandbox.add_fault(R"({"path_contains":"stix-objects","status":503,
    "body":"{\"statusCode\":503,\"message\":\"busy\"}","count":1})");

  const ProcessResult run = tool.run({"sync"});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM outbox"), 0);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects"),
            tool.store_count("SELECT count(*) FROM indicators"));
  // At the default level the operator sees why the run took longer.
  EXPECT_NE(run.err.find("Sentinel answered 503: busy"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("retrying in"), std::string::npos) << run.err;
}

TEST_F(SyncFailures, SentinelOutageKeepsIndicatorsPendingUntilNextRun) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.retry_budget_seconds = 2;
  tool.configure(spec);
  sandbox.add_fault(R"({"path_contains":"stix-objects","status":500,
    "body":"{\"statusCode\":500,\"message\":\"Internal server error\"}",
    "count":50})");

  const ProcessResult failed = tool.run({"sync"});

  EXPECT_EQ(failed.exit_code, 4) << failed.err;
  EXPECT_NE(failed.err.find("500"), std::string::npos) << failed.err;
  // The requests of the batch that failed are counted too: the run's row
  // says how many times Sentinel was asked, as the sandbox saw it.
  const std::int64_t upload_requests = sandbox.record_count(
      "SELECT count(*) FROM requests WHERE path LIKE '%stix-objects%'");
  EXPECT_GT(upload_requests, 1);
  EXPECT_EQ(tool.store_count("SELECT requests FROM runs"), upload_requests);
  const std::int64_t indicators =
      tool.store_count("SELECT count(*) FROM indicators");
  EXPECT_GT(indicators, 0);
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM outbox"), indicators);

  // Clear the remaining faults, then run again: everything goes out.
  {
    const HttpOptions options;
    HttpClient http(options);
    HttpRequest request;
    request.method = "DELETE";
    request.url = sandbox.url() + "/_sandbox/faults";
    ASSERT_EQ(http.send(request).status, 200);
  }
  const ProcessResult resumed = tool.run({"sync"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM outbox"), 0);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects"), indicators);
}

// Sentinel refuses every request alike (as for a wrong api_version): the
// records are marked rejected, but the run fails with exit 4 rather than
// 1, which systemd would count as a success.
TEST_F(SyncFailures, RequestRefusedWholesaleFailsTheRun) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  tool.configure({});
  sandbox.add_fault(R"({"path_contains":"stix-objects","status":400,
    "body":"{\"error\":{\"code\":\"InvalidApiVersion\",)"
                    R"(\"message\":\"The api-version '2099-01-01' )"
                    R"(is invalid.\"}}","count":1000})");

  const ProcessResult run = tool.run({"sync"});

  EXPECT_EQ(run.exit_code, 4) << run.err;
  EXPECT_THAT(run.err, ::testing::HasSubstr("api-version '2099-01-01'"));
  EXPECT_THAT(run.err, ::testing::HasSubstr("sync --full --resend"));
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM indicators "
                             "WHERE state = 'rejected'"),
            tool.store_count("SELECT count(*) FROM indicators"));
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM runs "
                             "WHERE outcome = 'failed'"),
            1);
}

TEST_F(SyncFailures, WrongMispKeyIsAClearMispError) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);

  const ProcessResult run =
      tool.run({"sync"}, {{"M2S_TEST_MISP_KEY", "wrong-key-000000000000"}});

  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("403"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("wrong-key-000000000000"), std::string::npos);
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM sync_cursor"), 0);
}

TEST_F(SyncFailures, MalformedMispAnswerMovesNoCursor) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  sandbox.add_fault(R"({"path_contains":"restSearch","status":200,
    "body":"{\"response\":[{\"Event\":{\"uuid\":\"x\",","count":1})");

  const ProcessResult run = tool.run({"sync"});

  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("JSON"), std::string::npos) << run.err;
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM sync_cursor"), 0);
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM indicators"), 0);
  EXPECT_EQ(tool.store_count("SELECT outcome='failed' FROM runs"), 1);
}

// One event that cannot be read (here a to_ids of "x") must not hold the
// others back, nor lose its own indicators, nor stay silent.
TEST_F(SyncFailures, UnreadableEventIsNamedAndTheOthersGoThrough) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  EventFile broken(sandbox.events_dir() + "/" + k_small[1]);
  const std::string uuid = broken.event().at("uuid").as_string().c_str();
  boost::json::value& to_ids =
      broken.event().at("Attribute").as_array().at(0).as_object()["to_ids"];
  const boost::json::value original = to_ids;
  to_ids = "x";
  broken.save();

  const ProcessResult run = tool.run({"sync"});

  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("1 event(s) from MISP could not be read"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find(uuid), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("to_ids"), std::string::npos) << run.err;
  const std::int64_t sent =
      tool.store_count("SELECT count(*) FROM indicators WHERE state = "
                       "'active'");
  EXPECT_GT(sent, 0);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects"), sent);
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM indicators WHERE "
                             "event_uuid = '"
                             + uuid + "'"),
            0);

  // Fixed in MISP (an edit), it comes in with the next run.
  to_ids = original;
  broken.touch();
  broken.save();
  const ProcessResult fixed = tool.run({"sync"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_GT(tool.store_count("SELECT count(*) FROM indicators WHERE "
                             "state = 'active' AND event_uuid = '"
                             + uuid + "'"),
            0);
}

TEST_F(SyncFailures, BadClientSecretIsAClearTokenError) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);

  const ProcessResult run =
      tool.run({"sync"}, {{"M2S_TEST_CLIENT_SECRET", "not-the-secret-42"}});

  EXPECT_EQ(run.exit_code, 4) << run.err;
  EXPECT_NE(run.err.find("AADSTS7000215"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("not-the-secret-42"), std::string::npos);
  EXPECT_EQ(run.out.find("not-the-secret-42"), std::string::npos);
  // The MISP side was still read and is queued for the next run.
  EXPECT_GT(tool.store_count("SELECT count(*) FROM outbox"), 0);
}

TEST_F(SyncFailures, UnknownWorkspaceIsAClearSentinelError) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.workspace = "99999999-9999-4999-8999-999999999999";
  tool.configure(spec);

  const ProcessResult run = tool.run({"sync"});

  EXPECT_EQ(run.exit_code, 4) << run.err;
  EXPECT_NE(run.err.find("99999999-9999-4999-8999-999999999999"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("not found"), std::string::npos) << run.err;
}

TEST_F(SyncFailures, InvalidConfigExitsWithUsageCode) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.batch_size = 500;
  tool.configure(spec);

  const ProcessResult run = tool.run({"sync"});

  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("batch_size"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(tool.config_path()), std::string::npos) << run.err;
}

TEST_F(SyncFailures, SecondRunExitsAtOnceWhileTheStoreIsLocked) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  const std::string lock_path = tool.store_path() + ".lock";
  const int fd = ::open(lock_path.c_str(), O_CREAT | O_RDWR, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);

  const ProcessResult run = tool.run({"sync"});
  ::close(fd);

  EXPECT_EQ(run.exit_code, 5) << run.err;
  EXPECT_NE(run.err.find("another misp2sentinel run"), std::string::npos);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM requests"), 0);
}

TEST_F(SyncFailures, SecretsNeverReachOutputOrStore) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.extra =
      "[log]\nlevel = \"trace\"\nfile = \"" + m_dir.file("m2s.log") + "\"\n";
  tool.configure(spec);

  const ProcessResult run = tool.run({"sync"});
  ASSERT_EQ(run.exit_code, 0) << run.err;

  const std::string everything =
      run.out + run.err + read_file(m_dir.file("m2s.log"))
      + read_file(tool.store_path()) + read_file(tool.store_path() + "-wal");
  EXPECT_EQ(everything.find(k_misp_key), std::string::npos);
  EXPECT_EQ(everything.find(k_client_secret), std::string::npos);
  EXPECT_EQ(everything.find("Bearer "), std::string::npos);
}

} // namespace
} // namespace m2s::testing
