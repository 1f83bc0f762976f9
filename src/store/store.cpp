#include "misp2sentinel/store/store.hpp"

#include "misp2sentinel/store/migrations.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "misp2sentinel/util/time.hpp"
#include "skip_counts.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <unordered_set>

namespace m2s {

namespace {

// SQLite creates the -wal and -shm files with the main file's mode, so
// creating the main file 0600 before SQLite opens it keeps all three
// private: the store names every indicator the SOC tracks.
void create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;

    // The store exists but this user may not write it: "cannot create"
    // would send the operator looking at the folder instead.
    struct stat info {};

    if (::stat(path.c_str(), &info) == 0) {
      throw StoreError(
          fmt::format("{}: the store file is not writable by this user "
                      "({}): run as the user that owns it, or fix its "
                      "owner or mode",
                      path,
                      std::strerror(error)));
    }
    throw StoreError(fmt::format(
        "{}: cannot create the store: {}", path, std::strerror(error)));
  }
  ::close(fd);
}

// The page cache holds the index pages every new indicator touches; 32 MB
// keeps them for a store of a million indicators within the memory a sync
// may use (README "Performance").
void apply_cache_size(SQLite::Database& db) {
  db.exec("PRAGMA cache_size = -32768");
}

SQLite::Database open_database(const std::string& path) {
  create_private_file(path);
  try {
    // NOMUTEX: one store per process and thread (store.hpp), so SQLite
    // need not lock the connection around every call.
    SQLite::Database db(path,
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE
                            | SQLite::OPEN_NOMUTEX);
    db.setBusyTimeout(5000);
    // Only a new, empty file takes the page size. A first sync writes
    // gigabytes through the WAL one page per write; 16 KiB pages cost a
    // fifth of the system time of 4 KiB ones.
    db.exec("PRAGMA page_size = 16384");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    // A checkpoint copies every page the WAL holds into the file; the
    // same index and outbox pages change again and again during a first
    // sync, so a 64 MiB WAL (4 times SQLite's 1,000 pages) copies each
    // once for many commits: 14% less CPU for 1M attributes, no gain
    // beyond. The file is cut back to that size after a checkpoint.
    db.exec("PRAGMA wal_autocheckpoint = 4096");
    db.exec("PRAGMA journal_size_limit = 67108864");
    db.exec("PRAGMA foreign_keys = ON");
    apply_cache_size(db);
    return db;
  } catch (const SQLite::Exception& e) {
    throw StoreError(
        fmt::format("{}: cannot open the store: {}", path, e.what()));
  }
}

// Called for every row written; the text changes once a millisecond, so
// the last one is kept instead of formatting it again.
std::string now_text() {
  thread_local std::int64_t last_ms = -1;
  thread_local std::string last_text;
  const std::int64_t ms = now_epoch_ms();
  if (ms != last_ms) {
    last_ms = ms;
    last_text = format_utc_ms(ms);
  }
  return last_text;
}

} // namespace

const char* to_string(IndicatorState state) {
  switch (state) {
  case IndicatorState::pending:
    return "pending";
  case IndicatorState::active:
    return "active";
  case IndicatorState::rejected:
    return "rejected";
  case IndicatorState::revoked:
    return "revoked";
  }
  return "pending";
}

IndicatorState indicator_state_from(const std::string& text) {
  if (text == "active") {
    return IndicatorState::active;
  }
  if (text == "rejected") {
    return IndicatorState::rejected;
  }
  if (text == "revoked") {
    return IndicatorState::revoked;
  }
  return IndicatorState::pending;
}

const char* to_string(OutboxAction action) {
  switch (action) {
  case OutboxAction::upload:
    return "upload";
  case OutboxAction::revoke:
    return "revoke";
  case OutboxAction::refresh:
    return "refresh";
  }
  return "upload";
}

