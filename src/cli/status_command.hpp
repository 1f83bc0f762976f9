#pragma once

// --- `misp2sentinel status [--json] [--runs N]` ---
//
// Cursor and last successful run, indicators by state and observable type,
// the outbox, indicators due for refresh, the last N runs, and the most
// common rejection and skip reasons; from the store alone (no network),
// which it never changes (see store_snapshot.hpp).

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace m2s {

struct StatusCommandOptions {
  bool json = false;
  int runs = 5;
};

// The text form of a report from status_report.hpp.
[[nodiscard]] std::string format_status(const boost::json::object& report);

// Print the status of the store named by `config`. Exit code 0, also when
// no sync has made the store yet; StoreError when it cannot be read.
[[nodiscard]] ExitCode run_status_command(const Config& config,
                                          const StatusCommandOptions& options);

} // namespace m2s
