#pragma once

// --- What `misp2sentinel status` reads from the store ---
//
// One JSON object is the report: `status --json` prints it, and the text
// form is rendered from it, so the two always agree. Times are ISO-8601
// UTC text. Reads only tables of schema 1, so it works on any store this
// binary can open. Never writes.

#include <SQLiteCpp/Database.h>
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

namespace m2s {

struct StatusQuery {
  int runs = 5;        // how many of the last runs to list
  int top_reasons = 5; // rejection and skip reasons listed
  // Active indicators whose valid_until is before now + this many days are
  // due for refresh; 0: refresh is off ([indicators] refresh_before_days,
  // or expire_from = "valid_from").
  int refresh_before_days = 7;
  std::int64_t now_ms = 0;
};

// The report of the store in `db` at `path`:
//   store {path, exists, schema_version}
//   cursor {field, position, position_epoch, updated_at} or null
//   last_success {run_id, mode, finished_at, outcome} or null (a run that
//     ended without error: outcome ok or some_rejected)
//   indicators {active, pending, rejected, revoked}: the newest versions
//   indicators_live: live in Sentinel (M2S_LIVE_IN_SENTINEL)
//   indicators_by_type {type: {active, pending, rejected, revoked}}
//   outbox {queued, oldest_queued_at, with_failed_attempts, last_error}
//   refresh {before_days, due_before, due, earliest_valid_until}
//   runs [{every column of runs, duration_seconds}], newest first; a
//     'running' one also has in_progress: whether a process holds the
//     store's lock (false: it was killed; the next run marks it
//     interrupted)
//   top_rejections [{reason, indicators}], top_skip_reasons [{reason,
//     attributes}], most common first
// Throws StoreError naming `path` when `db` is not a store.
[[nodiscard]] boost::json::object read_status(SQLite::Database& db,
                                              const std::string& path,
                                              const StatusQuery& query);

// The report when there is no store file yet: store {path, exists: false}.
[[nodiscard]] boost::json::object missing_store_status(const std::string& path);

} // namespace m2s
