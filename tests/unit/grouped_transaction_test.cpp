// src/sync/grouped_transaction.hpp: complete steps are committed together,
// an open step is never committed by accident.

#include "grouped_transaction.hpp"

#include "temp_dir.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

namespace m2s {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

class GroupedTransactionTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_db = std::make_unique<SQLite::Database>(
        m_dir.file("t.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    m_db->exec("PRAGMA journal_mode = WAL");
    m_db->exec("CREATE TABLE steps (n INTEGER)");
  }

  // What another connection sees: only committed rows.
  std::int64_t committed_rows() {
    SQLite::Database reader(m_dir.file("t.db"), SQLite::OPEN_READONLY);
    return reader.execAndGet("SELECT count(*) FROM steps").getInt64();
  }

  void write_step(int n) {
    m_db->exec("INSERT INTO steps VALUES (" + std::to_string(n) + ")");
  }

  testing::TempDir m_dir;
  std::unique_ptr<SQLite::Database> m_db;
};

TEST_F(GroupedTransactionTest, StepsWaitForTheCommit) {
  GroupedTransaction group(*m_db, hours(1));

  for (int n = 0; n < 3; ++n) {
    group.begin();
    write_step(n);
    group.step_done();
  }
  EXPECT_EQ(committed_rows(), 0);

  group.commit();
  EXPECT_EQ(committed_rows(), 3);
}

TEST_F(GroupedTransactionTest, OldEnoughTransactionIsCommittedAfterAStep) {
  GroupedTransaction group(*m_db, milliseconds(0));

  group.begin();
  write_step(1);
  EXPECT_EQ(committed_rows(), 0);
  group.step_done();

  EXPECT_EQ(committed_rows(), 1);
}

TEST_F(GroupedTransactionTest, AnOpenStepIsRolledBack) {
  {
    GroupedTransaction group(*m_db, hours(1));
    group.begin();
    write_step(1);
    group.step_done();
    group.commit();

    group.begin();
    write_step(2); // the step never completes: an exception, say
  }

  EXPECT_EQ(committed_rows(), 1);
}

TEST_F(GroupedTransactionTest, CheckpointCommitsAndGoesOnInANewTransaction) {
  GroupedTransaction group(*m_db, milliseconds(0));
  group.begin();
  write_step(1);

  group.checkpoint();
  EXPECT_EQ(committed_rows(), 1);
  write_step(2);
  EXPECT_EQ(committed_rows(), 1); // inside the new transaction

  group.commit();
  EXPECT_EQ(committed_rows(), 2);
}

TEST_F(GroupedTransactionTest, CheckpointOfAYoungTransactionWaits) {
  GroupedTransaction group(*m_db, hours(1));
  group.begin();
  write_step(1);

  group.checkpoint();

  EXPECT_EQ(committed_rows(), 0);
}

TEST_F(GroupedTransactionTest, CommitWithNothingOpenDoesNothing) {
  GroupedTransaction group(*m_db, hours(1));

  EXPECT_NO_THROW(group.commit());
  EXPECT_EQ(committed_rows(), 0);
}

} // namespace
} // namespace m2s
