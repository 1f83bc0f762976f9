#pragma once

// --- `misp2sentinel check`: is every setting right? ---
//
// Runs, in order: config, store, MISP, Entra ID token, Sentinel workspace,
// and prints one line for each as it finishes:
//   OK    MISP: http://misp.example.org/ runs MISP 2.5.1; ...
//   FAIL  Entra ID token: <what is wrong>; <the fix>
//   SKIP  Sentinel workspace: needs a token
// A failure does not stop the checks that do not depend on it, so one
// command shows every problem. Writes nothing: the store is only read, and
// the workspace test is an upload of an empty list, which Sentinel refuses
// without storing anything (see SentinelUploader::probe_workspace).

#include "misp2sentinel/util/errors.hpp"

#include <string>

namespace m2s {

// Check the setup of `config_path`; `level_override` as --log-level. The
// exit code is that of the first failure (2 config, 5 store, 3 MISP, 4
// token or workspace), 0 when every check passes.
[[nodiscard]] ExitCode run_check_command(const std::string& config_path,
                                         const std::string& level_override);

} // namespace m2s
