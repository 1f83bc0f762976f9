#include "grouped_transaction.hpp"

namespace m2s {

GroupedTransaction::GroupedTransaction(SQLite::Database& db,
                                       std::chrono::milliseconds max_open)
    : m_db(db),
      m_max_open(max_open) {}

void GroupedTransaction::begin() {
  if (m_open) {
    return;
  }
  m_open.emplace(m_db);
  m_opened = std::chrono::steady_clock::now();
}

void GroupedTransaction::step_done() {
  if (m_open && std::chrono::steady_clock::now() - m_opened >= m_max_open) {
    commit();
  }
}

void GroupedTransaction::checkpoint() {
  if (m_open) {
    step_done();
    begin();
  }
}

void GroupedTransaction::commit() {
  if (!m_open) {
    return;
  }
  m_open->commit();
  m_open.reset();
}

} // namespace m2s
