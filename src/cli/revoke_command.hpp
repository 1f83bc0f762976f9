#pragma once

// --- `misp2sentinel revoke --event UUID... | --all` ---

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <string>
#include <vector>

namespace m2s {

struct RevokeCommandOptions {
  std::vector<std::string> event_uuids;
  bool all = false;
};

// Revoke what this tool sent for the events (or everything), remember
// them so that later syncs leave them alone, print the summary.
[[nodiscard]] ExitCode run_revoke_command(const Config& config,
                                          const RevokeCommandOptions& options);

} // namespace m2s
