#pragma once

// --- Schema migrations: schema/NNN_name.sql, compiled into the binary ---

#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace m2s {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// The migrations embedded at build time, in version order.
[[nodiscard]] const std::vector<Migration>& embedded_migrations();

// Apply the migrations newer than PRAGMA user_version, each in its own
// transaction together with the user_version bump. Throws StoreError when
// the store is newer than this binary or a migration fails.
void migrate(SQLite::Database& db, const std::vector<Migration>& migrations);

} // namespace m2s
