#include "misp2sentinel/sync/sync_engine.hpp"

#include "event_diff.hpp"
#include "grouped_transaction.hpp"
#include "misp2sentinel/misp/event.hpp"
#include "misp2sentinel/sentinel/uploader.hpp"
#include "misp2sentinel/util/termination.hpp"
#include "misp2sentinel/util/time.hpp"

#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <optional>

namespace m2s {

namespace {

constexpr std::int64_t k_ms_per_day = 24LL * 3600LL * 1000LL;

// More events than this deleted at once, and more than half of those with
// indicators, need `sync --full --allow-mass-revocation` (revoke_deleted).
constexpr std::size_t k_mass_revocation_events = 10;

// How long MISP pages or upload batches share one store transaction
// (see grouped_transaction.hpp): long enough that a commit writes each
// index page once for many rows, short enough that a crash costs little.
constexpr std::chrono::milliseconds k_group_commit{1000};

const char* cursor_field(const Config& config) {
  // With only published events in scope, publish_timestamp is the field
  // that moves when data becomes visible: an edit unpublishes an event
  // without a later timestamp change, and events pulled from other MISP
  // instances keep their old timestamps but get a local publish time.
  return config.misp.filters.published ? "publish_timestamp" : "timestamp";
}

std::int64_t event_position(const MispEvent& event, const std::string& field) {
  return field == "publish_timestamp" ? event.publish_timestamp
                                      : event.timestamp;
}

bool has_tag_filters(const MispFilters& filters) {
  return !filters.tags.empty() || !filters.not_tags.empty();
}

// Wall and CPU time of one phase, for its closing log line: a slow
// phase that used little CPU was waiting for MISP or Sentinel.
class PhaseClock {
public:
  PhaseClock()
      : m_wall(std::chrono::steady_clock::now()),
        m_cpu(process_cpu_seconds()) {}

  // "12.3 s, 4.56 s of CPU"
  [[nodiscard]] std::string elapsed() const {
    const std::chrono::duration<double> wall =
        std::chrono::steady_clock::now() - m_wall;
    return fmt::format("{:.1f} s, {:.2f} s of CPU",
                       wall.count(),
                       process_cpu_seconds() - m_cpu);
  }

private:
  std::chrono::steady_clock::time_point m_wall;
  double m_cpu;
};

// [limits] run_budget_seconds is used up, or SIGTERM or SIGINT asked the
// run to stop. Carries the exit code of the phase it stopped (3 reading
// MISP, 4 uploading), since a slow MISP or a throttled Sentinel is what
// uses a budget up.
class RunStopped : public Error {
public:
  RunStopped(ExitCode code, const std::string& message)
      : Error(code, message) {}
};

// Each page leaves the store complete, so a MISP failure or a stop
// between pages keeps what the pages before it applied; any other error
// may have come in the middle of a page and rolls the open group back.
template <typename ReadPages>
void read_in_pages(GroupedTransaction& group, ReadPages read_pages) {
  try {
    read_pages();
  } catch (const MispError&) {
    group.commit();
    throw;
  } catch (const RunStopped&) {
    group.commit();
    throw;
  }
  group.commit();
}

// Lends a phase's group to commit_before_waiting() while the phase runs.
class CurrentGroup {
public:
  CurrentGroup(GroupedTransaction*& slot, GroupedTransaction& group)
      : m_slot(slot) {
    m_slot = &group;
  }

  ~CurrentGroup() {
    m_slot = nullptr;
  }

