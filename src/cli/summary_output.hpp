#pragma once

// --- The paragraph every sync ends with ---

#include "misp2sentinel/sync/sync_engine.hpp"

#include <string>

namespace m2s {

[[nodiscard]] std::string format_summary(const SyncSummary& summary);

// format_summary on stdout.
void print_summary(const SyncSummary& summary);

} // namespace m2s
