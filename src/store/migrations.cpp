#include "misp2sentinel/store/migrations.hpp"

#include "misp2sentinel/util/errors.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace m2s {

void migrate(SQLite::Database& db, const std::vector<Migration>& migrations) {
  const int current = db.execAndGet("PRAGMA user_version").getInt();
  const int newest = migrations.empty() ? 0 : migrations.back().version;

  // A newer binary may have changed tables this one does not know about;
  // writing to them could corrupt the state it relies on.
  if (current > newest) {
    throw StoreError(fmt::format(
        "{}: store schema version {} is newer than this misp2sentinel "
        "understands ({}); upgrade misp2sentinel",
        db.getFilename(),
        current,
        newest));
  }

  // Two files with one number would leave the second unapplied forever.
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version <= migrations[i - 1].version) {
      throw StoreError(fmt::format("schema migrations {} and {} share a "
                                   "version number",
                                   migrations[i - 1].name,
                                   migrations[i].name));
    }
  }

  for (const Migration& migration : migrations) {
    if (migration.version <= current) {
      continue;
    }

    try {
      SQLite::Transaction transaction(db);
      db.exec(migration.sql);
      db.exec(fmt::format("PRAGMA user_version = {}", migration.version));
      transaction.commit();
    } catch (const SQLite::Exception& e) {
      throw StoreError(fmt::format("{}: migration {} failed: {}",
                                   db.getFilename(),
                                   migration.name,
                                   e.what()));
    }
    spdlog::debug(
        "Store migrated to schema {} ({})", migration.version, migration.name);
  }
}

} // namespace m2s
