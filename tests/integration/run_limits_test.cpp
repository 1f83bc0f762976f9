// The [limits] of issue 7 through the real binary: a total run-time budget
// (run_budget_seconds), a cap on every HTTP answer (max_response_mb: MISP,
// Entra ID, Sentinel) and a JSON depth limit on MISP's pages
// (max_json_depth). Each test also shows that without the limit the same
// input takes another path, so the limit is what made the difference.

#include "sandbox_fixture.hpp"
#include "synthetic_events.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace m2s::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<std::string> k_small = {"MISP_MISP__tests_event.json"};

// A fault answering `path` once with 200 and a text body of `bytes` bytes.
std::string big_answer(const std::string& path, std::size_t bytes) {
  return boost::json::serialize(boost::json::object{
      {"path_contains", path},
      {"status", 200},
      {"body", std::string(bytes, 'x')},
  });
}

class RunLimits : public ::testing::Test {
protected:
  TempDir m_dir;
};

TEST_F(RunLimits, RunPastItsBudgetStopsAndTheNextRunFinishes) {
  Sandbox sandbox(m_dir, {}, k_small);
  write_synthetic_events(sandbox.events_dir(), 25, 2);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.page_size = 10;
  spec.extra = "run_budget_seconds = 1\n";
  tool.configure(spec);
  // The first page alone takes longer than the whole budget.
  sandbox.add_fault(R"({"path_contains":"restSearch","delay_ms":1500})");

  const ProcessResult stopped = tool.run({"sync"});

  EXPECT_EQ(stopped.exit_code, 3) << stopped.err;
  EXPECT_THAT(stopped.err, HasSubstr("[limits] run_budget_seconds"));
  EXPECT_THAT(stopped.err, HasSubstr("next run carries on"));
  EXPECT_EQ(sandbox.record_count(
                "SELECT count(*) FROM requests WHERE path LIKE '%restSearch%'"),
            1);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects"), 0);
  const std::int64_t queued = tool.store_count("SELECT count(*) FROM outbox");
  EXPECT_GT(queued, 0);
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM runs WHERE outcome = "
                             "'failed' AND error LIKE '%run_budget%'"),
            1);

  spec.extra.clear();
  tool.configure(spec);
  const ProcessResult next = tool.run({"sync"});

  EXPECT_EQ(next.exit_code, 0) << next.err;
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM outbox"), 0);
  const std::int64_t active = tool.store_count(
      "SELECT count(*) FROM indicators WHERE state = 'active'");
  EXPECT_GE(active, 50); // 25 synthetic events of 2 addresses, and more
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects"), active);
}

TEST_F(RunLimits, MispAnswerOverTheCapFailsNamingTheSetting) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  // Retries are allowed: an answer over the cap must not be asked again
  // (the fault serves it once; a retry would get the small page).
  spec.retry_budget_seconds = 30;
  spec.extra = "max_response_mb = 1\n";
  tool.configure(spec);
  sandbox.add_fault(big_answer("restSearch", 1536 * 1024));

  const ProcessResult capped = tool.run({"sync"});

  EXPECT_EQ(capped.exit_code, 3) << capped.err;
  EXPECT_THAT(capped.err, HasSubstr("exceeds 1048576 bytes"));
  EXPECT_THAT(capped.err, HasSubstr("[limits] max_response_mb"));
  EXPECT_THAT(capped.err, HasSubstr("lower [misp] page_size"));
  EXPECT_THAT(capped.err, Not(HasSubstr("gave up")));

  // Under the default cap the same answer is read, and is not JSON.
  spec.extra.clear();
  tool.configure(spec);
  sandbox.add_fault(big_answer("restSearch", 1536 * 1024));
  const ProcessResult read = tool.run({"sync"});
  EXPECT_EQ(read.exit_code, 3) << read.err;
  EXPECT_THAT(read.err, Not(HasSubstr("max_response_mb")));
  EXPECT_THAT(read.err, HasSubstr("invalid JSON"));
}

TEST_F(RunLimits, TokenAnswerOverTheCapFailsNamingTheSetting) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.retry_budget_seconds = 0;
  spec.extra = "max_response_mb = 1\n";
  tool.configure(spec);
  sandbox.add_fault(big_answer("oauth2", 1536 * 1024));

  const ProcessResult capped = tool.run({"sync"});

  EXPECT_EQ(capped.exit_code, 4) << capped.err;
  EXPECT_THAT(capped.err, HasSubstr("[limits] max_response_mb"));
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects"), 0);
}

TEST_F(RunLimits, MispPageNestedTooDeepFailsNamingTheSetting) {
  Sandbox sandbox(m_dir, {}, k_small);
  // 24 nested arrays inside the event: 28 levels in the restSearch answer,
  // fine under the default limit of 64.
  write_file(sandbox.events_dir() + "/deep.json",
             R"({"Event":{"uuid":"5a3c2fda-0000-4000-8000-00000000dee9",)"
             R"("id":"901","info":"deep","published":true,)"
             R"("timestamp":"1700000000","publish_timestamp":"1700000000",)"
             R"("Orgc":{"name":"Test"},"Attribute":[],"Extra":)"
                 + std::string(24, '[') + std::string(24, ']') + "}}");
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.retry_budget_seconds = 0;
  spec.extra = "max_json_depth = 20\n";
  tool.configure(spec);

  const ProcessResult deep = tool.run({"sync"});

  EXPECT_EQ(deep.exit_code, 3) << deep.err;
  EXPECT_THAT(deep.err, HasSubstr("[limits] max_json_depth (20)"));

  spec.extra.clear();
  tool.configure(spec);
  const ProcessResult read = tool.run({"sync"});
  EXPECT_EQ(read.exit_code, 0) << read.err;
  EXPECT_EQ(tool.store_count("SELECT count(*) FROM events WHERE "
                             "event_uuid = '5a3c2fda-0000-4000-8000-"
                             "00000000dee9'"),
            1);
}

} // namespace
} // namespace m2s::testing
