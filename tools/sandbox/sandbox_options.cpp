#include "sandbox_options.hpp"

#include <CLI/CLI.hpp>

// The only translation unit that includes CLI11: it is slow to compile.

namespace m2s::sandbox {

namespace {

void add_credential_options(CLI::App& app, SandboxOptions& options) {
  app.add_option("--misp-key", options.misp_key, "MISP API key to accept")
      ->capture_default_str();
  app.add_option("--tenant", options.tenant, "Entra tenant id to accept")
      ->capture_default_str();
  app.add_option("--client-id", options.client_id, "Entra app id to accept")
      ->capture_default_str();
  // A fixed test value, not a real secret: showing the default helps.
  app.add_option(
         "--client-secret", options.client_secret, "Entra secret to accept")
      ->capture_default_str();
  app.add_option(
         "--workspace", options.workspace, "Sentinel workspace id to accept")
      ->capture_default_str();
}

void add_limit_options(CLI::App& app, SandboxOptions& options) {
  app.add_option("--token-ttl",
                 options.token_ttl_seconds,
                 "Lifetime of issued tokens, seconds")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{86400 * 365}));
  app.add_option("--rate-limit",
                 options.rate_limit,
                 "Upload requests allowed per window")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--rate-window-ms",
                 options.rate_window_ms,
                 "Length of the sliding rate window, milliseconds")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{86400000}));
  app.add_option("--max-batch", options.max_batch, "Most objects in one upload")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
}

} // namespace

std::optional<int>
parse_options(int argc, char** argv, SandboxOptions& options) {
  CLI::App app{"Local MISP + Entra token + Sentinel stand-in for "
               "misp2sentinel's demo and integration tests (loopback only)"};

  app.add_option("--events-dir",
                 options.events_dir,
                 "Folder of MISP event *.json files, re-read per request")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--record",
                 options.record_path,
                 "SQLite file recording uploads and requests (created)")
      ->required();
  app.add_option("--port", options.port, "Port on 127.0.0.1; 0: any free")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  app.add_option("--port-file",
                 options.port_file,
                 "Write the bound port here (atomically)");
  app.add_option("--warninglist",
                 options.warninglist_path,
                 "Values dropped when a search sets enforceWarninglist")
      ->check(CLI::ExistingFile);
  app.add_flag("--cache-events",
               options.cache_events,
               "Parse an events file again only when its size or "
               "modification time changed");
  add_credential_options(app, options);
  add_limit_options(app, options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : 2;
  }
  return std::nullopt;
}

} // namespace m2s::sandbox
