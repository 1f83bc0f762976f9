// misp2sentinel: keeps Microsoft Sentinel's threat intelligence in step with
// MISP. This file holds the command line only (CLI11 is heavy to compile;
// keep it in this one translation unit).

#include "check_command.hpp"
#include "convert_command.hpp"
#include "logging_setup.hpp"
#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "revoke_command.hpp"
#include "status_command.hpp"
#include "sync_command.hpp"

#include <CLI/CLI.hpp>
#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

namespace {

constexpr const char* k_exit_codes = R"(Exit codes:
  0  everything was sent (or there was nothing to send)
  1  some indicators were rejected by Sentinel (see the rejected view)
  2  usage or configuration error
  3  MISP error (unreachable, bad key, malformed answer)
  4  Sentinel or token error (pending indicators stay queued)
  5  store error, or another run holds the store's lock (nothing done))";

int fail(m2s::ExitCode code, const std::string& message) {
  std::fputs(fmt::format("misp2sentinel: error: {}\n", message).c_str(),
             stderr);
  return static_cast<int>(code);
}

} // namespace

int main(int argc, char** argv) {
  // `misp2sentinel sync | head`: the summary goes to a pipe whose reader
  // may be gone by the end of the run. The write fails instead of SIGPIPE
  // killing a run that is done and recorded.
  std::signal(SIGPIPE, SIG_IGN);

  CLI::App app{"Keeps Microsoft Sentinel threat intelligence in step with "
               "MISP."};
  app.footer(k_exit_codes);
  app.set_version_flag("--version", "misp2sentinel 0.1.0");
  app.require_subcommand(1);
  // Global options such as --config may also follow the subcommand.
  app.fallthrough();

  std::string config_path = "misp2sentinel.toml";
  std::string log_level;
  app.add_option("-c,--config", config_path, "Configuration file (TOML)")
      ->capture_default_str();
  app.add_option("--log-level",
                 log_level,
                 "Override [log] level: trace, debug, info, warn, error");

  m2s::SyncCommandOptions sync_options;
  CLI::App* sync = app.add_subcommand(
      "sync", "Send MISP changes since the last run to Sentinel");
  sync->add_flag("--full",
                 sync_options.full,
                 "Re-read every in-scope event, ignoring the cursor, and "
                 "revoke what vanished from MISP or left the scope");
  sync->add_flag("--resend",
                 sync_options.resend,
                 "With --full: send every active indicator again (a new "
                 "workspace, or after a Sentinel-side purge)");
  sync->add_flag("--allow-mass-revocation",
                 sync_options.allow_mass_revocation,
                 "With --full: revoke the events MISP no longer lists even "
                 "when they are more than half of those in Sentinel");
  sync->add_flag("--dry-run",
                 sync_options.dry_run,
                 "Show what would be sent; send nothing, change nothing");
  sync->add_option("--out",
                   sync_options.out_dir,
                   "With --dry-run: write each request body into this new "
                   "or empty folder");
  sync->add_flag(
      "--json", sync_options.json, "Print the run's summary as JSON on stdout");

  CLI::App* check = app.add_subcommand(
      "check", "Check the config, MISP, the token and the workspace");

  m2s::StatusCommandOptions status_options;
  CLI::App* status = app.add_subcommand(
      "status", "Show the cursor, indicators, recent runs and problems");
  status->add_flag("--json", status_options.json, "Print the status as JSON");
  status->add_option("--runs", status_options.runs, "How many runs to list")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();

  m2s::RevokeCommandOptions revoke_options;
  CLI::App* revoke = app.add_subcommand(
      "revoke", "Revoke in Sentinel what this tool sent for some events");
  revoke->add_option(
      "--event", revoke_options.event_uuids, "MISP event UUID (repeatable)");
  revoke->add_flag("--all",
                   revoke_options.all,
                   "Every event this tool has sent indicators for");

  m2s::ConvertCommandOptions convert_options;
  CLI::App* convert = app.add_subcommand(
      "convert",
      "Print the STIX indicators MISP event files give (offline, no config)");
  convert
      ->add_option("FILE",
                   convert_options.files,
                   "MISP event JSON: {\"Event\":...}, a bare event, or a "
                   "restSearch answer")
      ->required();
  convert
      ->add_option("--format",
                   convert_options.format,
                   "bundle (a STIX 2.1 bundle) or request (the upload "
                   "request bodies, one a line)")
      ->check(CLI::IsMember({"bundle", "request"}))
      ->capture_default_str();
  convert
      ->add_option("--api",
                   convert_options.api,
                   "Request body shape: stix-objects or upload-indicators")
      ->check(CLI::IsMember({"stix-objects", "upload-indicators"}))
      ->capture_default_str();
  convert->add_flag("--to-ids-only,!--all",
                    convert_options.to_ids_only,
                    "Only attributes with the IDS flag (the default), or "
                    "all of them");
  convert
      ->add_option("--confidence",
                   convert_options.default_confidence,
                   "Confidence when no tag sets one")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  convert
      ->add_option("--tlp",
                   convert_options.default_tlp,
                   "TLP when neither attribute nor event has one")
      ->capture_default_str();
  convert
      ->add_option("--days-to-expire",
                   convert_options.days_to_expire,
                   "Days until valid_until")
      ->check(CLI::Range(1, 36500))
      ->capture_default_str();
  convert
      ->add_option("--expire-from",
                   convert_options.expire_from,
                   "now, or valid_from (MISP's last_seen when known)")
      ->check(CLI::IsMember({"now", "valid_from"}))
      ->capture_default_str();
  convert->add_option("--misp-url",
                      convert_options.misp_url,
                      "MISP base URL for the links to the events");
  convert
      ->add_option("--source-system",
                   convert_options.source_system,
                   "sourcesystem of the request bodies")
      ->capture_default_str();
  convert->add_option("--now",
                      convert_options.now,
                      "Send time (ISO-8601) for created, modified and "
                      "valid_until; default: the clock");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(m2s::ExitCode::usage_or_config);
  }

  // For store errors caught below, once the config has named the store.
  std::string store_path;
  try {
    // check reports a broken config as one of its lines.
    if (check->parsed()) {
      return static_cast<int>(m2s::run_check_command(config_path, log_level));
    }
    // convert is offline and needs no config.
    if (convert->parsed()) {
      return static_cast<int>(
          m2s::run_convert_command(convert_options, std::cout, std::cerr));
    }

    // Each command resolves only the secrets it uses: status reads the
    // store alone, a dry run asks MISP but requests no token, revoke
    // talks to Sentinel only.
    m2s::NeededSecrets needed = m2s::NeededSecrets::all();
    if (status->parsed()) {
      needed = m2s::NeededSecrets::none();
    } else if (sync->parsed() && sync_options.dry_run) {
      needed = m2s::NeededSecrets::misp_only();
    } else if (revoke->parsed()) {
      needed = m2s::NeededSecrets::sentinel_only();
    }
    const m2s::Config config = m2s::load_config(config_path, needed);
    store_path = config.state.path;
    if (status->parsed()) {
      m2s::setup_stderr_logging(config.log, log_level);
    } else {
      m2s::setup_logging(config.log, log_level);
    }
    // Problems that do not stop a run (a secret file others may read).
    for (const std::string& warning : config.warnings) {
      spdlog::warn("{}", warning);
    }

    if (sync->parsed()) {
      if (sync_options.resend && !sync_options.full) {
        throw m2s::ConfigError("sync: --resend needs --full");
      }
      if (sync_options.allow_mass_revocation && !sync_options.full) {
        throw m2s::ConfigError("sync: --allow-mass-revocation needs --full");
      }
      return static_cast<int>(m2s::run_sync_command(config, sync_options));
    }
    if (status->parsed()) {
      return static_cast<int>(m2s::run_status_command(config, status_options));
    }
    if (revoke->parsed()) {
      return static_cast<int>(m2s::run_revoke_command(config, revoke_options));
    }
    return static_cast<int>(m2s::ExitCode::usage_or_config);
  } catch (const m2s::Error& e) {
    return fail(e.code(), e.what());
  } catch (const SQLite::Exception& e) {
    // SQLITE_BUSY past the busy timeout: another connection (an sqlite3
    // shell left open) holds a write transaction. Our own runs never do,
    // thanks to the run lock, so say who to look for.
    if ((e.getErrorCode() & 0xff) == SQLITE_BUSY) {
      return fail(m2s::ExitCode::store_error,
                  fmt::format("store {}: {}: another program holds a write "
                              "lock on it (an open sqlite3 shell, a "
                              "backup); close it and run again",
                              store_path,
                              e.what()));
    }
    return fail(m2s::ExitCode::store_error,
                fmt::format("store {}: {}", store_path, e.what()));
  } catch (const std::exception& e) {
    return fail(m2s::ExitCode::store_error,
                fmt::format("unexpected failure: {}", e.what()));
  }
}
