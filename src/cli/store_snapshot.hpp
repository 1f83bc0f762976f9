#pragma once

// --- Reading a store without changing it (status, check, sync --dry-run)
//
// A read-only SQLite connection to a WAL database leaves a -wal and a -shm
// file behind when there were none, while a read-write one that only reads
// removes them again on close. So: read-write when there is no -wal (no
// byte of the store changes), read-only when there is one (its content is
// read but never checkpointed into the store). No lock is taken; a running
// sync is seen as of its last commit.

#include <SQLiteCpp/Database.h>

#include <string>

namespace m2s {

// Open the existing store at `path` for reading. Throws StoreError naming
// the path when it cannot be opened.
[[nodiscard]] SQLite::Database open_store_for_reading(const std::string& path);

// An in-memory copy of the store at `path` (an empty database when there
// is no file), for running the engine without touching the real store.
[[nodiscard]] SQLite::Database copy_store_to_memory(const std::string& path);

// PRAGMA user_version of `db`: the store's schema version.
[[nodiscard]] int schema_version(SQLite::Database& db);

} // namespace m2s
