#pragma once

// --- The sync engine: MISP pages -> diff against the store -> outbox ->
// Sentinel ---
//
// One run: send what a dead run left in the outbox, read the MISP events
// changed since the cursor (one SQLite transaction per page, cursor moved
// in the same transaction), queue new, changed and removed indicators, then
// drain the outbox in batches. See ARCHITECTURE.md for the rules.

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/misp/event_parser.hpp"
#include "misp2sentinel/store/store.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

namespace m2s {

class MispClient;
struct MispEvent;
struct BatchOutcome;
class GroupedTransaction;

// What the engine needs from Sentinel; SentinelUploader in production.
// Gets queued versions from the outbox: their stix_object is the JSON text
// to send, as it is; indices in the outcome are indices into `batch`.
class IndicatorSink {
public:
  virtual ~IndicatorSink() = default;
  [[nodiscard]] virtual BatchOutcome
  upload(const std::vector<OutboxItem>& batch) = 0;
};

// What the engine needs from MISP; MispClient in production.
class EventSource {
public:
  virtual ~EventSource() = default;

  struct Query {
    std::string field; // "timestamp" or "publish_timestamp"
    std::int64_t since = 0;
    int page = 1; // 1-based
    int limit = 100;
    std::vector<std::string> event_uuids; // when set: only these events
    bool tags_on_server = true;           // MISP applies tags/not_tags
  };

  struct Page {
    std::vector<MispEvent> events;
    std::size_t events_in_answer = 0;
    // Events of the answer that could not be read; the others still are.
    std::vector<EventParseFailure> unreadable;
  };

  struct IndexEntry {
    std::string uuid;
    bool published = false;
  };

  // One page of events matching `query`, ordered by `query.field`.
  [[nodiscard]] virtual Page fetch(const Query& query) = 0;

  // Every event the key may see (uuid and published flag).
  [[nodiscard]] virtual std::vector<IndexEntry> index() = 0;
};

struct SyncOptions {
  bool full = false;   // ignore the cursor; find vanished events too
  bool resend = false; // with full: send every active indicator again
  // With full: revoke the events MISP's index no longer lists even when
  // they are more than half of those with indicators.
  bool allow_mass_revocation = false;
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
  // Events MISP sent that could not be read, and the first one's message.
  std::int64_t events_unreadable = 0;
  std::string first_unreadable;
  // Stored events with indicators that a --full run did not revoke
  // although MISP's answers left them out, because the answers looked
  // wrong (an empty read or index, or most events missing from the index
  // without --allow-mass-revocation); and what the run says about it.
  std::int64_t removals_refused = 0;
  std::string removals_refused_why;
  // Stopped by SIGTERM or SIGINT (runs.outcome 'interrupted').
  bool interrupted = false;
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

  SyncEngine(const Config& config,
             Store& store,
             EventSource& misp,
             IndicatorSink& sentinel,
             NowMs now_ms);

  // Run one sync. Never throws for MISP or Sentinel failures: they end the
  // run early, are recorded in the runs table and set exit_code. Store
  // failures throw StoreError. A run past [limits] run_budget_seconds
  // stops before its next MISP page or upload batch, keeps what it read
  // queued and ends with exit code 3 (while reading MISP) or 4 (while
  // uploading); the next run carries on.
  [[nodiscard]] SyncSummary run(const SyncOptions& options);

  // Revoke what this tool sent for `event_uuids` (all events when empty
  // and `all`), remember them so that syncs leave them alone, and send
  // the revocations.
  [[nodiscard]] SyncSummary revoke(const std::vector<std::string>& event_uuids,
                                   bool all);

  // For the clients, before they sleep (a retry's backoff, the rate
  // limit): commits the store transaction that groups finished steps, so
  // that the wait holds neither uncommitted verdicts nor the write lock.
  // Waits come only inside fetch() and upload(), between steps.
  void commit_before_waiting();

  // Called after each MISP page (done = events read) and each upload
  // batch (done/total = versions sent so far / queued at the start).
  void set_progress_listener(ProgressListener listener) {
    m_progress = std::move(listener);
  }

private:
  void read_misp(const SyncOptions& options, SyncSummary& summary);
  void remove_vanished_events(SyncSummary& summary, bool allow_mass_revocation);
  void confirm_left_scope(const std::vector<std::string>& listed,
                          SyncSummary& summary);
  void revoke_unpublished(const std::vector<std::string>& events,
                          SyncSummary& summary);
  // Revoke what these events have live, in one transaction (`why` for the
  // debug log); returns how many had something to revoke.
  std::int64_t revoke_events(const std::vector<std::string>& events,
                             const char* why,
                             SyncSummary& summary);
  void revoke_deleted(const std::vector<std::string>& deleted,
                      std::size_t live_events,
                      SyncSummary& summary,
                      bool allow_mass_revocation);
  // Read and apply these events (pages of page_size, no cursor move, no
  // tag filter on the server); the uuids MISP answered with.
  std::set<std::string>
  read_events_by_uuid(const std::vector<std::string>& uuids,
                      SyncSummary& summary);
  void refresh_expiring(SyncSummary& summary);
  // The query both ways of reading MISP start from.
  [[nodiscard]] EventSource::Query page_query() const;
  // One step of reading MISP: fetch one page and apply it.
  EventSource::Page read_page(const EventSource::Query& query,
                              SyncSummary& summary,
                              bool move_cursor,
                              GroupedTransaction& group);
  void apply_page(const std::vector<MispEvent>& events,
                  SyncSummary& summary,
                  bool move_cursor,
                  GroupedTransaction& group);
  void drain_outbox(RunCounts& counts);
  void note_unreadable(const std::vector<EventParseFailure>& unreadable,
                       SyncSummary& summary);
  SyncSummary finish(SyncSummary summary,
                     std::int64_t started_ms,
                     const std::optional<Error>& failure);
  // Throws when SIGTERM or SIGINT asked the run to stop, or when [limits]
  // run_budget_seconds has passed since the run started; called between
  // steps, never inside one.
  void stop_if_due(const char* phase, ExitCode code) const;

  const Config& m_config;
  Store& m_store;
  EventSource& m_misp;
  IndicatorSink& m_sentinel;
  NowMs m_now_ms;
  ProgressListener m_progress;
  // Events read in this run, so that the refresh phase and the vanished
  // check do not ask MISP for them again.
  std::set<std::string> m_events_seen;
  // Sentinel's answer when it refused a whole batch alike in this run
  // (a setting, not the records): the run then fails with exit 4.
  std::string m_refused_wholesale;
  bool m_unreadable_without_uuid = false;
  std::string m_refresh_before;
  // Events with active indicators due for refresh at the run's start: they
  // are always converted, never skipped as unchanged.
  std::unordered_set<std::string> m_refresh_due;
  bool m_resend = false;
  std::int64_t m_started_ms = 0;
  // The group of the phase running now, for commit_before_waiting().
  GroupedTransaction* m_group = nullptr;
};

} // namespace m2s