namespace {

OutboxAction outbox_action_from(const std::string& text) {
  if (text == "revoke") {
    return OutboxAction::revoke;
  }
  if (text == "refresh") {
    return OutboxAction::refresh;
  }
  return OutboxAction::upload;
}

const char* to_string(RunOutcome outcome) {
  switch (outcome) {
  case RunOutcome::ok:
    return "ok";
  case RunOutcome::some_rejected:
    return "some_rejected";
  case RunOutcome::failed:
    return "failed";
  case RunOutcome::interrupted:
    return "interrupted";
  }
  return "failed";
}

IndicatorRow read_indicator(SQLite::Statement& q) {
  IndicatorRow row;
  row.key = q.getColumn(0).getInt64();
  row.indicator_id = q.getColumn(1).getString();
  row.attribute_uuid = q.getColumn(2).getString();
  row.component = q.getColumn(3).getString();
  row.generation = q.getColumn(4).getInt();
  row.event_uuid = q.getColumn(5).getString();
  row.misp_type = q.getColumn(6).getString();
  row.observable_type = q.getColumn(7).getString();
  row.value = q.getColumn(8).getString();
  row.pattern = q.getColumn(9).getString();
  row.content_hash = q.getColumn(10).getString();
  row.state = indicator_state_from(q.getColumn(11).getString());
  row.created = q.getColumn(12).getString();
  row.modified = q.getColumn(13).getString();
  row.valid_from = q.getColumn(14).getString();
  row.valid_until = q.getColumn(15).getString();
  row.sent_hash = q.getColumn(16).getString();
  return row;
}

// A macro rather than a constant so that each statement stays one fixed
// literal (adjacent literals are joined by the compiler), never a string
// built at run time. read_indicator() reads the columns in this order.
#define M2S_INDICATOR_COLUMNS                                                  \
  "indicator_key, indicator_id, attribute_uuid, component, generation, "       \
  "event_uuid, misp_type, observable_type, value, pattern, content_hash, "     \
  "state, created, modified, valid_from, valid_until, sent_hash"

} // namespace

Store::Store(const std::string& path)
    : m_path(path),
      m_db(open_database(path)) {
  migrate(m_db, embedded_migrations());
}

Store::Store(SQLite::Database database, std::string label)
    : m_path(std::move(label)),
      m_db(std::move(database)) {
  m_db.exec("PRAGMA foreign_keys = ON");
  apply_cache_size(m_db);
  migrate(m_db, embedded_migrations());
}

Store::~Store() = default;

Store::Prepared::Prepared(SQLite::Statement& statement)
    : m_statement(statement) {
  m_statement.clearBindings();
}

Store::Prepared::~Prepared() {
  m_statement.tryReset();
}

Store::Prepared Store::prepared(const char* sql) {
  std::unique_ptr<SQLite::Statement>& statement = m_statements[sql];
  if (!statement) {
    statement = std::make_unique<SQLite::Statement>(m_db, sql);
  }
  return Prepared(*statement);
}

std::optional<StoredCursor> Store::cursor() {
  SQLite::Statement q(m_db,
                      "SELECT field, position_epoch FROM sync_cursor "
                      "WHERE name = 'misp_events'");
  if (!q.executeStep()) {
    return std::nullopt;
  }
  return StoredCursor{q.getColumn(0).getString(), q.getColumn(1).getInt64()};
}

void Store::set_cursor(const StoredCursor& cursor) {
  const Prepared q = prepared(
      "INSERT INTO sync_cursor (name, field, position_epoch, updated_at) "
      "VALUES ('misp_events', ?1, ?2, ?3) ON CONFLICT (name) DO UPDATE SET "
      "field = ?1, position_epoch = ?2, updated_at = ?3");
  q->bind(1, cursor.field);
  q->bind(2, static_cast<std::int64_t>(cursor.position_epoch));
  q->bind(3, now_text());
  q->exec();
}

int Store::close_interrupted_runs() {
  return m_db.exec("UPDATE runs SET outcome = 'interrupted', "
                   "error = 'the process stopped before the run finished' "
                   "WHERE outcome = 'running'");
}

