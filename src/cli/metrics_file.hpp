#pragma once

// --- [metrics] textfile: Prometheus text format after each run ---
//
// For node_exporter's textfile collector. Gauges describe the run that just
// ended and the store; the *_total counters are sums over the store's runs
// table, so they survive restarts and reset only with the store.

#include "misp2sentinel/store/store.hpp"
#include "misp2sentinel/sync/sync_engine.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace m2s {

struct MetricsSnapshot {
  std::int64_t last_run_timestamp = 0;     // Unix seconds; the run's end
  std::int64_t last_success_timestamp = 0; // 0: no run has succeeded
  double run_duration_seconds = 0;
  // Indicators per state, in the order active, pending, rejected, revoked.
  std::array<std::int64_t, 4> indicators{};
  std::int64_t indicators_live = 0; // M2S_LIVE_IN_SENTINEL
  std::int64_t outbox_pending = 0;
  std::int64_t objects_sent_total = 0;
  std::int64_t objects_rejected_total = 0;
  std::int64_t run_errors_total = 0; // runs that failed or were interrupted
  int last_run_exit_code = 0;
};

// Read the snapshot for `summary`'s run from `store` (read-only queries).
// A run succeeded when it ended without a MISP, Sentinel or store error
// (outcome ok or some_rejected).
[[nodiscard]] MetricsSnapshot read_metrics(Store& store,
                                           const SyncSummary& summary);

// The Prometheus text exposition of `snapshot`, with HELP and TYPE lines.
[[nodiscard]] std::string format_metrics(const MetricsSnapshot& snapshot);

// Replace `path` with `text` atomically: a temporary file in the same
// folder, fsync, rename over `path`, fsync of the folder. A reader sees
// the old file or the new one, never a part. The file is mode 0644 (the
// collector runs as another user; metrics hold no secret). Throws Error
// (exit code 5) naming the path and the failing step.
void write_file_atomically(const std::string& path, const std::string& text);

// After a run: when `path` is not empty, write the metrics of `summary`.
// Never throws: a metrics problem must not fail the sync; it is logged as
// a warning naming the file (and stale metrics show in the timestamps).
void write_metrics(const std::string& path,
                   Store& store,
                   const SyncSummary& summary);

} // namespace m2s
