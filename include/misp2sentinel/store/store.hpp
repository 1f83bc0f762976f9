#pragma once

// --- The SQLite store: cursor, events, attributes, indicators, outbox, runs
//
// The store is part of the user interface (README "Inspecting the store"):
// schema/*.sql is the reference for tables and views. One Store per
// process; a lock file (store/run_lock.hpp) keeps other runs out. Not
// shareable between threads.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace m2s {

struct StoredCursor {
  std::string field; // "publish_timestamp" or "timestamp"
  std::int64_t position_epoch = 0;
};

struct EventRow {
  std::string event_uuid;
  std::string misp_event_id;
  std::string info;
  std::string org_name;
  bool published = false;
  std::int64_t timestamp_epoch = 0;
  std::int64_t publish_timestamp_epoch = 0;
  std::int64_t attribute_count = 0;
};

// What the store holds of an attribute of an event, for telling whether it
// must be converted again.
struct StoredAttribute {
  std::string content_hash;
  bool gave_indicators = false; // outcome 'indicator'
  std::string skip_reason;      // "" for none
};

struct AttributeRow {
  std::string attribute_uuid;
  std::string event_uuid;
  std::string misp_type;
  std::string category;
  std::string value;
  bool to_ids = false;
  bool deleted = false;
  std::string object_name;
  std::int64_t timestamp_epoch = 0;
  // Why it gave no indicator (outcome 'skipped'); empty: it gave some.
  std::string skip_reason;
  // It gave indicators although skip_reason is set: the reason is why one
  // of its parts gave none ("invalid value", "expired").
  bool gave_indicators = false;
  std::string content_hash;
};

enum class IndicatorState { pending, active, rejected, revoked };

// SQL condition on indicators: live in Sentinel, i.e. the version Sentinel
// last accepted is not a revocation. `state` is that of the newest version,
// which may be queued or refused while the one before stays live. The
// views of schema/006 say the same.
#define M2S_LIVE_IN_SENTINEL                                                   \
  "(sent_hash IS NOT NULL AND sent_hash <> '' AND sent_hash <> 'revoked')"

[[nodiscard]] const char* to_string(IndicatorState state);
[[nodiscard]] IndicatorState indicator_state_from(const std::string& text);

struct IndicatorRow {
  // indicators.indicator_key; 0 for a row not stored yet.
  std::int64_t key = 0;
  std::string indicator_id;
  std::string attribute_uuid;
  std::string component;
  int generation = 0;
  std::string event_uuid;
  std::string misp_type;
  std::string observable_type;
  std::string value;
  std::string pattern;
  std::string content_hash;
  IndicatorState state = IndicatorState::pending;
  std::string created;
  std::string modified;
  std::string valid_from;
  std::string valid_until;
  std::string sent_hash;
};

// What the diff of an event needs of a stored indicator to tell whether
// it changed; the whole row is read only for one that did.
struct IndicatorHead {
  std::int64_t key = 0;
  std::string attribute_uuid;
  std::string component;
  int generation = 0;
  IndicatorState state = IndicatorState::pending;
  std::string content_hash;
  std::string valid_until;
};

enum class OutboxAction { upload, revoke, refresh };

[[nodiscard]] const char* to_string(OutboxAction action);

struct OutboxItem {
  std::int64_t seq = 0;
  std::int64_t indicator_key = 0; // the indicator row it is a version of
  std::string indicator_id;
  OutboxAction action = OutboxAction::upload;
  std::string stix_object; // JSON text
  std::string content_hash;
  int attempts = 0;
};

struct RunCounts {
  std::int64_t events_read = 0;
  // Read but not converted: the same input as their last read.
  std::int64_t events_unchanged = 0;
  std::int64_t attributes_read = 0;
  // Of those, converted to STIX in this run; the others kept the outcome
  // of their last read (their input, and their event's, is unchanged).
  std::int64_t attributes_converted = 0;
  std::int64_t indicators_new = 0;
  std::int64_t indicators_changed = 0;
  std::int64_t indicators_unchanged = 0;
  std::int64_t indicators_revoked = 0;
  std::int64_t indicators_refreshed = 0;
  std::int64_t events_removed = 0; // deleted or out of scope: revoked
  std::int64_t attributes_skipped = 0;
  std::int64_t objects_sent = 0;
  std::int64_t objects_rejected = 0;
  std::int64_t requests = 0;
  std::int64_t throttled = 0;
  std::map<std::string, std::int64_t> skips_by_reason;
};

// interrupted: stopped by SIGTERM or SIGINT (a run killed outright is
// marked so by the next one).
enum class RunOutcome { ok, some_rejected, failed, interrupted };

// What the last read of an event amounted to, for a run that finds the
// event unchanged and does not convert it again (events.input_hash).
struct EventOutcome {
  std::string input_hash;
  std::int64_t indicator_count = 0; // live indicators it yielded
  std::int64_t indicator_rows = 0;  // rows of the event it left, any state
  std::map<std::string, std::int64_t> skips_by_reason;
};

class Store {
public:
  // Open or create the store at `path` (mode 0600, WAL, busy timeout) and
  // bring its schema up to date. Throws StoreError naming the path.
  explicit Store(const std::string& path);
  // Adopt an open database (an in-memory copy for `sync --dry-run`) and
  // bring its schema up to date. `label` stands for the path in messages.
  Store(SQLite::Database database, std::string label);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  [[nodiscard]] SQLite::Database& database() noexcept {
    return m_db;
  }