std::int64_t Store::begin_run(const std::string& mode,
                              std::int64_t cursor_from) {
  SQLite::Statement q(m_db,
                      "INSERT INTO runs (mode, started_at, cursor_from_epoch) "
                      "VALUES (?1, ?2, ?3)");
  q.bind(1, mode);
  q.bind(2, now_text());
  q.bind(3, static_cast<std::int64_t>(cursor_from));
  q.exec();
  return m_db.getLastInsertRowid();
}

void Store::finish_run(std::int64_t run_id,
                       const RunCounts& counts,
                       std::optional<RunOutcome> outcome,
                       std::optional<std::int64_t> cursor_to,
                       const std::string& error) {
  SQLite::Statement q(
      m_db,
      "UPDATE runs SET finished_at = ?2, outcome = ?3, cursor_to_epoch = ?4, "
      "events_read = ?5, attributes_read = ?6, indicators_new = ?7, "
      "indicators_changed = ?8, indicators_unchanged = ?9, "
      "indicators_revoked = ?10, attributes_skipped = ?11, "
      "objects_sent = ?12, objects_rejected = ?13, requests = ?14, "
      "throttled = ?15, error = ?16, indicators_refreshed = ?17, "
      "events_removed = ?18, events_unchanged = ?19 WHERE run_id = ?1");
  q.bind(1, static_cast<std::int64_t>(run_id));
  q.bind(2, now_text());
  q.bind(3, to_string(outcome.value_or(RunOutcome::failed)));
  if (cursor_to) {
    q.bind(4, static_cast<std::int64_t>(*cursor_to));
  }
  q.bind(5, static_cast<std::int64_t>(counts.events_read));
  q.bind(6, static_cast<std::int64_t>(counts.attributes_read));
  q.bind(7, static_cast<std::int64_t>(counts.indicators_new));
  q.bind(8, static_cast<std::int64_t>(counts.indicators_changed));
  q.bind(9, static_cast<std::int64_t>(counts.indicators_unchanged));
  q.bind(10, static_cast<std::int64_t>(counts.indicators_revoked));
  q.bind(11, static_cast<std::int64_t>(counts.attributes_skipped));
  q.bind(12, static_cast<std::int64_t>(counts.objects_sent));
  q.bind(13, static_cast<std::int64_t>(counts.objects_rejected));
  q.bind(14, static_cast<std::int64_t>(counts.requests));
  q.bind(15, static_cast<std::int64_t>(counts.throttled));
  if (!error.empty()) {
    q.bind(16, error);
  }
  q.bind(17, static_cast<std::int64_t>(counts.indicators_refreshed));
  q.bind(18, static_cast<std::int64_t>(counts.events_removed));
  q.bind(19, static_cast<std::int64_t>(counts.events_unchanged));
  q.exec();

  SQLite::Statement skip(m_db,
                         "INSERT OR REPLACE INTO run_skips (run_id, reason, "
                         "count) VALUES (?1, ?2, ?3)");
  for (const auto& [reason, count] : counts.skips_by_reason) {
    skip.bind(1, static_cast<std::int64_t>(run_id));
    skip.bind(2, reason);
    skip.bind(3, static_cast<std::int64_t>(count));
    skip.exec();
    skip.reset();
  }
}

void Store::upsert_event(const EventRow& event) {
  const Prepared q = prepared(
      "INSERT INTO events (event_uuid, misp_event_id, info, org_name, "
      "published, timestamp_epoch, publish_timestamp_epoch, attribute_count, "
      "first_read_at, last_read_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
      "?9, ?9) ON CONFLICT (event_uuid) DO UPDATE SET misp_event_id = ?2, "
      "info = ?3, org_name = ?4, published = ?5, timestamp_epoch = ?6, "
      "publish_timestamp_epoch = ?7, attribute_count = ?8, "
      "last_read_at = ?9");
  q->bind(1, event.event_uuid);
  q->bind(2, event.misp_event_id);
  q->bind(3, event.info);
  q->bind(4, event.org_name);
  q->bind(5, event.published ? 1 : 0);
  q->bind(6, static_cast<std::int64_t>(event.timestamp_epoch));
  q->bind(7, static_cast<std::int64_t>(event.publish_timestamp_epoch));
  q->bind(8, static_cast<std::int64_t>(event.attribute_count));
  q->bind(9, now_text());
  q->exec();
}

