// Every query of README.md "Inspecting the store", read from the README
// itself (so the two cannot drift), run against a store that real runs
// populated: each must run and answer its question with rows.

#include "sandbox_fixture.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

namespace m2s::testing {
namespace {

namespace fs = std::filesystem;

struct ReadmeQuery {
  std::string question; // the "-- ..." lines before it
  std::string sql;
};

// The section of README.md under `heading`, up to the next "## ".
std::string readme_section(const std::string& heading) {
  const std::string readme =
      read_file((fs::path(M2S_SOURCE_DIR) / "README.md").string());
  const auto start = readme.find("\n" + heading + "\n");
  if (start == std::string::npos) {
    return {};
  }
  const auto end = readme.find("\n## ", start + 1);
  return readme.substr(start, end == std::string::npos ? end : end - start);
}

// The statements of the ```sql blocks of `section`: each ends with ";" at
// the end of a line, and the comment lines before it are its question.
std::vector<ReadmeQuery> sql_queries(const std::string& section) {
  std::vector<ReadmeQuery> queries;
  std::istringstream lines(section);
  std::string line;
  bool in_sql = false;
  ReadmeQuery current;
  while (std::getline(lines, line)) {
    if (!in_sql) {
      in_sql = line == "```sql";
      continue;
    }
    if (line == "```") {
      in_sql = false;
      continue;
    }
    if (line.rfind("-- ", 0) == 0) {
      current.question += line.substr(3) + " ";
    } else if (!line.empty()) {
      current.sql += line + "\n";
    }
    if (!line.empty() && line.back() == ';') {
      queries.push_back(current);
      current = {};
    }
  }
  return queries;
}

class StoreQueries : public ::testing::Test {
protected:
  TempDir m_dir;
};

TEST(ReadmeQueries, SectionHasSixToTenQuestions) {
  const std::vector<ReadmeQuery> queries =
      sql_queries(readme_section("## Inspecting the store"));

  EXPECT_GE(queries.size(), 6u);
  EXPECT_LE(queries.size(), 10u);
  for (const ReadmeQuery& query : queries) {
    EXPECT_FALSE(query.question.empty()) << query.sql;
  }
}

TEST_F(StoreQueries, EveryReadmeQueryAnswersOnAPopulatedStore) {
  Sandbox sandbox(m_dir,
                  {},
                  {"eset_malware-ioc__telebots_misp-telebots.json",
                   "MISP_MISP__tests_event.json"});
  Misp2Sentinel tool(m_dir, sandbox);

  // A run with one record rejected, then one that leaves work pending.
  sandbox.add_fault(R"({"path_contains":"stix-objects","status":200,
    "count":1,"body":{"errors":[{"recordIndex":1,"errorMessages":[
    "Error for Property=pattern: not a valid STIX pattern"]}]}})");
  ASSERT_EQ(tool.run({"sync"}).exit_code, 1);
  fs::copy_file(
      fs::path(M2S_SOURCE_DIR) / "data" / "misp-events"
          / "MISP_PyMISP__tests_57c4445b-c548-4654-af0b-4be3950d210f.json",
      fs::path(sandbox.events_dir())
          / "MISP_PyMISP__tests_57c4445b-c548-4654-af0b-4be3950d210f.json");
  sandbox.add_fault(R"({"path_contains":"stix-objects","status":403,
    "body":{"error":{"code":"AuthorizationFailed","message":"no role"}}})");
  ASSERT_EQ(tool.run({"sync", "--full"}).exit_code, 4);
  {
    // One indicator close to expiry, as weeks of runs would leave.
    SQLite::Database db(tool.store_path(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE indicators SET valid_until = "
            "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+3 days') "
            "WHERE indicator_id = (SELECT min(indicator_id) FROM indicators "
            "WHERE state = 'active')");
  }
  ASSERT_GT(tool.store_count("SELECT count(*) FROM outbox"), 0);

  const std::vector<ReadmeQuery> queries =
      sql_queries(readme_section("## Inspecting the store"));
  ASSERT_FALSE(queries.empty());
  SQLite::Database db(tool.store_path(), SQLite::OPEN_READONLY);
  for (const ReadmeQuery& query : queries) {
    try {
      SQLite::Statement statement(db, query.sql);
      EXPECT_TRUE(statement.executeStep())
          << "no rows for: " << query.question << "\n"
          << query.sql;
    } catch (const SQLite::Exception& e) {
      ADD_FAILURE() << e.what() << " in: " << query.question << "\n"
                    << query.sql;
    }
  }
}

} // namespace
} // namespace m2s::testing
