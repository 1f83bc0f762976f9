#pragma once

// --- One write transaction over several steps of a run ---
//
// A commit writes every page the transaction touched to the WAL. Committed
// once per MISP page or upload batch, the pages of the store's indexes
// were written again and again (gigabytes for a first sync of a million
// attributes). Held over the steps of about a second and then committed,
// each such page is written about once per second instead. A step is
// still all or nothing: the caller says when one is complete, and only
// complete steps are ever committed. A crash loses at most the steps of
// the open transaction, which the next run does again (MISP pages are
// read again from the unmoved cursor; upload batches are sent again, and
// their ids are deterministic). A large event is committed in parts too
// (checkpoint): what a part committed is what a read of the event again
// finds unchanged.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include <chrono>
#include <optional>

namespace m2s {

class GroupedTransaction {
public:
  // Commits once a transaction has been open `max_open` (a steady clock:
  // this is about write volume, not about the run's business time).
  GroupedTransaction(SQLite::Database& db, std::chrono::milliseconds max_open);
  // An open transaction is rolled back: its last step may be incomplete.
  ~GroupedTransaction() = default;
  GroupedTransaction(const GroupedTransaction&) = delete;
  GroupedTransaction& operator=(const GroupedTransaction&) = delete;

  // Before a step's first write.
  void begin();
  // After a step's last write: commits when the transaction is old enough.
  void step_done();
  // In the middle of a step whose writes may be committed in parts (each
  // part is complete and doing it again is harmless): commits when the
  // transaction is old enough and goes on in a new one.
  void checkpoint();
  // Commits the complete steps now (the end of a phase, or a failure that
  // happened between steps).
  void commit();

private:
  SQLite::Database& m_db;
  std::chrono::milliseconds m_max_open;
  std::optional<SQLite::Transaction> m_open;
  std::chrono::steady_clock::time_point m_opened;
};

} // namespace m2s
