#include "misp2sentinel/sync/sync_engine.hpp"

#include "event_diff.hpp"
#include "misp2sentinel/misp/event.hpp"
#include "misp2sentinel/sentinel/uploader.hpp"
#include "misp2sentinel/util/time.hpp"

#include <SQLiteCpp/Transaction.h>
#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

namespace m2s {

namespace {

const char* cursor_field(const Config& config) {
  // With only published events in scope, publish_timestamp is the field
  // that moves when data becomes visible: an edit unpublishes an event
  // without a later timestamp change, and events pulled from other MISP
  // instances keep their old timestamps but get a local publish time.
  return config.misp.filters.published ? "publish_timestamp" : "timestamp";
}

std::int64_t event_position(const MispEvent& event, const char* field) {
  return std::string_view(field) == "publish_timestamp"
             ? event.publish_timestamp
             : event.timestamp;
}

} // namespace

SyncEngine::SyncEngine(const Config& config, Store& store, EventSource& misp,
                       IndicatorSink& sentinel, NowMs now_ms)
    : m_config(config),
      m_store(store),
      m_misp(misp),
      m_sentinel(sentinel),
      m_now_ms(std::move(now_ms)) {}

SyncSummary SyncEngine::run(const SyncOptions& options) {
  const std::int64_t started_ms = m_now_ms();
  SyncSummary summary;

  const int interrupted = m_store.close_interrupted_runs();
  if (interrupted > 0) {
    spdlog::warn("Found {} run(s) that stopped before finishing; their "
                 "pending indicators are sent first",
                 interrupted);
  }

  const auto stored = m_store.cursor();
  const char* field = cursor_field(m_config);
  const bool same_field = stored && stored->field == field;
  summary.cursor_from = options.full || !same_field ? 0
                                                    : stored->position_epoch;
  summary.run_id =
      m_store.begin_run(options.full ? "full" : "delta", summary.cursor_from);
  summary.cursor_to = summary.cursor_from;

  std::optional<Error> failure;
  const std::int64_t leftover = m_store.outbox_size();
  if (leftover > 0) {
    spdlog::info("Resuming: {} indicator version(s) left pending by an "
                 "earlier run",
                 leftover);
    try {
      drain_outbox(summary.counts);
    } catch (const SentinelError& e) {
      failure = e;
    }
  }

  try {
    read_misp(options, summary);
  } catch (const MispError& e) {
    if (!failure) {
      failure = e;
    }
  }

  // Queued work from the pages that were read still goes out, even when
  // MISP failed part-way; only a Sentinel failure stops it.
  if (!failure || failure->code() != ExitCode::sentinel_error) {
    try {
      drain_outbox(summary.counts);
    } catch (const SentinelError& e) {
      failure = e;
    }
  }

  summary.pending_left = m_store.outbox_size();
  summary.elapsed = std::chrono::milliseconds(m_now_ms() - started_ms);

  RunOutcome outcome = RunOutcome::ok;
  if (failure) {
    outcome = RunOutcome::failed;
    summary.exit_code = failure->code();
    summary.error = failure->what();
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

void SyncEngine::read_misp(const SyncOptions& options,
                           SyncSummary& summary) {
  const char* field = cursor_field(m_config);
  // The lookback re-reads a window before the cursor: events whose pages
  // shifted while a run was paging, and clock skew between MISP's nodes.
  // Unchanged indicators cost a hash comparison, nothing more.
  const std::int64_t since =
      summary.cursor_from > 0
          ? std::max<std::int64_t>(
                1, summary.cursor_from - m_config.state.lookback_seconds)
          : 0;
  const int limit = m_config.misp.page_size;

  // The cursor never passes the run's start: MISP's clock is the
  // reference, but an event stamped in our future would otherwise hide
  // everything edited before that stamp.
  const std::int64_t ceiling = m_now_ms() / 1000;

  spdlog::info("Reading MISP events with {} >= {}{}",
               field,
               since,
               options.full ? " (full)" : "");
  for (int page = 1;; ++page) {
    EventSource::Page result = m_misp.fetch(field, since, page, limit);
    summary.counts.events_read +=
        static_cast<std::int64_t>(result.events.size());

    std::int64_t position = summary.cursor_to;
    {
      SQLite::Transaction transaction(m_store.database());
      const std::int64_t now_ms = m_now_ms();
      for (const MispEvent& event : result.events) {
        apply_event(m_store, m_config, event, now_ms, summary.counts);
        position = std::max(position, event_position(event, field));
      }
      position = std::min(position, ceiling);
      m_store.set_cursor(StoredCursor{field, position});
      transaction.commit();
    }
    summary.cursor_to = position;

    spdlog::debug("MISP page {}: {} events", page, result.events.size());
    if (m_progress) {
      m_progress(SyncProgress{"reading MISP", summary.counts.events_read, 0});
    }
    if (result.events_in_answer < static_cast<std::size_t>(limit)) {
      break;
    }
  }

  const RunCounts& c = summary.counts;
  spdlog::info("Read {} events, {} attributes: {} new, {} changed, {} "
               "unchanged, {} revoked, {} skipped",
               c.events_read,
               c.attributes_read,
               c.indicators_new,
               c.indicators_changed,
               c.indicators_unchanged,
               c.indicators_revoked,
               c.attributes_skipped);
}

void SyncEngine::drain_outbox(RunCounts& counts) {
  const auto batch_size =
      static_cast<std::size_t>(m_config.sentinel.batch_size);
  const std::int64_t queued = m_store.outbox_size();
  if (queued == 0) {
    return;
  }
  spdlog::info("Uploading {} indicator version(s) to Sentinel", queued);

  std::int64_t sent = 0;
  std::int64_t rejected = 0;
  for (;;) {
    const std::vector<OutboxItem> batch = m_store.outbox_batch(batch_size);
    if (batch.empty()) {
      break;
    }

    std::vector<boost::json::object> objects;
    objects.reserve(batch.size());
    for (const OutboxItem& item : batch) {
      objects.push_back(boost::json::parse(item.stix_object).as_object());
    }

    BatchOutcome outcome;
    try {
      outcome = m_sentinel.upload(objects);
    } catch (const SentinelError& e) {
      m_store.mark_attempt_failed(batch, e.what());
      throw;
    }
    counts.requests += outcome.requests;
    counts.throttled += outcome.throttled;

    std::vector<std::string> rejections(batch.size());
    for (const RecordRejection& r : outcome.rejected) {
      if (r.index < batch.size()) {
        rejections[r.index] =
            r.message.empty() ? "rejected without a message" : r.message;
      }
    }

    SQLite::Transaction transaction(m_store.database());
    const std::string sent_at = format_utc_ms(m_now_ms());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (rejections[i].empty()) {
        m_store.mark_accepted(batch[i], sent_at);
        ++sent;
      } else {
        spdlog::debug("Sentinel rejected {}: {}",
                      batch[i].indicator_id,
                      rejections[i]);
        m_store.mark_rejected(batch[i], rejections[i]);
        ++rejected;
      }
    }
    transaction.commit();
    if (m_progress) {
      m_progress(SyncProgress{"uploading", sent + rejected, queued});
    }
  }

  counts.objects_sent += sent;
  counts.objects_rejected += rejected;
  spdlog::info("Uploaded {} indicator version(s), {} rejected", sent,
               rejected);
}

} // namespace m2s
