#pragma once

// --- The sync engine: MISP pages -> diff against the store -> outbox ->
// Sentinel ---
//
// One run: send what a dead run left in the outbox, read the MISP events
// changed since the cursor (one SQLite transaction per page, cursor moved
// in the same transaction), queue new, changed and removed indicators, then
// drain the outbox in batches. See ARCHITECTURE.md for the rules.

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/store/store.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace m2s {

class MispClient;
struct MispEvent;
struct BatchOutcome;

// What the engine needs from Sentinel; SentinelUploader in production.
class IndicatorSink {
public:
  virtual ~IndicatorSink() = default;
  [[nodiscard]] virtual BatchOutcome
  upload(const std::vector<boost::json::object>& objects) = 0;
};

// What the engine needs from MISP; MispClient in production.
class EventSource {
public:
  virtual ~EventSource() = default;

  struct Page {
    std::vector<MispEvent> events;
    std::size_t events_in_answer = 0;
  };

  // Page `page` (1-based) of events whose `field` is >= `since`.
  [[nodiscard]] virtual Page fetch(const std::string& field,
                                   std::int64_t since, int page,
                                   int limit) = 0;
};

struct SyncOptions {
  bool full = false; // ignore the cursor: read every in-scope event
};

struct SyncSummary {
  std::int64_t run_id = 0;
  RunCounts counts;
  std::int64_t cursor_from = 0;
  std::int64_t cursor_to = 0;
  std::int64_t pending_left = 0;
  std::chrono::milliseconds elapsed{0};
  ExitCode exit_code = ExitCode::ok;
  std::string error; // the failure that ended the run early, if any
};

// Progress of a long phase, for a progress line or periodic log lines.
// `total` is 0 when unknown (MISP pages: the count is not known ahead).
struct SyncProgress {
  const char* phase; // "reading MISP" or "uploading"
  std::int64_t done = 0;
  std::int64_t total = 0;
};

class SyncEngine {
public:
  using NowMs = std::function<std::int64_t()>;
  using ProgressListener = std::function<void(const SyncProgress&)>;

  SyncEngine(const Config& config, Store& store, EventSource& misp,
             IndicatorSink& sentinel, NowMs now_ms);

  // Run one sync. Never throws for MISP or Sentinel failures: they end the
  // run early, are recorded in the runs table and set exit_code. Store
  // failures throw StoreError.
  [[nodiscard]] SyncSummary run(const SyncOptions& options);

  // Called after each MISP page (done = events read) and each upload
  // batch (done/total = versions sent so far / queued at the start).
  void set_progress_listener(ProgressListener listener) {
    m_progress = std::move(listener);
  }

private:
  void read_misp(const SyncOptions& options, SyncSummary& summary);
  void process_event(const MispEvent& event, RunCounts& counts);
  void drain_outbox(RunCounts& counts);

  const Config& m_config;
  Store& m_store;
  EventSource& m_misp;
  IndicatorSink& m_sentinel;
  NowMs m_now_ms;
  ProgressListener m_progress;
};

} // namespace m2s
