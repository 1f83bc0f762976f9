#include "sync_command.hpp"

#include "dry_run.hpp"
#include "live_clients.hpp"
#include "metrics_file.hpp"
#include "misp2sentinel/store/run_lock.hpp"
#include "misp2sentinel/store/store.hpp"
#include "misp2sentinel/sync/sync_engine.hpp"
#include "misp2sentinel/util/termination.hpp"
#include "misp2sentinel/util/time.hpp"
#include "progress_reporter.hpp"
#include "summary_output.hpp"

#include <spdlog/spdlog.h>

namespace m2s {

std::string sync_mode(const SyncCommandOptions& options) {
  if (!options.full) {
    return "delta";
  }
  return options.resend ? "full-resend" : "full";
}

ExitCode run_sync_command(const Config& config,
                          const SyncCommandOptions& options) {
  if (!options.out_dir.empty() && !options.dry_run) {
    throw ConfigError("sync: --out needs --dry-run");
  }
  if (options.dry_run) {
    return run_dry_run(config, options);
  }

  RunLock lock(config.state.path);
  Store store(config.state.path);
  LiveClients clients(config);
  install_termination_handlers();
  SyncEngine engine(
      config, store, clients.misp(), clients.sentinel(), now_epoch_ms);
  engine.set_progress_listener(make_progress_listener());
  clients.before_waiting([&engine] { engine.commit_before_waiting(); });

  SyncOptions sync_options;
  sync_options.full = options.full;
  sync_options.resend = options.resend;
  sync_options.allow_mass_revocation = options.allow_mass_revocation;
  const SyncSummary summary = engine.run(sync_options);
  // Failed runs too: the metrics are how monitoring learns of them.
  write_metrics(config.metrics.textfile, store, summary);

  if (options.json) {
    print_json(summary_json(summary, sync_mode(options)));
  } else {
    print_summary(summary);
  }
  if (!summary.error.empty()) {
    spdlog::error("{}", summary.error);
  }
  return summary.exit_code;
}

} // namespace m2s
