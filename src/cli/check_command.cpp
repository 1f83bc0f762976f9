#include "check_command.hpp"

#include "check_advice.hpp"
#include "live_clients.hpp"
#include "logging_setup.hpp"
#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/http/http_client.hpp"
#include "misp2sentinel/http/retry.hpp"
#include "misp2sentinel/misp/misp_client.hpp"
#include "misp2sentinel/sentinel/rate_limiter.hpp"
#include "misp2sentinel/sentinel/token_cache.hpp"
#include "misp2sentinel/sentinel/uploader.hpp"
#include "misp2sentinel/store/migrations.hpp"
#include "store_snapshot.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <optional>

namespace m2s {

namespace {

namespace fs = std::filesystem;

// Prints the lines and remembers the first failure's exit code.
class CheckLines {
public:
  void ok(const std::string& name, const std::string& detail) {
    print("OK", name, detail);
  }

  void warn(const std::string& name, const std::string& detail) {
    print("WARN", name, detail);
  }

  void skip(const std::string& name, const std::string& why) {
    print("SKIP", name, why);
  }

  void fail(const std::string& name, ExitCode code, const std::string& detail) {
    print("FAIL", name, detail);
    if (m_code == ExitCode::ok) {
      m_code = code;
    }
  }

  [[nodiscard]] ExitCode exit_code() const {
    return m_code;
  }

private:
  static void print(const char* status,
                    const std::string& name,
                    const std::string& detail) {
    // Multi-line details (every problem of a config) stay under the line.
    std::string text = detail;
    for (auto at = text.find('\n'); at != std::string::npos;
         at = text.find('\n', at + 7)) {
      text.replace(at, 1, "\n      ");
    }
    std::fputs(fmt::format("{:<5} {}: {}\n", status, name, text).c_str(),
               stdout);
    std::fflush(stdout);
  }