std::optional<EventOutcome>
Store::event_outcome(const std::string& event_uuid) {
  const Prepared q =
      prepared("SELECT input_hash, indicator_count, skip_counts, "
               "indicator_rows FROM events "
               "WHERE event_uuid = ?1 AND input_hash IS NOT NULL");
  q->bind(1, event_uuid);
  if (!q->executeStep()) {
    return std::nullopt;
  }

  auto skips = parse_skip_counts(q->getColumn(2).getString());
  if (!skips) {
    return std::nullopt;
  }
  EventOutcome outcome;
  outcome.input_hash = q->getColumn(0).getString();
  outcome.indicator_count = q->getColumn(1).getInt64();
  outcome.skips_by_reason = std::move(*skips);
  outcome.indicator_rows = q->getColumn(3).getInt64();
  return outcome;
}

void Store::set_event_outcome(const std::string& event_uuid,
                              const EventOutcome& outcome) {
  const Prepared q =
      prepared("UPDATE events SET input_hash = ?2, indicator_count = ?3, "
               "skip_counts = ?4, indicator_rows = ?5 WHERE event_uuid = ?1");
  q->bind(1, event_uuid);
  q->bind(2, outcome.input_hash);
  q->bind(3, static_cast<std::int64_t>(outcome.indicator_count));
  q->bind(4, format_skip_counts(outcome.skips_by_reason));
  q->bind(5, static_cast<std::int64_t>(outcome.indicator_rows));
  q->exec();
}

void Store::forget_event_outcome(const std::string& event_uuid) {
  const Prepared q =
      prepared("UPDATE events SET input_hash = NULL WHERE event_uuid = ?1");
  q->bind(1, event_uuid);
  q->exec();
}

bool Store::event_was_published(const std::string& event_uuid) {
  const Prepared q =
      prepared("SELECT published FROM events WHERE event_uuid = ?1");
  q->bind(1, event_uuid);
  return q->executeStep() && q->getColumn(0).getInt() != 0;
}

void Store::touch_event(const std::string& event_uuid) {
  const Prepared q =
      prepared("UPDATE events SET last_read_at = ?2 WHERE event_uuid = ?1");
  q->bind(1, event_uuid);
  q->bind(2, now_text());
  q->exec();
}

std::unordered_map<std::string, StoredAttribute>
Store::stored_attributes(const std::string& event_uuid) {
  const Prepared q =
      prepared("SELECT attribute_uuid, content_hash, outcome, skip_reason "
               "FROM attributes WHERE event_uuid = ?1");
  q->bind(1, event_uuid);
  std::unordered_map<std::string, StoredAttribute> attributes;
  while (q->executeStep()) {
    StoredAttribute stored;
    stored.content_hash = q->getColumn(1).getString();
    stored.gave_indicators = q->getColumn(2).getString() == "indicator";
    stored.skip_reason = q->getColumn(3).getString();
    attributes.emplace(q->getColumn(0).getString(), std::move(stored));
  }
  return attributes;
}

void Store::upsert_attribute(const AttributeRow& a) {
  const Prepared q = prepared(
      "INSERT INTO attributes (attribute_uuid, event_uuid, misp_type, "
      "category, value, to_ids, deleted, object_name, timestamp_epoch, "
      "outcome, skip_reason, content_hash, last_read_at) VALUES (?1, ?2, ?3, "
      "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT "
      "(event_uuid, attribute_uuid) DO UPDATE SET misp_type = ?3, "
      "category = ?4, value = ?5, to_ids = ?6, deleted = ?7, "
      "object_name = ?8, timestamp_epoch = ?9, outcome = ?10, "
      "skip_reason = ?11, content_hash = ?12, last_read_at = ?13");
  q->bind(1, a.attribute_uuid);
  q->bind(2, a.event_uuid);
  q->bind(3, a.misp_type);
  q->bind(4, a.category);
  q->bind(5, a.value);
  q->bind(6, a.to_ids ? 1 : 0);
  q->bind(7, a.deleted ? 1 : 0);
  if (!a.object_name.empty()) {
    q->bind(8, a.object_name);
  }
  q->bind(9, static_cast<std::int64_t>(a.timestamp_epoch));
  const bool gave = a.gave_indicators || a.skip_reason.empty();
  q->bind(10, gave ? "indicator" : "skipped");
  if (!a.skip_reason.empty()) {
    q->bind(11, a.skip_reason);
  }
  q->bind(12, a.content_hash);
  q->bind(13, now_text());
  q->exec();
}

