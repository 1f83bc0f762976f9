#pragma once

// --- `misp2sentinel sync`: wires the real clients to the engine ---

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <string>

namespace m2s {

struct SyncCommandOptions {
  bool full = false;
  bool resend = false; // with full: send every active indicator again
  // With full: revoke what MISP no longer lists, however much it is.
  bool allow_mass_revocation = false;
  bool dry_run = false; // send nothing, change nothing (dry_run.hpp)
  std::string out_dir;  // with dry_run: write the request bodies here
  bool json = false;    // the summary as JSON on stdout
};

// "delta", "full" or "full-resend", as the runs table names the mode.
[[nodiscard]] std::string sync_mode(const SyncCommandOptions& options);

// Run one sync (or a dry run) and print its summary on stdout. Returns the
// exit code. Throws ConfigError for flags that do not go together.
[[nodiscard]] ExitCode run_sync_command(const Config& config,
                                        const SyncCommandOptions& options);

} // namespace m2s
