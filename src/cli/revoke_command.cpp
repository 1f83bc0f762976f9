#include "revoke_command.hpp"

#include "live_clients.hpp"
#include "metrics_file.hpp"
#include "misp2sentinel/store/run_lock.hpp"
#include "misp2sentinel/store/store.hpp"
#include "misp2sentinel/sync/sync_engine.hpp"
#include "misp2sentinel/util/hash.hpp"
#include "misp2sentinel/util/termination.hpp"
#include "misp2sentinel/util/time.hpp"
#include "progress_reporter.hpp"
#include "summary_output.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>

namespace m2s {

ExitCode run_revoke_command(const Config& config,
                            const RevokeCommandOptions& options) {
  if (options.all == !options.event_uuids.empty()) {
    throw ConfigError("revoke: give either --event UUID (repeatable) or "
                      "--all");
  }
  for (const std::string& uuid : options.event_uuids) {
    if (!is_canonical_uuid(uuid)) {
      throw ConfigError(
          fmt::format("revoke: --event {}: not an event UUID", uuid));
    }
  }

  // No store yet: it holds no indicator of any event, and creating one
  // (with its lock file) only to refuse would leave them behind.
  if (!std::filesystem::exists(config.state.path)) {
    if (options.all) {
      throw ConfigError(fmt::format("revoke --all: there is no store at {} "
                                    "yet, so nothing to revoke (check "
                                    "--config)",
                                    config.state.path));
    }
    throw ConfigError(fmt::format(
        "revoke: --event {}: there is no store at {} yet, so it holds no "
        "indicator of that event; nothing was revoked or recorded",
        options.event_uuids.front(),
        config.state.path));
  }

  RunLock lock(config.state.path);
  Store store(config.state.path);
  // A revocation is recorded for good: one for an event without
  // indicators here (a typo, another store's event) would revoke nothing
  // now and silently keep that event out of every later sync.
  for (const std::string& uuid : options.event_uuids) {
    if (store.indicators_for_event(uuid).empty()) {
      throw ConfigError(fmt::format(
          "revoke: --event {}: the store {} holds no indicator of that "
          "event; nothing was revoked or recorded (check the UUID and "
          "--config)",
          uuid,
          config.state.path));
    }
  }
  LiveClients clients(config);
  install_termination_handlers();
  SyncEngine engine(
      config, store, clients.misp(), clients.sentinel(), now_epoch_ms);
  engine.set_progress_listener(make_progress_listener());
  clients.before_waiting([&engine] { engine.commit_before_waiting(); });

  const SyncSummary summary = engine.revoke(options.event_uuids, options.all);
  write_metrics(config.metrics.textfile, store, summary);

  print_text(format_revoke_summary(summary) + "\n");
  if (!summary.error.empty()) {
    spdlog::error("{}", summary.error);
  }
  return summary.exit_code;
}

} // namespace m2s