std::int64_t Store::indicator_rows(const std::string& event_uuid) {
  const Prepared q =
      prepared("SELECT count(*) FROM indicators WHERE event_uuid = ?1");
  q->bind(1, event_uuid);
  q->executeStep();
  return q->getColumn(0).getInt64();
}

std::vector<std::string> Store::events_with_live_indicators() {
  const Prepared q = prepared("SELECT DISTINCT event_uuid FROM indicators "
                              "WHERE state != 'revoked'");
  std::vector<std::string> events;
  while (q->executeStep()) {
    events.push_back(q->getColumn(0).getString());
  }
  return events;
}

std::vector<std::string>
Store::events_due_for_refresh(const std::string& valid_until_before) {
  // No DISTINCT: for it SQLite would rather read the whole event index in
  // order than the few rows indicators_by_expiry holds.
  const Prepared q = prepared("SELECT event_uuid FROM indicators "
                              "WHERE state = 'active' AND valid_until < ?1");
  q->bind(1, valid_until_before);
  std::vector<std::string> events;
  std::unordered_set<std::string> seen;
  while (q->executeStep()) {
    std::string event = q->getColumn(0).getString();
    if (seen.insert(event).second) {
      events.push_back(std::move(event));
    }
  }
  return events;
}

void Store::add_operator_revocation(const std::string& event_uuid) {
  SQLite::Statement q(m_db,
                      "INSERT OR IGNORE INTO operator_revocations "
                      "(event_uuid, revoked_at) VALUES (?1, ?2)");
  q.bind(1, event_uuid);
  q.bind(2, now_text());
  q.exec();
}

bool Store::operator_revoked(const std::string& event_uuid) {
  const Prepared q = prepared("SELECT 1 FROM operator_revocations "
                              "WHERE event_uuid = ?1");
  q->bind(1, event_uuid);
  return q->executeStep();
}

std::vector<std::string> Store::all_event_uuids() {
  SQLite::Statement q(m_db,
                      "SELECT event_uuid FROM events UNION "
                      "SELECT DISTINCT event_uuid FROM indicators");
  std::vector<std::string> events;
  while (q.executeStep()) {
    events.push_back(q.getColumn(0).getString());
  }
  return events;
}

std::vector<IndicatorRow>
Store::indicators_for_event(const std::string& event_uuid) {
  const Prepared q =
      prepared("SELECT " M2S_INDICATOR_COLUMNS " FROM indicators "
               "WHERE event_uuid = ?1");
  q->bind(1, event_uuid);
  std::vector<IndicatorRow> rows;
  while (q->executeStep()) {
    rows.push_back(read_indicator(*q));
  }
  return rows;
}

std::vector<IndicatorHead>
Store::indicator_heads_for_event(const std::string& event_uuid) {
  const Prepared q = prepared(
      "SELECT indicator_key, attribute_uuid, component, generation, state, "
      "content_hash, valid_until FROM indicators WHERE event_uuid = ?1");
  q->bind(1, event_uuid);
  std::vector<IndicatorHead> heads;
  while (q->executeStep()) {
    IndicatorHead& head = heads.emplace_back();
    head.key = q->getColumn(0).getInt64();
    head.attribute_uuid = q->getColumn(1).getString();
    head.component = q->getColumn(2).getString();
    head.generation = q->getColumn(3).getInt();
    head.state = indicator_state_from(q->getColumn(4).getString());
    head.content_hash = q->getColumn(5).getString();
    head.valid_until = q->getColumn(6).getString();
  }
  return heads;
}

