#include "store_snapshot.hpp"

#include "misp2sentinel/util/errors.hpp"

#include <SQLiteCpp/Backup.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <unistd.h>

namespace m2s {

namespace {

// "file:" URI of `path`, with the characters a URI gives meaning escaped.
std::string file_uri(const std::string& path) {
  std::string uri = "file:";
  for (const char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      uri += c;
    }
  }
  return uri;
}

// May this process change the store file and create files beside it?
bool store_writable(const std::string& path) {
  const std::filesystem::path parent =
      std::filesystem::absolute(path).parent_path();
  return ::access(path.c_str(), W_OK) == 0
         && ::access(parent.c_str(), W_OK | X_OK) == 0;
}

} // namespace

SQLite::Database open_store_for_reading(const std::string& path) {
  const bool has_wal = std::filesystem::exists(path + "-wal");
  try {
    if (!has_wal && !store_writable(path)) {
      // Reading a WAL store means creating its -shm, which fails in a
      // folder this user cannot write (the service's store, read by an
      // operator). Without a -wal the file holds every commit, so read it
      // as immutable: SQLite then creates nothing and takes no lock.
      SQLite::Database db(file_uri(path) + "?immutable=1",
                          SQLite::OPEN_READONLY | SQLite::OPEN_URI);
      return db;
    }
    SQLite::Database db(
        path, has_wal ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE);
    db.setBusyTimeout(5000);
    return db;
  } catch (const SQLite::Exception& e) {
    throw StoreError(
        fmt::format("{}: cannot open the store: {}", path, e.what()));
  }
}

SQLite::Database copy_store_to_memory(const std::string& path) {
  SQLite::Database memory(":memory:", SQLite::OPEN_READWRITE);
  if (!std::filesystem::exists(path)) {
    return memory;
  }

  SQLite::Database source = open_store_for_reading(path);
  try {
    SQLite::Backup backup(memory, source);
    // One step copies every page inside one read transaction, so the
    // copy is consistent even while a sync commits; a writer holding the
    // file for a moment only delays it.
    int result = backup.executeStep();
    for (int tries = 0;
         tries < 50 && (result == SQLITE_BUSY || result == SQLITE_LOCKED);
         ++tries) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      result = backup.executeStep();
    }
    if (result != SQLITE_DONE) {
      throw StoreError(path + ": the store stayed locked; try again");
    }
  } catch (const SQLite::Exception& e) {
    throw StoreError(
        fmt::format("{}: cannot copy the store: {}", path, e.what()));
  }
  return memory;
}

int schema_version(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

} // namespace m2s