  [[nodiscard]] const std::string& path() const noexcept {
    return m_path;
  }

  // --- cursor ---
  [[nodiscard]] std::optional<StoredCursor> cursor();
  void set_cursor(const StoredCursor& cursor);

  // --- runs ---
  // Rows left 'running' by a process that died become 'interrupted'.
  int close_interrupted_runs();
  [[nodiscard]] std::int64_t begin_run(const std::string& mode,
                                       std::int64_t cursor_from);
  void finish_run(std::int64_t run_id,
                  const RunCounts& counts,
                  std::optional<RunOutcome> outcome,
                  std::optional<std::int64_t> cursor_to,
                  const std::string& error);

  // --- events and attributes ---
  void upsert_event(const EventRow& event);
  // The outcome recorded by the last read of `event_uuid` that may be
  // reused, or nullopt (never read, or marked to be converted again).
  [[nodiscard]] std::optional<EventOutcome>
  event_outcome(const std::string& event_uuid);
  void set_event_outcome(const std::string& event_uuid,
                         const EventOutcome& outcome);
  // The next read of the event converts it again (its indicators were
  // changed by something else than that read: a revocation, say).
  void forget_event_outcome(const std::string& event_uuid);
  // Whether the event was published at its last read (false when never
  // read).
  [[nodiscard]] bool event_was_published(const std::string& event_uuid);
  // The event was read again (events.last_read_at), unchanged.
  void touch_event(const std::string& event_uuid);
  // The attributes already stored for `event_uuid`, by uuid.
  [[nodiscard]] std::unordered_map<std::string, StoredAttribute>
  stored_attributes(const std::string& event_uuid);
  void upsert_attribute(const AttributeRow& attribute);

  // How many indicator rows `event_uuid` has, in any state.
  [[nodiscard]] std::int64_t indicator_rows(const std::string& event_uuid);
  // Events that have indicators not revoked (live in Sentinel or on the
  // way there).
  [[nodiscard]] std::vector<std::string> events_with_live_indicators();
  // Events with an active indicator whose valid_until is before
  // `valid_until_before` (ISO-8601 text, compared as text).
  [[nodiscard]] std::vector<std::string>
  events_due_for_refresh(const std::string& valid_until_before);

  // --- operator revocations (`misp2sentinel revoke`) ---
  void add_operator_revocation(const std::string& event_uuid);
  [[nodiscard]] bool operator_revoked(const std::string& event_uuid);
  [[nodiscard]] std::vector<std::string> all_event_uuids();

  // --- indicators ---
  // Every indicator of `event_uuid`, all generations.
  [[nodiscard]] std::vector<IndicatorRow>
  indicators_for_event(const std::string& event_uuid);
  // The heads of the same rows.
  [[nodiscard]] std::vector<IndicatorHead>
  indicator_heads_for_event(const std::string& event_uuid);
  // The row with this key. Throws StoreError when there is none.
  [[nodiscard]] IndicatorRow indicator(std::int64_t key);
  // The newest generation for this attribute component, in any event
  // (an attribute can move between events only in broken data).
  [[nodiscard]] std::optional<IndicatorRow>
  latest_indicator(const std::string& attribute_uuid,
                   const std::string& component);
  // Insert `indicator` (key 0) or update the row with its key; returns
  // the key.
  std::int64_t upsert_indicator(const IndicatorRow& indicator);

  // --- outbox ---
  // Queue `item` for its indicator (by key), replacing an older queued
  // version.
  void enqueue(const OutboxItem& item);
  // Forget a queued version that no longer needs sending.
  void drop_from_outbox(std::int64_t indicator_key);
  [[nodiscard]] std::vector<OutboxItem> outbox_batch(std::size_t limit);
  [[nodiscard]] std::int64_t outbox_size();
  // Sentinel accepted the item: the indicator becomes active (or revoked).
  void mark_accepted(const OutboxItem& item, const std::string& sent_at);
  // Sentinel refused the item for good: it leaves the outbox.
  void mark_rejected(const OutboxItem& item, const std::string& message);
  // The item could not be delivered this run; it stays queued.
  void mark_attempt_failed(const std::vector<OutboxItem>& items,
                           const std::string& error);

private:
  // A statement of this store, prepared on first use and reused: a sync
  // runs the same few statements millions of times, and preparing one
  // costs more than running it. The guard clears its bindings on the way
  // in and resets it on the way out, so that no read stays open between
  // calls (an open read would hold the snapshot and the transaction).
  class Prepared {
  public:
    explicit Prepared(SQLite::Statement& statement);
    ~Prepared();
    Prepared(const Prepared&) = delete;
    Prepared& operator=(const Prepared&) = delete;

    SQLite::Statement* operator->() const noexcept {
      return &m_statement;
    }

    SQLite::Statement& operator*() const noexcept {
      return m_statement;
    }

  private:
    SQLite::Statement& m_statement;
  };

  // `sql` must be a string literal: its address is the cache key.
  [[nodiscard]] Prepared prepared(const char* sql);

  std::string m_path;
  SQLite::Database m_db;
  // After m_db, so that the statements are finalized before it closes.
  std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>>
      m_statements;
};

} // namespace m2s
