#include "dry_run.hpp"

#include "live_clients.hpp"
#include "misp2sentinel/util/time.hpp"
#include "store_snapshot.hpp"

#include <SQLiteCpp/Statement.h>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace m2s {

namespace fs = std::filesystem;

namespace {

// Created 0600 from the start, whatever the umask: a body names every
// indicator, like the store.
void write_body(const std::string& path, const std::string& body) {
  const int fd =
      ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
  std::FILE* out = fd < 0 ? nullptr : ::fdopen(fd, "wb");
  if (out == nullptr) {
    if (fd >= 0) {
      ::close(fd);
    }
    throw StoreError(fmt::format("--out: cannot create {}", path));
  }

  const bool written =
      std::fwrite(body.data(), 1, body.size(), out) == body.size();
  if (std::fclose(out) != 0 || !written) {
    throw StoreError(fmt::format("--out: cannot write {}", path));
  }
}

} // namespace

RecordingSink::RecordingSink(Store& copy,
                             const SentinelUploader& bodies,
                             std::string out_dir)
    : m_copy(copy),
      m_bodies(bodies) {
  m_report.out_dir = std::move(out_dir);
}

BatchOutcome RecordingSink::upload(const std::vector<OutboxItem>& batch) {
  std::vector<std::string> objects;
  objects.reserve(batch.size());
  for (const OutboxItem& item : batch) {
    m_report.sends.push_back(plan(item));
    objects.push_back(item.stix_object);
  }
  ++m_report.requests;

  if (!m_report.out_dir.empty()) {
    const std::string path =
        (fs::path(m_report.out_dir)
         / fmt::format("request-{:04}.json", m_report.requests))
            .string();
    write_body(path, m_bodies.request_body(objects));
  }

  BatchOutcome outcome;
  outcome.requests = 1;
  return outcome;
}

PlannedSend RecordingSink::plan(const OutboxItem& item) {
  PlannedSend send;
  send.indicator_id = item.indicator_id;

  // The copy still holds the queued row, which says why it is sent, and
  // whether Sentinel had a version.
  SQLite::Statement q(m_copy.database(),
                      "SELECT i.sent_hash IS NOT NULL, i.observable_type, "
                      "i.value, i.event_uuid FROM indicators i "
                      "WHERE i.indicator_key = ?1");
  q.bind(1, static_cast<std::int64_t>(item.indicator_key));
  if (!q.executeStep()) {
    send.action = "add";
    return send;
  }

  const bool sent_before = q.getColumn(0).getInt() != 0;
  if (item.action == OutboxAction::upload) {
    send.action = sent_before ? "update" : "add";
  } else {
    send.action = to_string(item.action); // "revoke" or "refresh"
  }
  send.observable_type = q.getColumn(1).getString();
  send.value = q.getColumn(2).getString();
  send.event_uuid = q.getColumn(3).getString();
  return send;
}

void prepare_out_dir(const std::string& dir) {
  std::error_code error;
  if (fs::exists(dir, error)) {
    if (!fs::is_directory(dir, error)) {
      throw ConfigError(fmt::format("--out {}: not a folder", dir));
    }
    if (!fs::is_empty(dir, error)) {
      throw ConfigError(fmt::format(
          "--out {}: the folder is not empty; give a new or empty folder",
          dir));
    }
    return;
  }

  fs::create_directories(dir, error);
  if (error) {
    throw ConfigError(
        fmt::format("--out {}: cannot create: {}", dir, error.message()));
  }
  // The bodies name every indicator, like the store: keep them private.
  fs::permissions(dir, fs::perms::owner_all, error);
}

ExitCode run_dry_run(const Config& config, const SyncCommandOptions& options) {
  if (!options.out_dir.empty()) {
    prepare_out_dir(options.out_dir);
  }

  spdlog::info("Dry run: a recorder stands in for Sentinel (\"uploading\" "
               "below records; nothing leaves this machine) and the engine "
               "works on an in-memory copy of {}",
               config.state.path);
  Store copy(copy_store_to_memory(config.state.path),
             config.state.path + " (dry-run copy)");
  // The engine would warn that unfinished runs stopped early, but a dry
  // run takes no lock: such a run may be a sync working beside it. Close
  // them in the copy first (the engine's own first step) and say only
  // what the store records.
  const int unfinished = copy.close_interrupted_runs();
  if (unfinished > 0) {
    spdlog::info("The store records {} unfinished run(s), which may still "
                 "be running; their queued indicators count as a sync "
                 "would send them",
                 unfinished);
  }
  LiveClients clients(config);
  RecordingSink sink(copy, clients.uploader(), options.out_dir);
  SyncEngine engine(config, copy, clients.misp(), sink, now_epoch_ms);

  SyncOptions sync_options;
  sync_options.full = options.full;
  sync_options.resend = options.resend;
  sync_options.allow_mass_revocation = options.allow_mass_revocation;
  const SyncSummary summary = engine.run(sync_options);

  if (options.json) {
    print_json(dry_run_json(summary, sink.report(), sync_mode(options)));
  } else {
    print_text(format_dry_run(summary, sink.report()));
  }
  if (!summary.error.empty()) {
    spdlog::error("{}", summary.error);
  }
  return summary.exit_code;
}

} // namespace m2s