IndicatorRow Store::indicator(std::int64_t key) {
  const Prepared q =
      prepared("SELECT " M2S_INDICATOR_COLUMNS " FROM indicators "
               "WHERE indicator_key = ?1");
  q->bind(1, static_cast<std::int64_t>(key));
  if (!q->executeStep()) {
    throw StoreError(
        fmt::format("{}: no indicator row with key {}", m_path, key));
  }
  return read_indicator(*q);
}

std::optional<IndicatorRow>
Store::latest_indicator(const std::string& attribute_uuid,
                        const std::string& component) {
  // `+attribute_uuid`: written plainly, SQLite would put ?1 for
  // attribute_uuid into the substr() term, which then no longer matches
  // the index, and read every row. No ORDER BY: there are one or two
  // rows, and sorting them took a temporary table per lookup.
  const Prepared q =
      prepared("SELECT " M2S_INDICATOR_COLUMNS " FROM indicators "
               "WHERE substr(attribute_uuid, 1, 8) = substr(?1, 1, 8) "
               "AND +attribute_uuid = ?1 AND component = ?2");
  q->bind(1, attribute_uuid);
  q->bind(2, component);
  std::optional<IndicatorRow> newest;
  while (q->executeStep()) {
    if (!newest || q->getColumn(4).getInt() > newest->generation) {
      newest = read_indicator(*q);
    }
  }
  return newest;
}

std::int64_t Store::upsert_indicator(const IndicatorRow& r) {
  if (r.key != 0) {
    const Prepared q = prepared(
        "UPDATE indicators SET event_uuid = ?2, misp_type = ?3, "
        "observable_type = ?4, value = ?5, pattern = ?6, content_hash = ?7, "
        "state = ?8, modified = ?9, valid_from = ?10, valid_until = ?11, "
        "updated_at = ?12 WHERE indicator_key = ?1");
    q->bind(1, static_cast<std::int64_t>(r.key));
    q->bind(2, r.event_uuid);
    q->bind(3, r.misp_type);
    q->bind(4, r.observable_type);
    q->bind(5, r.value);
    q->bind(6, r.pattern);
    q->bind(7, r.content_hash);
    q->bind(8, to_string(r.state));
    q->bind(9, r.modified);
    q->bind(10, r.valid_from);
    if (!r.valid_until.empty()) {
      q->bind(11, r.valid_until);
    }
    q->bind(12, now_text());
    if (q->exec() != 1) {
      throw StoreError(fmt::format(
          "{}: indicator row {} ({}) is gone", m_path, r.key, r.indicator_id));
    }
    return r.key;
  }

  const Prepared q = prepared(
      "INSERT INTO indicators (indicator_id, attribute_uuid, component, "
      "generation, event_uuid, misp_type, observable_type, value, pattern, "
      "content_hash, state, created, modified, valid_from, valid_until, "
      "first_seen_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
      "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)");
  q->bind(1, r.indicator_id);
  q->bind(2, r.attribute_uuid);
  q->bind(3, r.component);
  q->bind(4, r.generation);
  q->bind(5, r.event_uuid);
  q->bind(6, r.misp_type);
  q->bind(7, r.observable_type);
  q->bind(8, r.value);
  q->bind(9, r.pattern);
  q->bind(10, r.content_hash);
  q->bind(11, to_string(r.state));
  q->bind(12, r.created);
  q->bind(13, r.modified);
  q->bind(14, r.valid_from);
  if (!r.valid_until.empty()) {
    q->bind(15, r.valid_until);
  }
  q->bind(16, now_text());
  q->exec();
  return m_db.getLastInsertRowid();
}

