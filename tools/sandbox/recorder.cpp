#include "recorder.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>

#include <stdexcept>

namespace m2s::sandbox {

namespace {

constexpr const char* k_schema = R"sql(
CREATE TABLE IF NOT EXISTS objects (
  id                TEXT PRIMARY KEY,
  type              TEXT NOT NULL,
  pattern           TEXT,
  revoked           INTEGER NOT NULL,
  created           TEXT NOT NULL,
  modified          TEXT NOT NULL,
  valid_from        TEXT,
  valid_until       TEXT,
  source_system     TEXT NOT NULL,
  api               TEXT NOT NULL,
  versions_received INTEGER NOT NULL,
  first_received_at TEXT NOT NULL,
  last_received_at  TEXT NOT NULL,
  body              TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS requests (
  seq         INTEGER PRIMARY KEY,
  received_at TEXT NOT NULL,
  method      TEXT NOT NULL,
  path        TEXT NOT NULL,
  status      INTEGER NOT NULL,
  objects     INTEGER NOT NULL,
  rejected    INTEGER NOT NULL
);
)sql";

void bind_optional(SQLite::Statement& statement,
                   int index,
                   const std::optional<std::string>& value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind(index);
  }
}

SQLite::Database open_database(const std::string& path) {
  try {
    return SQLite::Database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  } catch (const SQLite::Exception& error) {
    throw std::runtime_error(
        fmt::format("cannot open record file {}: {}", path, error.what()));
  }
}

} // namespace

Recorder::Recorder(const std::string& path)
    : m_db(open_database(path)) {
  m_db.exec("PRAGMA journal_mode=WAL");
  m_db.setBusyTimeout(5000);
  m_db.exec(k_schema);
}

void Recorder::record(const RequestRecord& request,
                      const std::vector<ObjectRecord>& accepted) {
  const std::lock_guard lock(m_mutex);
  SQLite::Transaction transaction(m_db);

  for (const auto& object : accepted) {
    store_object(object, request.received_at);
  }

  SQLite::Statement insert(m_db,
                           "INSERT INTO requests(received_at, method, path, "
                           "status, objects, rejected) "
                           "VALUES(?, ?, ?, ?, ?, ?)");
  insert.bind(1, request.received_at);
  insert.bind(2, request.method);
  insert.bind(3, request.path);
  insert.bind(4, request.status);
  insert.bind(5, static_cast<std::int64_t>(request.objects));
  insert.bind(6, static_cast<std::int64_t>(request.rejected));
  insert.exec();

  transaction.commit();
}

void Recorder::store_object(const ObjectRecord& object,
                            const std::string& received_at) {
  SQLite::Statement find(m_db, "SELECT modified FROM objects WHERE id = ?");
  find.bind(1, object.id);

  if (!find.executeStep()) {
    SQLite::Statement insert(
        m_db,
        "INSERT INTO objects(id, type, pattern, revoked, created, modified, "
        "valid_from, valid_until, source_system, api, versions_received, "
        "first_received_at, last_received_at, body) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)");
    insert.bind(1, object.id);
    insert.bind(2, object.type);
    bind_optional(insert, 3, object.pattern);
    insert.bind(4, object.revoked ? 1 : 0);
    insert.bind(5, object.created);
    insert.bind(6, object.modified);
    bind_optional(insert, 7, object.valid_from);
    bind_optional(insert, 8, object.valid_until);
    insert.bind(9, object.source_system);
    insert.bind(10, object.api);
    insert.bind(11, received_at);
    insert.bind(12, received_at);
    insert.bind(13, object.body);
    insert.exec();
    return;
  }

  // Sentinel shows the newest version by `modified`. A version whose
  // `modified` is older than or equal to the stored one does not replace it
  // but still counts as received: an equal `modified` is what an idempotent
  // re-send (a retry after a lost answer) looks like, so tests can tell
  // "sent twice" from "changed".
  const auto stored = parse_stix_time(find.getColumn(0).getString());
  const bool newer = !stored || object.modified_time > *stored;
  if (!newer) {
    SQLite::Statement touch(m_db,
                            "UPDATE objects SET versions_received = "
                            "versions_received + 1, last_received_at = ? "
                            "WHERE id = ?");
    touch.bind(1, received_at);
    touch.bind(2, object.id);
    touch.exec();
    return;
  }

  SQLite::Statement update(
      m_db,
      "UPDATE objects SET type = ?, pattern = ?, revoked = ?, created = ?, "
      "modified = ?, valid_from = ?, valid_until = ?, source_system = ?, "
      "api = ?, versions_received = versions_received + 1, "
      "last_received_at = ?, body = ? WHERE id = ?");
  update.bind(1, object.type);
  bind_optional(update, 2, object.pattern);
  update.bind(3, object.revoked ? 1 : 0);
  update.bind(4, object.created);
  update.bind(5, object.modified);
  bind_optional(update, 6, object.valid_from);
  bind_optional(update, 7, object.valid_until);
  update.bind(8, object.source_system);
  update.bind(9, object.api);
  update.bind(10, received_at);
  update.bind(11, object.body);
  update.bind(12, object.id);
  update.exec();
}

} // namespace m2s::sandbox
