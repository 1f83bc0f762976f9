#pragma once

// --- `misp2sentinel sync`: wires the real clients to the engine ---

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/util/errors.hpp"

namespace m2s {

struct SyncCommandOptions {
  bool full = false;
  bool resend = false; // with full: send every active indicator again
};

// Run one sync and print its summary on stdout. Returns the exit code.
[[nodiscard]] ExitCode run_sync_command(const Config& config,
                                        const SyncCommandOptions& options);

} // namespace m2s