void Store::enqueue(const OutboxItem& item) {
  if (item.indicator_key == 0) {
    throw std::logic_error("enqueue: the item has no indicator key");
  }

  // A newer version replaces a queued one (Sentinel only needs the last)
  // under a new seq, so that a verdict on the older one, by its seq, can
  // never be taken for the newer one.
  const Prepared q = prepared(
      "INSERT OR REPLACE INTO outbox (indicator_key, indicator_id, action, "
      "stix_object, content_hash, queued_at) VALUES (?1, ?2, ?3, ?4, ?5, "
      "?6)");
  q->bind(1, static_cast<std::int64_t>(item.indicator_key));
  q->bind(2, item.indicator_id);
  q->bind(3, to_string(item.action));
  q->bindNoCopy(4, item.stix_object);
  q->bind(5, item.content_hash);
  q->bind(6, now_text());
  q->exec();
}

void Store::drop_from_outbox(std::int64_t indicator_key) {
  const Prepared q = prepared("DELETE FROM outbox WHERE indicator_key = ?1");
  q->bind(1, static_cast<std::int64_t>(indicator_key));
  q->exec();
}

std::vector<OutboxItem> Store::outbox_batch(std::size_t limit) {
  const Prepared q =
      prepared("SELECT o.seq, o.indicator_key, o.indicator_id, o.action, "
               "o.stix_object, o.content_hash, o.attempts "
               "FROM outbox o ORDER BY o.seq LIMIT ?1");
  q->bind(1, static_cast<std::int64_t>(limit));
  std::vector<OutboxItem> items;
  while (q->executeStep()) {
    OutboxItem item;
    item.seq = q->getColumn(0).getInt64();
    item.indicator_key = q->getColumn(1).getInt64();
    item.indicator_id = q->getColumn(2).getString();
    item.action = outbox_action_from(q->getColumn(3).getString());
    item.stix_object = q->getColumn(4).getString();
    item.content_hash = q->getColumn(5).getString();
    item.attempts = q->getColumn(6).getInt();
    items.push_back(std::move(item));
  }
  return items;
}

std::int64_t Store::outbox_size() {
  return m_db.execAndGet("SELECT count(*) FROM outbox").getInt64();
}

void Store::mark_accepted(const OutboxItem& item, const std::string& sent_at) {
  // Only the row with this seq leaves: a newer version queued meanwhile
  // (same indicator, new seq) must still be sent.
  const Prepared del = prepared("DELETE FROM outbox WHERE seq = ?1");
  del->bind(1, static_cast<std::int64_t>(item.seq));
  const int removed = del->exec();

  const char* state =
      item.action == OutboxAction::revoke ? "revoked" : "active";
  const Prepared q = prepared(
      "UPDATE indicators SET state = CASE WHEN ?5 THEN ?2 ELSE state END, "
      "sent_hash = ?3, sent_at = ?4, rejection = NULL, updated_at = ?4 "
      "WHERE indicator_key = ?1");
  q->bind(1, static_cast<std::int64_t>(item.indicator_key));
  q->bind(2, state);
  q->bind(3, item.content_hash);
  q->bind(4, sent_at);
  q->bind(5, removed > 0 ? 1 : 0);
  q->exec();
}

void Store::mark_rejected(const OutboxItem& item, const std::string& message) {
  const Prepared del = prepared("DELETE FROM outbox WHERE seq = ?1");
  del->bind(1, static_cast<std::int64_t>(item.seq));
  const int removed = del->exec();
  if (removed == 0) {
    return; // a newer version is queued; judge that one instead
  }

  const Prepared q = prepared("UPDATE indicators SET state = 'rejected', "
                              "rejection = ?2, updated_at = ?3 "
                              "WHERE indicator_key = ?1");
  q->bind(1, static_cast<std::int64_t>(item.indicator_key));
  q->bind(2, message);
  q->bind(3, now_text());
  q->exec();
}

void Store::mark_attempt_failed(const std::vector<OutboxItem>& items,
                                const std::string& error) {
  const Prepared q = prepared("UPDATE outbox SET attempts = attempts + 1, "
                              "last_error = ?2 WHERE seq = ?1");
  for (const OutboxItem& item : items) {
    q->bind(1, static_cast<std::int64_t>(item.seq));
    q->bind(2, error);
    q->exec();
    q->reset();
  }
}

} // namespace m2s