  CurrentGroup(const CurrentGroup&) = delete;
  CurrentGroup& operator=(const CurrentGroup&) = delete;

private:
  GroupedTransaction*& m_slot;
};

// A --full run that keeps indicators MISP's answers left out, because
// the answers look wrong: it says so now and ends with exit code 3, so
// that cron and the metrics file do not take it for a good run.
void refuse_removals(SyncSummary& summary,
                     std::size_t events,
                     std::string why) {
  spdlog::warn("{}", why);
  summary.removals_refused = static_cast<std::int64_t>(events);
  summary.removals_refused_why = std::move(why);
}

} // namespace

SyncEngine::SyncEngine(const Config& config,
                       Store& store,
                       EventSource& misp,
                       IndicatorSink& sentinel,
                       NowMs now_ms)
    : m_config(config),
      m_store(store),
      m_misp(misp),
      m_sentinel(sentinel),
      m_now_ms(std::move(now_ms)) {}

SyncSummary SyncEngine::run(const SyncOptions& options) {
  const std::int64_t started_ms = m_now_ms();
  m_started_ms = started_ms;
  SyncSummary summary;
  m_events_seen.clear();
  m_unreadable_without_uuid = false;
  m_refused_wholesale.clear();
  m_resend = options.full && options.resend;
  m_refresh_before.clear();
  m_refresh_due.clear();
  if (m_config.indicators.expire_from == ExpireFrom::now
      && m_config.indicators.refresh_before_days > 0) {
    m_refresh_before = format_utc_ms(
        started_ms + m_config.indicators.refresh_before_days * k_ms_per_day);
    for (std::string& uuid : m_store.events_due_for_refresh(m_refresh_before)) {
      m_refresh_due.insert(std::move(uuid));
    }
  }

  const int interrupted = m_store.close_interrupted_runs();
  if (interrupted > 0) {
    spdlog::warn("Found {} run(s) that stopped before finishing; their "
                 "pending indicators are sent first",
                 interrupted);
  }

  const auto stored = m_store.cursor();
  const char* field = cursor_field(m_config);
  const bool same_field = stored && stored->field == field;
  summary.cursor_from =
      options.full || !same_field ? 0 : stored->position_epoch;
  const char* mode = !options.full ? "delta"
                     : m_resend    ? "full-resend"
                                   : "full";
  summary.run_id = m_store.begin_run(mode, summary.cursor_from);
  // A full run reads from the start but moves the cursor only forward:
  // an empty answer or a run stopped part-way would otherwise send the
  // next delta back over everything.
  summary.cursor_to = same_field ? stored->position_epoch : 0;

  std::optional<Error> failure;
  // Set when the run budget is spent or a stop was asked: no further
  // step starts.
  bool stop = false;
  const std::int64_t leftover = m_store.outbox_size();
  if (leftover > 0) {
    spdlog::info("Resuming: {} indicator version(s) left pending by an "
                 "earlier run",
                 leftover);
    try {
      drain_outbox(summary.counts);
    } catch (const SentinelError& e) {
      failure = e;
      // A signal during a wait ends the batch as a Sentinel failure.
      stop = termination_signal() != 0;
    } catch (const RunStopped& e) {
      failure = e;
      stop = true;
    }
  }

  if (!stop) {
    try {
      read_misp(options, summary);
      if (options.full) {
        stop_if_due("reading MISP", ExitCode::misp_error);
        remove_vanished_events(summary, options.allow_mass_revocation);
      }
      refresh_expiring(summary);
      // A stop asked during the last page is a stop while reading, not
      // one at the first upload batch.
      stop_if_due("reading MISP", ExitCode::misp_error);
    } catch (const MispError& e) {
      if (!failure) {
        failure = e;
      }
    } catch (const RunStopped& e) {
      if (!failure) {
        failure = e;
      }
      stop = true;
    }
  }

  // Queued work from the pages that were read still goes out, even when
  // MISP failed part-way; only a Sentinel failure or a spent budget stops
  // it.
  if (!stop && (!failure || failure->code() != ExitCode::sentinel_error)) {
    try {
      drain_outbox(summary.counts);
    } catch (const SentinelError& e) {
      failure = e;
    } catch (const RunStopped& e) {
      failure = e;
    }
  }

  if (!failure && summary.removals_refused > 0) {
    failure = MispError(summary.removals_refused_why);
  }
  if (!failure && summary.events_unreadable > 0) {
    failure = MispError(fmt::format(
        "{} event(s) from MISP could not be read and were left as they "
        "were, with their indicators; the rest of the run went through. "
        "First: {}. Once the event is fixed in MISP, its next edit (or "
        "sync --full) brings it in",
        summary.events_unreadable,
        summary.first_unreadable));
  }
  return finish(std::move(summary), started_ms, failure);
}

SyncSummary SyncEngine::revoke(const std::vector<std::string>& event_uuids,
                               bool all) {
  const std::int64_t started_ms = m_now_ms();
  m_started_ms = started_ms;
  SyncSummary summary;
  (void)m_store.close_interrupted_runs();
  summary.run_id = m_store.begin_run("revoke", 0);

  const std::vector<std::string> events =
      all ? m_store.all_event_uuids() : event_uuids;
  {
    SQLite::Transaction transaction(m_store.database());
    for (const std::string& uuid : events) {
      m_store.add_operator_revocation(uuid);
      const std::int64_t revoked = revoke_event(m_store, uuid, m_now_ms());
      summary.counts.indicators_revoked += revoked;
      summary.counts.events_removed += revoked > 0 ? 1 : 0;
    }
    transaction.commit();
  }
  spdlog::info("Revoking {} indicator(s) of {} event(s)",
               summary.counts.indicators_revoked,
               events.size());

  std::optional<Error> failure;
  try {
    drain_outbox(summary.counts);
  } catch (const SentinelError& e) {
    failure = e;
  } catch (const RunStopped& e) {
    failure = e;
  }
  return finish(std::move(summary), started_ms, failure);
}

void SyncEngine::commit_before_waiting() {
  if (m_group != nullptr) {
    m_group->commit();
  }
}

// Between two steps: the only places a run may stop early and leave a
// store the next run simply carries on from.
void SyncEngine::stop_if_due(const char* phase, ExitCode code) const {
  if (const auto stopped = stop_requested_while(phase)) {
    throw RunStopped(code,
                     *stopped
                         + ", between two steps; what it has not sent "
                           "stays queued and the next run carries on "
                           "from there");
  }

  const std::int64_t budget_ms =
      static_cast<std::int64_t>(m_config.limits.run_budget_seconds) * 1000;
  const std::int64_t used_ms = m_now_ms() - m_started_ms;
  if (used_ms < budget_ms) {
    return;
  }
  throw RunStopped(
      code,
      fmt::format("the run used up its time budget of {} s ([limits] "
                  "run_budget_seconds) while {} and stopped between two "
                  "steps; what it read stays queued and the next run "
                  "carries on from there",
                  m_config.limits.run_budget_seconds,
                  phase));
}

SyncSummary SyncEngine::finish(SyncSummary summary,
                               std::int64_t started_ms,
                               const std::optional<Error>& failure) {
  summary.pending_left = m_store.outbox_size();
  summary.elapsed = std::chrono::milliseconds(m_now_ms() - started_ms);

  RunOutcome outcome = RunOutcome::ok;
  if (failure) {
    summary.interrupted = termination_signal() != 0;
    outcome =
        summary.interrupted ? RunOutcome::interrupted : RunOutcome::failed;
    summary.exit_code = failure->code();
    summary.error = failure->what();
  } else if (!m_refused_wholesale.empty()) {
    // Exit 1 counts as success for systemd: a wrong setting must not.
    outcome = RunOutcome::failed;
    summary.exit_code = ExitCode::sentinel_error;
    summary.error = fmt::format(
        "Sentinel refused every record of a batch with the same answer "
        "({}): likely a setting ([sentinel] api_version, api_url) rather "
        "than the records. They are marked rejected so that the outbox "
        "moves on; once the setting is fixed, sync --full --resend sends "
        "them again",
        m_refused_wholesale);
  } else if (summary.counts.objects_rejected > 0) {
    outcome = RunOutcome::some_rejected;
    summary.exit_code = ExitCode::some_rejected;
  }
  m_store.finish_run(summary.run_id,
                     summary.counts,
                     outcome,
                     summary.cursor_to,
                     summary.error);
  return summary;
}

void SyncEngine::apply_page(const std::vector<MispEvent>& events,
                            SyncSummary& summary,
                            bool move_cursor,
                            GroupedTransaction& group) {
  const std::string field = cursor_field(m_config);

  // The cursor never passes the run's start: MISP's clock is the
  // reference, but an event stamped in our future would otherwise hide
  // everything edited before that stamp.
  const std::int64_t ceiling = m_now_ms() / 1000;

  DiffOptions options;
  options.refresh_before = m_refresh_before;
  options.resend = m_resend;
  options.refresh_due = &m_refresh_due;
  options.checkpoint = [&group] {
    group.checkpoint();
  };

  group.begin();
  const std::int64_t now_ms = m_now_ms();
  std::int64_t position = summary.cursor_to;
  for (const MispEvent& event : events) {
    apply_event(m_store, m_config, event, now_ms, options, summary.counts);
    m_events_seen.insert(event.uuid);
    position = std::max(position, event_position(event, field));
  }
  if (move_cursor) {
    position = std::min(position, ceiling);
    m_store.set_cursor(StoredCursor{field, position});
    summary.cursor_to = position;
  }
  group.step_done();
}

EventSource::Query SyncEngine::page_query() const {
  EventSource::Query query;
  query.field = cursor_field(m_config);
  query.limit = m_config.misp.page_size;
  return query;
}

EventSource::Page SyncEngine::read_page(const EventSource::Query& query,
                                        SyncSummary& summary,
                                        bool move_cursor,
                                        GroupedTransaction& group) {
  stop_if_due("reading MISP", ExitCode::misp_error);
  EventSource::Page result = m_misp.fetch(query);
  summary.counts.events_read += static_cast<std::int64_t>(result.events.size());
  note_unreadable(result.unreadable, summary);
  apply_page(result.events, summary, move_cursor, group);
  return result;
}

void SyncEngine::read_misp(const SyncOptions& options, SyncSummary& summary) {
  EventSource::Query query = page_query();

  // The lookback re-reads a window before the cursor: events whose pages
  // shifted while a run was paging, and clock skew between MISP's nodes.
  // Unchanged indicators cost a hash comparison, nothing more.
  query.since = summary.cursor_from > 0 ? std::max<std::int64_t>(
                    1, summary.cursor_from - m_config.state.lookback_seconds)
                                        : 0;

  // A delta asks without the tag filters, so that a changed event that
  // left the scope comes back and its indicators are revoked; a full run
  // lets MISP filter and finds leavers through the event index instead.
  query.tags_on_server =
      options.full || !has_tag_filters(m_config.misp.filters);

  spdlog::info("Reading MISP events with {} >= {}{}",
               query.field,
               query.since,
               options.full ? " (full)" : "");
  const PhaseClock clock;
  GroupedTransaction group(m_store.database(), k_group_commit);
  const CurrentGroup current(m_group, group);
  read_in_pages(group, [&] {
    for (query.page = 1;; ++query.page) {
      const EventSource::Page result = read_page(query, summary, true, group);
      spdlog::debug(
          "MISP page {}: {} events", query.page, result.events.size());
      if (m_progress) {
        m_progress(SyncProgress{"reading MISP", summary.counts.events_read, 0});
      }
      if (result.events_in_answer < static_cast<std::size_t>(query.limit)) {
        break;
      }
    }
  });

  const RunCounts& c = summary.counts;
  spdlog::info("Read {} events ({} unchanged since their last read), {} "
               "attributes ({} converted): {} new, {} changed, {} unchanged, "
               "{} revoked, {} skipped; {}",
               c.events_read,
               c.events_unchanged,
               c.attributes_read,
               c.attributes_converted,
               c.indicators_new,
               c.indicators_changed,
               c.indicators_unchanged,
               c.indicators_revoked,
               c.attributes_skipped,
               clock.elapsed());
}

void SyncEngine::remove_vanished_events(SyncSummary& summary,
                                        bool allow_mass_revocation) {
  if (m_unreadable_without_uuid) {
    spdlog::warn("An event MISP sent could not be read and has no uuid; "
                 "it could be any stored event, so this run revokes no "
                 "event as gone");
    return;
  }
  const std::vector<std::string> live = m_store.events_with_live_indicators();
  if (summary.counts.events_read == 0 && summary.events_unreadable == 0
      && !live.empty() && !allow_mass_revocation) {
    refuse_removals(
        summary,
        live.size(),
        fmt::format("MISP's full read returned no event while {} event(s) "
                    "have indicators in Sentinel; one empty answer is "
                    "likelier a MISP or proxy fault than a MISP emptied, "
                    "so their indicators were kept. Check the filters and "
                    "run sync --full again; to empty the workspace on "
                    "purpose, use revoke --all",
                    live.size()));
    return;
  }

  std::vector<std::string> missing;
  for (const std::string& uuid : live) {
    if (m_events_seen.count(uuid) == 0) {
      missing.push_back(uuid);
    }
  }
  if (missing.empty()) {
    return;
  }

  const std::vector<EventSource::IndexEntry> index = m_misp.index();
  // An empty listing while the store holds live events is far more
  // likely a permission change on the key than a MISP emptied overnight;
  // revoking everything on that evidence would be the worse mistake.
  if (index.empty()) {
    refuse_removals(
        summary,
        missing.size(),
        fmt::format("MISP's event index is empty while {} stored event(s) "
                    "the full read left out still have indicators; their "
                    "indicators were kept. Check the API key's access, "
                    "then run sync --full again",
                    missing.size()));
    return;
  }

  std::map<std::string, bool> published;
  for (const EventSource::IndexEntry& entry : index) {
    published[entry.uuid] = entry.published;
  }
  std::vector<std::string> deleted;
  std::vector<std::string> listed;
  std::vector<std::string> unpublished;
  for (const std::string& uuid : missing) {
    const auto it = published.find(uuid);
    if (it == published.end()) {
      deleted.push_back(uuid);
    } else if (it->second || !m_config.misp.filters.published) {
      listed.push_back(uuid);
    } else if (!m_store.event_was_published(uuid)) {
      // Sent while unpublished, when published = false: now that only
      // published events are wanted, it is out of scope.
      unpublished.push_back(uuid);
    }
    // Otherwise being edited: MISP unpublishes an event while someone
    // works on it. It keeps its indicators until it is published again.
  }

  confirm_left_scope(listed, summary);
  revoke_unpublished(unpublished, summary);
  revoke_deleted(deleted, live.size(), summary, allow_mass_revocation);
}

void SyncEngine::revoke_unpublished(const std::vector<std::string>& events,
                                    SyncSummary& summary) {
  if (events.empty()) {
    return;
  }

  spdlog::info("{} unpublished event(s) had indicators from when "
               "[misp.filters] published was false; only published events "
               "are wanted now, so they are revoked",
               revoke_events(events, "unpublished", summary));
}

std::int64_t SyncEngine::revoke_events(const std::vector<std::string>& events,
                                       const char* why,
                                       SyncSummary& summary) {
  const std::int64_t removed_before = summary.counts.events_removed;
  SQLite::Transaction transaction(m_store.database());
  for (const std::string& uuid : events) {
    const std::int64_t revoked = revoke_event(m_store, uuid, m_now_ms());
    summary.counts.indicators_revoked += revoked;
    summary.counts.events_removed += revoked > 0 ? 1 : 0;
    spdlog::debug("Event {} {}: {} indicator(s) revoked", uuid, why, revoked);
  }
  transaction.commit();
  return summary.counts.events_removed - removed_before;
}

// An event MISP still lists but whose full read did not bring it has
// left the scope, or MISP's answer was wrong (a proxy's cached page, a
// search that timed out inside MISP): asked for by uuid, an event that is
// out of scope is revoked by the diff, one in scope is simply read, and
// one MISP does not give out keeps its indicators.
void SyncEngine::confirm_left_scope(const std::vector<std::string>& listed,
                                    SyncSummary& summary) {
  if (listed.empty()) {
    return;
  }

  const std::int64_t removed_before = summary.counts.events_removed;
  const std::set<std::string> returned = read_events_by_uuid(listed, summary);
  std::int64_t kept = 0;
  for (const std::string& uuid : listed) {
    kept += returned.count(uuid) == 0 ? 1 : 0;
  }
  spdlog::info("{} event(s) listed by MISP were missing from the full read; "
               "asked for by uuid, {} left the scope and are revoked",
               listed.size(),
               summary.counts.events_removed - removed_before);
  if (kept > 0) {
    spdlog::warn("{} event(s) that MISP's index lists could not be read by "
                 "uuid either; their indicators are kept. Check the API "
                 "key's access to them",
                 kept);
  }
}

// Events MISP no longer lists. More than half of the live events at once,
// and more than a handful, is far likelier a wrong index (a key that lost
// its access, a MISP restored from an old backup) than a purge: nothing is
// revoked then unless the operator says so.
void SyncEngine::revoke_deleted(const std::vector<std::string>& deleted,
                                std::size_t live_events,
                                SyncSummary& summary,
                                bool allow_mass_revocation) {
  if (deleted.empty()) {
    return;
  }
  const bool mass = deleted.size() > k_mass_revocation_events
                    && deleted.size() * 2 > live_events;
  if (mass && !allow_mass_revocation) {
    refuse_removals(
        summary,
        deleted.size(),
        fmt::format("MISP's event index lacks {} of the {} events that "
                    "have indicators in Sentinel; so many at once looks "
                    "like a MISP or permission fault, so their indicators "
                    "were kept. If they were deleted, run sync --full "
                    "--allow-mass-revocation",
                    deleted.size(),
                    live_events));
    return;
  }

  spdlog::info("{} event(s) were deleted from MISP; their indicators are "
               "revoked",
               revoke_events(deleted, "deleted", summary));
}

std::set<std::string>
SyncEngine::read_events_by_uuid(const std::vector<std::string>& uuids,
                                SyncSummary& summary) {
  std::set<std::string> returned;
  const auto page_size = static_cast<std::size_t>(m_config.misp.page_size);
  GroupedTransaction group(m_store.database(), k_group_commit);
  const CurrentGroup current(m_group, group);
  read_in_pages(group, [&] {
    for (std::size_t first = 0; first < uuids.size(); first += page_size) {
      EventSource::Query query = page_query();
      // Without the tag filters, so that an event that lost its tag comes
      // back and the diff revokes it.
      query.tags_on_server = false;
      query.event_uuids.assign(
          uuids.begin() + static_cast<std::ptrdiff_t>(first),
          uuids.begin()
              + static_cast<std::ptrdiff_t>(
                  std::min(uuids.size(), first + page_size)));
      const EventSource::Page result = read_page(query, summary, false, group);
      for (const MispEvent& event : result.events) {
        returned.insert(event.uuid);
      }
      for (const EventParseFailure& failure : result.unreadable) {
        returned.insert(failure.uuid);
      }
    }
  });
  return returned;
}

void SyncEngine::refresh_expiring(SyncSummary& summary) {
  if (m_refresh_before.empty()) {
    return;
  }

  std::vector<std::string> due;
  for (const std::string& uuid :
       m_store.events_due_for_refresh(m_refresh_before)) {
    if (m_events_seen.count(uuid) == 0) {
      due.push_back(uuid);
    }
  }
  if (due.empty()) {
    return;
  }

  // Re-read the events from MISP rather than keeping every sent body: the
  // refreshed version then also carries whatever changed meanwhile.
  spdlog::info("Refreshing indicators of {} event(s) close to expiry",
               due.size());
  static_cast<void>(read_events_by_uuid(due, summary));
}

// An unreadable event keeps what it had in Sentinel: nothing in it can be
// trusted, not even its absence. Marking it seen keeps --full from taking
// it for a deleted event. The run goes on, and ends with exit code 3 so
// that the operator hears of it.
void SyncEngine::note_unreadable(
    const std::vector<EventParseFailure>& unreadable, SyncSummary& summary) {
  for (const EventParseFailure& failure : unreadable) {
    spdlog::error("{}; the event and its indicators are left as they were",
                  failure.message);
    if (!failure.uuid.empty()) {
      m_events_seen.insert(failure.uuid);
    } else {
      // Any stored event might be this one: --full must not revoke events
      // as gone in this run.
      m_unreadable_without_uuid = true;
    }
    if (summary.events_unreadable == 0) {
      summary.first_unreadable = failure.message;
    }
    ++summary.events_unreadable;
  }
}

void SyncEngine::drain_outbox(RunCounts& counts) {
  const auto batch_size =
      static_cast<std::size_t>(m_config.sentinel.batch_size);
  const std::int64_t queued = m_store.outbox_size();
  if (queued == 0) {
    return;
  }
  spdlog::info("Uploading {} indicator version(s) to Sentinel", queued);
  const PhaseClock clock;

  // Counted per batch, so that the summary of a run stopped part-way
  // still shows what went out.
  std::int64_t sent = 0;
  std::int64_t rejected = 0;
  GroupedTransaction group(m_store.database(), k_group_commit);
  const CurrentGroup current(m_group, group);
  for (;;) {
    const std::vector<OutboxItem> batch = m_store.outbox_batch(batch_size);
    if (batch.empty()) {
      break;
    }
    try {
      stop_if_due("uploading", ExitCode::sentinel_error);
    } catch (const RunStopped&) {
      group.commit();
      throw;
    }

    BatchOutcome outcome;
    try {
      outcome = m_sentinel.upload(batch);
    } catch (const SentinelError& e) {
      if (const auto* failed = dynamic_cast<const UploadFailed*>(&e)) {
        counts.requests += failed->requests();
        counts.throttled += failed->throttled();
      }
      group.begin();
      m_store.mark_attempt_failed(batch, e.what());
      group.commit();
      throw;
    }
    counts.requests += outcome.requests;
    counts.throttled += outcome.throttled;
    if (!outcome.refused_wholesale.empty()
        && m_refused_wholesale != outcome.refused_wholesale) {
      m_refused_wholesale = outcome.refused_wholesale;
      spdlog::warn("Sentinel refuses every record of a batch with the same "
                   "answer ({}): likely a setting ([sentinel] api_version, "
                   "api_url) rather than the records",
                   m_refused_wholesale);
    }

    std::vector<std::string> rejections(batch.size());
    for (const RecordRejection& r : outcome.rejected) {
      if (r.index < batch.size()) {
        rejections[r.index] =
            r.message.empty() ? "rejected without a message" : r.message;
      }
    }

    group.begin();
    const std::string sent_at = format_utc_ms(m_now_ms());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (rejections[i].empty()) {
        m_store.mark_accepted(batch[i], sent_at);
        ++sent;
        ++counts.objects_sent;
      } else {
        spdlog::debug(
            "Sentinel rejected {}: {}", batch[i].indicator_id, rejections[i]);
        m_store.mark_rejected(batch[i], rejections[i]);
        ++rejected;
        ++counts.objects_rejected;
      }
    }
    group.step_done();
    if (m_progress) {
      m_progress(SyncProgress{"uploading", sent + rejected, queued});
    }
  }
  group.commit();

  spdlog::info("Uploaded {} indicator version(s), {} rejected; {}",
               sent,
               rejected,
               clock.elapsed());
}

} // namespace m2s