  ExitCode m_code = ExitCode::ok;
};

// Why [log] file could not be opened by a sync, without creating it:
// the file must be writable, or the nearest folder that exists must let
// this user create what is missing below it.
std::optional<std::string> log_file_problem(const std::string& file) {
  std::error_code error;
  if (fs::exists(file, error)) {
    if (fs::is_directory(file, error)) {
      return std::string("it is a folder");
    }
    if (::access(file.c_str(), W_OK) != 0) {
      return std::string("not writable by this user");
    }
    return std::nullopt;
  }

  fs::path folder = fs::path(file).parent_path();
  while (!folder.empty() && !fs::exists(folder, error)) {
    folder = folder.parent_path();
  }
  const std::string name = folder.empty() ? "." : folder.string();
  if (!fs::is_directory(name, error)) {
    return fmt::format("{} is not a folder", name);
  }
  if (::access(name.c_str(), W_OK | X_OK) != 0) {
    return fmt::format("this user cannot create it in {}", name);
  }
  return std::nullopt;
}

std::optional<Config> check_config(const std::string& path,
                                   const std::string& level_override,
                                   CheckLines& lines) {
  std::optional<Config> config;
  try {
    config = load_config(path);
    setup_stderr_logging(config->log, level_override);
  } catch (const ConfigError& e) {
    setup_logging(level_override.empty() ? "info" : level_override, "");
    lines.fail("config", ExitCode::usage_or_config, e.what());
    return std::nullopt;
  }

  if (const auto problem = log_file_problem(config->log.file)) {
    // The other checks still run: the config itself is readable.
    lines.fail("config",
               ExitCode::usage_or_config,
               fmt::format("[log] file {}: {}; every sync would stop with "
                           "exit 2 until it can be written",
                           config->log.file,
                           *problem));
  } else {
    lines.ok("config", path);
  }
  // The same warnings sync logs on every run (TLS off, plain http, files
  // others may read or write): check is where the operator looks first.
  for (const std::string& warning : config->warnings) {
    lines.warn("config", warning);
  }
  return config;
}

void check_store(const Config& config, CheckLines& lines) {
  const std::string& path = config.state.path;
  const char* name = "store";
  try {
    if (!fs::exists(path)) {
      const fs::path parent = fs::path(path).parent_path();
      const std::string folder = parent.empty() ? "." : parent.string();
      if (!fs::is_directory(folder)) {
        lines.fail(name,
                   ExitCode::store_error,
                   fmt::format("the folder {} does not exist: create it, "
                               "or change [state] path",
                               folder));
      } else if (::access(folder.c_str(), W_OK | X_OK) != 0) {
        lines.fail(name,
                   ExitCode::store_error,
                   fmt::format("this user cannot create files in {}: fix "
                               "its owner or mode, or change [state] path",
                               folder));
      } else {
        lines.ok(name,
                 path
                     + " does not exist yet; the first sync "
                       "creates it");
      }
      return;
    }

    SQLite::Database db = open_store_for_reading(path);
    const int version = schema_version(db);
    const int newest = embedded_migrations().back().version;
    if (version > newest) {
      lines.fail(name,
                 ExitCode::store_error,
                 fmt::format("{} has schema {}, newer than this "
                             "misp2sentinel knows ({}): upgrade "
                             "misp2sentinel",
                             path,
                             version,
                             newest));
    } else if (::access(path.c_str(), W_OK) != 0) {
      lines.fail(name,
                 ExitCode::store_error,
                 fmt::format("{} is not writable by this user: run as its "
                             "owner, or change [state] path",
                             path));
    } else {
      lines.ok(name, fmt::format("{} (schema {})", path, version));
    }
  } catch (const Error& e) {
    lines.fail(name, ExitCode::store_error, e.what());
  } catch (const SQLite::Exception& e) {
    lines.fail(name,
               ExitCode::store_error,
               fmt::format("{}: {}; is [state] path a misp2sentinel "
                           "store?",
                           path,
                           e.what()));
  }
}

void check_misp(const Config& config, CheckLines& lines) {
  const char* name = "MISP";
  const std::string url = redact_url(config.misp.url);
  HttpClient http(http_options(config.limits,
                               config.misp.verify_tls,
                               config.misp.ca_file,
                               config.misp.timeout_seconds));
  RetryBudget no_retries(std::chrono::seconds(0),
                         std::chrono::seconds(1),
                         std::chrono::seconds(1));
  MispClient misp(config.misp, http, no_retries, real_sleeper());

  try {
    const MispVersion version = misp.version();
    lines.ok(name,
             fmt::format("{} runs MISP {}; the API key works ({})",
                         url,
                         version.version,
                         version.perm_sync
                             ? "a sync user: it also sees soft-deleted "
                               "attributes and local tags"
                             : "not a sync user: it sees what its "
                               "organisation may see"));
  } catch (const TransportError& e) {
    lines.fail(name, ExitCode::misp_error, transport_advice(e, "[misp]", url));
  } catch (const MispError& e) {
    lines.fail(name, ExitCode::misp_error, e.what());
  }
}

void check_sentinel(const Config& config, CheckLines& lines) {
  const SentinelConfig& sentinel = config.sentinel;
  HttpClient http(http_options(config.limits,
                               sentinel.verify_tls,
                               sentinel.ca_file,
                               sentinel.timeout_seconds));
  EntraTokenCache tokens(sentinel, http);

  try {
    static_cast<void>(tokens.bearer());
    lines.ok("Entra ID token",
             fmt::format("tenant {} gave app {} a token for {}",
                         sentinel.tenant_id,
                         sentinel.client_id,
                         sentinel.scope));
  } catch (const SentinelError& e) {
    lines.fail("Entra ID token",
               ExitCode::sentinel_error,
               e.what() + token_advice(e.what(), sentinel));
    lines.skip("Sentinel workspace", "needs a token");
    return;
  }

  const char* name = "Sentinel workspace";
  RetryBudget no_retries(std::chrono::seconds(0),
                         std::chrono::seconds(1),
                         std::chrono::seconds(1));
  const Sleeper sleeper = real_sleeper();
  RateLimiter limiter(
      sentinel.requests_per_minute, std::chrono::minutes(1), sleeper);
  SentinelUploader uploader(
      sentinel, http, tokens, limiter, no_retries, sleeper);
  try {
    const WorkspaceProbe probe = uploader.probe_workspace();
    if (probe.ok) {
      lines.ok(name, probe.detail + " at " + redact_url(uploader.endpoint()));
    } else {
      lines.fail(name, ExitCode::sentinel_error, probe.detail);
    }
  } catch (const TransportError& e) {
    lines.fail(name,
               ExitCode::sentinel_error,
               transport_advice(e, "[sentinel]", redact_url(sentinel.api_url)));
  } catch (const SentinelError& e) {
    lines.fail(name, ExitCode::sentinel_error, e.what());
  }
}

} // namespace

ExitCode run_check_command(const std::string& config_path,
                           const std::string& level_override) {
  CheckLines lines;
  const std::optional<Config> config =
      check_config(config_path, level_override, lines);
  if (!config) {
    for (const char* name :
         {"store", "MISP", "Entra ID token", "Sentinel workspace"}) {
      lines.skip(name, "needs a valid config");
    }
    return lines.exit_code();
  }

  check_store(*config, lines);
  check_misp(*config, lines);
  check_sentinel(*config, lines);
  return lines.exit_code();
}

} // namespace m2s
