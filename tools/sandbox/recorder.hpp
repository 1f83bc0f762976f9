#pragma once

// --- The record file: what the Sentinel stand-in accepted, and every request
//
// Tests and the README read it with sqlite3, so the names are plain:
//   objects(id TEXT PRIMARY KEY, type, pattern, revoked, created, modified,
//           valid_from, valid_until, source_system, api, versions_received,
//           first_received_at, last_received_at, body)
//   requests(seq INTEGER PRIMARY KEY, received_at, method, path, status,
//            objects, rejected)
// An existing file is kept and appended to, as Sentinel keeps its data
// across restarts; delete it for a fresh start.

#include "stix_time.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace m2s::sandbox {

struct ObjectRecord {
  std::string id;
  std::string type;
  std::optional<std::string> pattern;
  bool revoked = false;
  std::string created;
  std::string modified;
  StixTime modified_time; // `modified`, parsed, to compare versions
  std::optional<std::string> valid_from;
  std::optional<std::string> valid_until;
  std::string source_system;
  std::string api; // "stix-objects" or "upload-indicators"
  std::string body;
};

struct RequestRecord {
  std::string received_at;
  std::string method;
  std::string path; // without the query
  int status = 0;
  std::int64_t objects = 0;  // objects in the upload body
  std::int64_t rejected = 0; // of those, not stored
};

class Recorder {
public:
  // Opens or creates `path` (WAL) and the tables. Throws std::runtime_error
  // naming the path when it cannot be opened.
  explicit Recorder(const std::string& path);

  // Stores `request` and `accepted` in one transaction. Thread-safe.
  // The objects' first/last_received_at is the request's received_at.
  void record(const RequestRecord& request,
              const std::vector<ObjectRecord>& accepted);

private:
  void store_object(const ObjectRecord& object, const std::string& received_at);

  std::mutex m_mutex;
  SQLite::Database m_db;
};

} // namespace m2s::sandbox
