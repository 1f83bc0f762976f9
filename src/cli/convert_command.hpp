#pragma once

// --- `convert FILE...`: MISP event files -> the STIX a sync would send ---
//
// Offline, without a config or a store: each file (any of MISP's three
// event wrappers, or a restSearch page) goes through the conversion a sync
// uses and the finalisation of a sync's first send at `now`, so what is
// printed is what a first sync would upload. The indicators go to stdout as
// one STIX 2.1 bundle or as upload request bodies; what gives no indicator
// is summed up per file and per reason on stderr.

#include "misp2sentinel/util/errors.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace m2s {

struct ConvertCommandOptions {
  std::vector<std::string> files;
  std::string format = "bundle";    // "bundle" or "request"
  std::string api = "stix-objects"; // request body shape, as [sentinel] api
  std::string source_system = "MISP";
  bool to_ids_only = true; // as [misp.filters] to_ids
  int default_confidence = 50;
  std::string default_tlp = "tlp:clear";
  std::string misp_url; // for the links to the event; none when empty
  int days_to_expire = 50;
  std::string expire_from = "now"; // or "valid_from"
  // The time the indicators are sent at (created, modified, valid_until
  // and what counts as expired), ISO-8601; empty: the clock.
  std::string now;
};

// Convert every file, print the objects on `out` and the summary on `err`.
// All or nothing: throws ConfigError (exit code 2) for a bad option or a
// file that cannot be read, MispError (3) for one that is not MISP event
// JSON, each naming the file, before anything goes to `out`.
[[nodiscard]] ExitCode run_convert_command(const ConvertCommandOptions& options,
                                           std::ostream& out,
                                           std::ostream& err);

} // namespace m2s
