#pragma once

// --- The command line of m2s-sandbox ---

#include <cstdint>
#include <optional>
#include <string>

namespace m2s::sandbox {

struct SandboxOptions {
  std::string events_dir;
  std::string record_path;
  int port = 0; // 0: any free port
  std::string port_file;
  // Real MISP keys are 40 letters and digits; this fixed demo value is not
  // (the demo and the integration tests use it as is), so the sandbox
  // compares the header with --misp-key without checking the form.
  std::string misp_key = "sandbox-misp-key-0000000000000000000000000";
  std::string tenant = "00000000-0000-4000-8000-000000000001";
  std::string client_id = "00000000-0000-4000-8000-000000000002";
  std::string client_secret = "sandbox-client-secret";
  std::string workspace = "00000000-0000-4000-8000-000000000003";
  std::int64_t token_ttl_seconds = 3600;
  int rate_limit = 100;
  std::int64_t rate_window_ms = 60000;
  int max_batch = 100;
  std::string warninglist_path; // empty: enforceWarninglist is ignored
  // Keep parsed event files until their size or mtime changes (benchmarks).
  bool cache_events = false;
};

// Fills `options` from the command line. Returns the exit code when the
// program must stop now (0 after --help, 2 on a usage error, with the
// message already printed), nullopt to go on.
[[nodiscard]] std::optional<int>
parse_options(int argc, char** argv, SandboxOptions& options);

} // namespace m2s::sandbox
