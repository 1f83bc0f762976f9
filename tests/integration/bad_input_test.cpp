// The bad-input catalogue through the real binary (issue 7): the cases
// whose outcome is about the store or Sentinel's answers. Each run either
// completes with the right state or stops with the documented exit code
// and keeps what it could not send; the next run finishes the job.
// (Parsing and conversion cases: tests/unit/bad_input_catalogue_test.cpp.)

#include "misp2sentinel/http/http_client.hpp"
#include "sandbox_fixture.hpp"

#include <SQLiteCpp/Database.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace m2s::testing {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> k_small = {"MISP_MISP__tests_event.json"};

void clear_faults(const Sandbox& sandbox) {
  HttpClient http(HttpOptions{});
  HttpRequest request;
  request.method = "DELETE";
  request.url = sandbox.url() + "/_sandbox/faults";
  ASSERT_EQ(http.send(request).status, 200);
}

std::string store_text(const std::string& store, const std::string& sql) {
  SQLite::Database db(store);
  return db.execAndGet(sql).getString();
}

// An event file with one to_ids attribute.
std::string event_file(const std::string& event_uuid,
                       const std::string& attribute_uuid,
                       const std::string& type,
                       const std::string& value_json) {
  return R"({"Event":{"uuid":")" + event_uuid
         + R"(","info":"bad input","published":true,)"
           R"("timestamp":"1700000000","publish_timestamp":"1700000000",)"
           R"("Attribute":[{"uuid":")"
         + attribute_uuid + R"(","type":")" + type + R"(","value":)"
         + value_json + R"(,"to_ids":true,"timestamp":"1700000000"}]}})";
}

class BadInput : public ::testing::Test {
protected:
  TempDir m_dir;
};

// A proxy's page instead of MISP's answer: the run stops at once (the
// same page would come back), says so, and leaves the store unread.
TEST_F(BadInput, HtmlOkFromAProxyInFrontOfMispStopsTheRunAtOnce) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  tool.configure(ConfigSpec{});
  sandbox.add_fault(R"({"path_contains":"restSearch","status":200,
    "body":"<html><body>Proxy login</body></html>","count":1000})");

  const ProcessResult run = tool.run({"sync"});

  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_THAT(run.err, HasSubstr("restSearch"));
  EXPECT_THAT(run.err, HasSubstr("invalid JSON at offset"));
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM requests WHERE "
                                 "path LIKE '%restSearch%'"),
            1);
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM events"), 0);
}

TEST_F(BadInput, HtmlOkFromAProxyKeepsTheBatchQueued) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.retry_budget_seconds = 0;
  tool.configure(spec);
  sandbox.add_fault(R"({"path_contains":"stix-objects","status":200,
    "body":"<html><body>Proxy login</body></html>","count":1000})");

  const ProcessResult run = tool.run({"sync"});

  EXPECT_EQ(run.exit_code, 4) << run.err;
  EXPECT_THAT(run.err,
              HasSubstr("Sentinel answered 200 with a body that is not a "
                        "JSON object"));
  EXPECT_GT(tool.store_count("SELECT count(*) FROM outbox"), 0);
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM indicators "
                             "WHERE state = 'active'"),
            0);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects"), 0);

  clear_faults(sandbox);
  const ProcessResult again = tool.run({"sync"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM outbox"), 0);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects"),
            tool.store_count("SELECT count(*) FROM indicators"));
}

TEST_F(BadInput, RecordIndexOutsideTheBatchKeepsTheBatchQueued) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  sandbox.add_fault(R"({"path_contains":"stix-objects","status":200,
    "body":{"errors":[{"recordIndex":999,"errorMessages":["?"]}]},
    "count":1})");

  const ProcessResult run = tool.run({"sync"});

  EXPECT_EQ(run.exit_code, 4) << run.err;
  EXPECT_THAT(run.err, HasSubstr("names a record outside the batch"));
  EXPECT_GT(tool.store_count("SELECT count(*) FROM outbox"), 0);
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM indicators "
                             "WHERE state = 'rejected'"),
            0);

  const ProcessResult again = tool.run({"sync"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM outbox"), 0);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects"),
            tool.store_count("SELECT count(*) FROM indicators"));
}

// SQL and STIX metacharacters in a value are data: the store holds the
// value verbatim, Sentinel gets one valid, escaped comparison.
TEST_F(BadInput, QuotesAndSqlInAValueAreJustData) {
  Sandbox sandbox(m_dir, {}, {"none"});
  write_file(sandbox.events_dir() + "/hostile.json",
             event_file("c1a2b3c4-0000-4000-8000-000000000001",
                        "c1a2b3c4-0000-4000-8000-0000000000a1",
                        "filename",
                        R"("x'); DROP TABLE attributes; )"
                        R"(--\\'] OR [a:b = 'c")"));
  Misp2Sentinel tool(m_dir, sandbox);

  const ProcessResult run = tool.run({"sync"});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(store_text(tool.store_path(), "SELECT value FROM attributes"),
            R"(x'); DROP TABLE attributes; --\'] OR [a:b = 'c)");
  EXPECT_EQ(store_text(tool.store_path(), "PRAGMA integrity_check"), "ok");
  SQLite::Database record(sandbox.record_path());
  EXPECT_EQ(record.execAndGet("SELECT pattern FROM objects").getString(),
            R"([file:name = 'x\'); DROP TABLE attributes; --\\\'] OR )"
            R"([a:b = \'c'])");
}

// An address followed by a NUL and more text is not that address: the
// attribute is skipped with its reason, and Sentinel gets nothing.
TEST_F(BadInput, NulInAnIpSkipsTheAttribute) {
  Sandbox sandbox(m_dir, {}, {"none"});
  write_file(sandbox.events_dir() + "/nul.json",
             event_file("c1a2b3c4-0000-4000-8000-000000000001",
                        "c1a2b3c4-0000-4000-8000-0000000000a1",
                        "ip-dst",
                        R"("198.51.100.13\u0000x")"));
  Misp2Sentinel tool(m_dir, sandbox);

  const ProcessResult run = tool.run({"sync"});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(store_text(tool.store_path(), "SELECT skip_reason FROM attributes"),
            "invalid value");
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM indicators"), 0);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects"), 0);
}

// Two events claim the same attribute uuid (a copy between instances, a
// hand-edited feed): the runs complete, the store stays consistent, and a
// second run has nothing to send (no revoke/re-add ping-pong).
TEST_F(BadInput, DuplicateAttributeUuidAcrossEventsIsStable) {
  Sandbox sandbox(m_dir, {}, {"none"});
  const std::string shared = "c1a2b3c4-0000-4000-8000-0000000000a1";
  write_file(sandbox.events_dir() + "/a.json",
             event_file("c1a2b3c4-0000-4000-8000-000000000001",
                        shared,
                        "ip-dst",
                        R"("203.0.113.7")"));
  write_file(sandbox.events_dir() + "/b.json",
             event_file("c1a2b3c4-0000-4000-8000-000000000002",
                        shared,
                        "ip-dst",
                        R"("203.0.113.8")"));
  Misp2Sentinel tool(m_dir, sandbox);

  const ProcessResult first = tool.run({"sync"});
  const ProcessResult second = tool.run({"sync", "--full"});

  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(store_text(tool.store_path(), "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM outbox"), 0);
  EXPECT_EQ(tool.store_count("SELECT objects_sent FROM runs "
                             "WHERE run_id = 2"),
            0);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects "
                                 "WHERE revoked = 1"),
            0);
}

} // namespace
} // namespace m2s::testing
