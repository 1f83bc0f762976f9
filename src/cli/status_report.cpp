#include "status_report.hpp"

#include "misp2sentinel/store/run_lock.hpp"
#include "misp2sentinel/store/store.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "misp2sentinel/util/time.hpp"

#include <SQLiteCpp/Statement.h>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <sqlite3.h>

namespace m2s {

namespace {

constexpr std::int64_t k_ms_per_day = 86'400'000;
constexpr const char* k_states[] = {"active", "pending", "rejected", "revoked"};

boost::json::value column_value(const SQLite::Column& column) {
  switch (column.getType()) {
  case SQLITE_INTEGER:
    return column.getInt64();
  case SQLITE_FLOAT:
    return column.getDouble();
  case SQLITE_NULL:
    return nullptr;
  default:
    return boost::json::string(column.getString());
  }
}

// Every row of `q` as an object keyed by column name.
boost::json::array rows(SQLite::Statement& q) {
  boost::json::array list;
  while (q.executeStep()) {
    boost::json::object row;
    for (int i = 0; i < q.getColumnCount(); ++i) {
      row[q.getColumnName(i)] = column_value(q.getColumn(i));
    }
    list.push_back(std::move(row));
  }
  return list;
}

boost::json::object state_counts() {
  boost::json::object counts;
  for (const char* state : k_states) {
    counts[state] = 0;
  }
  return counts;
}

boost::json::value cursor(SQLite::Database& db) {
  SQLite::Statement q(db,
                      "SELECT field, position_epoch, updated_at "
                      "FROM sync_cursor WHERE name = 'misp_events'");
  if (!q.executeStep()) {
    return nullptr;
  }
  const std::int64_t position = q.getColumn(1).getInt64();
  return boost::json::object{
      {"field", boost::json::string(q.getColumn(0).getString())},
      {"position", format_utc(position)},
      {"position_epoch", position},
      {"updated_at", boost::json::string(q.getColumn(2).getString())}};
}

boost::json::value last_success(SQLite::Database& db) {
  SQLite::Statement q(db,
                      "SELECT run_id, mode, finished_at, outcome FROM runs "
                      "WHERE outcome IN ('ok', 'some_rejected') "
                      "ORDER BY run_id DESC LIMIT 1");
  boost::json::array found = rows(q);
  return found.empty() ? boost::json::value(nullptr) : found.front();
}

void add_indicator_counts(SQLite::Database& db, boost::json::object& report) {
  boost::json::object by_state = state_counts();
  boost::json::object by_type;
  std::int64_t live = 0;
  SQLite::Statement q(db,
                      "SELECT observable_type, state, count(*), "
                      "sum(" M2S_LIVE_IN_SENTINEL ") "
                      "FROM indicators GROUP BY 1, 2 ORDER BY 1, 2");
  while (q.executeStep()) {
    const std::string type = q.getColumn(0).getString();
    const std::string state = q.getColumn(1).getString();
    const std::int64_t count = q.getColumn(2).getInt64();
    live += q.getColumn(3).getInt64();
    by_state[state] = by_state[state].as_int64() + count;
    if (!by_type.contains(type)) {
      by_type[type] = state_counts();
    }
    by_type[type].as_object()[state] = count;
  }
  report["indicators"] = std::move(by_state);
  report["indicators_by_type"] = std::move(by_type);
  report["indicators_live"] = live;
}

boost::json::object outbox(SQLite::Database& db) {
  SQLite::Statement q(db,
                      "SELECT count(*), min(queued_at), "
                      "coalesce(sum(attempts > 0), 0), "
                      "(SELECT last_error FROM outbox WHERE last_error IS "
                      "NOT NULL ORDER BY seq DESC LIMIT 1) FROM outbox");
  q.executeStep();
  return {{"queued", q.getColumn(0).getInt64()},
          {"oldest_queued_at", column_value(q.getColumn(1))},
          {"with_failed_attempts", q.getColumn(2).getInt64()},
          {"last_error", column_value(q.getColumn(3))}};
}

boost::json::object refresh(SQLite::Database& db, const StatusQuery& query) {
  boost::json::object result{{"before_days", query.refresh_before_days},
                             {"due_before", nullptr},
                             {"due", 0}};
  // The same threshold the engine compares valid_until with.
  if (query.refresh_before_days > 0) {
    const std::string before =
        format_utc_ms(query.now_ms + query.refresh_before_days * k_ms_per_day);
    SQLite::Statement q(db,
                        "SELECT count(*) FROM indicators WHERE "
                        "state = 'active' AND valid_until < ?1");
    q.bind(1, before);
    q.executeStep();
    result["due_before"] = before;
    result["due"] = q.getColumn(0).getInt64();
  }

  SQLite::Statement earliest(db,
                             "SELECT min(valid_until) FROM indicators "
                             "WHERE state = 'active'");
  earliest.executeStep();
  result["earliest_valid_until"] = column_value(earliest.getColumn(0));
  return result;
}

boost::json::array runs(SQLite::Database& db, int limit) {
  SQLite::Statement q(db,
                      "SELECT *, round((julianday(finished_at) - "
                      "julianday(started_at)) * 86400.0, 1) "
                      "AS duration_seconds FROM runs "
                      "ORDER BY run_id DESC LIMIT ?1");
  q.bind(1, limit);
  return rows(q);
}

boost::json::array
top(SQLite::Database& db, const std::string& sql, int limit) {
  SQLite::Statement q(db, sql);
  q.bind(1, limit);
  return rows(q);
}

// A run killed outright stays 'running' until the next run marks it
// interrupted: only the lock tells one in progress from one that died.
void mark_runs_in_progress(boost::json::array& runs, const std::string& path) {
  const std::optional<bool> held = run_lock_held(path);
  for (boost::json::value& run : runs) {
    boost::json::object& row = run.as_object();
    const auto* outcome = row.if_contains("outcome");
    if (held && outcome != nullptr && outcome->is_string()
        && outcome->get_string() == "running") {
      row["in_progress"] = *held;
    }
  }
}

} // namespace

boost::json::object read_status(SQLite::Database& db,
                                const std::string& path,
                                const StatusQuery& query) {
  boost::json::object report;
  try {
    report["store"] = {
        {"path", path},
        {"exists", true},
        {"schema_version", db.execAndGet("PRAGMA user_version").getInt()}};
    report["cursor"] = cursor(db);
    report["last_success"] = last_success(db);
    add_indicator_counts(db, report);
    report["outbox"] = outbox(db);
    report["refresh"] = refresh(db, query);
    report["runs"] = runs(db, query.runs);
    mark_runs_in_progress(report["runs"].as_array(), path);
    report["top_rejections"] =
        top(db,
            "SELECT rejection AS reason, count(*) AS indicators "
            "FROM indicators WHERE state = 'rejected' GROUP BY 1 "
            "ORDER BY 2 DESC, 1 LIMIT ?1",
            query.top_reasons);
    report["top_skip_reasons"] =
        top(db,
            "SELECT skip_reason AS reason, count(*) AS attributes "
            "FROM attributes WHERE outcome = 'skipped' GROUP BY 1 "
            "ORDER BY 2 DESC, 1 LIMIT ?1",
            query.top_reasons);
  } catch (const SQLite::Exception& e) {
    throw StoreError(fmt::format(
        "{}: cannot read the store (is it a misp2sentinel store?): {}",
        path,
        e.what()));
  }
  return report;
}

boost::json::object missing_store_status(const std::string& path) {
  return {{"store", {{"path", path}, {"exists", false}}}};
}

} // namespace m2s
