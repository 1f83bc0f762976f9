#include "sync_command.hpp"

#include "live_clients.hpp"
#include "misp2sentinel/store/run_lock.hpp"
#include "misp2sentinel/store/store.hpp"
#include "misp2sentinel/sync/sync_engine.hpp"
#include "misp2sentinel/util/time.hpp"
#include "summary_output.hpp"

#include <spdlog/spdlog.h>

namespace m2s {

ExitCode run_sync_command(const Config& config,
                          const SyncCommandOptions& options) {
  RunLock lock(config.state.path);
  Store store(config.state.path);
  LiveClients clients(config);
  SyncEngine engine(
      config, store, clients.misp(), clients.sentinel(), now_epoch_ms);

  SyncOptions sync_options;
  sync_options.full = options.full;
  sync_options.resend = options.resend;
  const SyncSummary summary = engine.run(sync_options);

  print_summary(summary);
  if (!summary.error.empty()) {
    spdlog::error("{}", summary.error);
  }
  return summary.exit_code;
}

} // namespace m2s
