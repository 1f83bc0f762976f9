#include "metrics_file.hpp"

#include "misp2sentinel/util/errors.hpp"
#include "misp2sentinel/util/time.hpp"

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <optional>
#include <string_view>

namespace m2s {

namespace {

constexpr std::array<const char*, 4> k_states = {
    "active", "pending", "rejected", "revoked"};

std::int64_t epoch_seconds(const std::string& iso_time) {
  const std::optional<std::int64_t> ms = parse_iso8601_ms(iso_time);
  return ms ? *ms / 1000 : 0;
}

// The text of a one-value query, or "" for NULL / no row.
std::string text_of(Store& store, const char* sql, std::int64_t arg) {
  SQLite::Statement q(store.database(), sql);
  if (q.getBindParameterCount() > 0) {
    q.bind(1, static_cast<std::int64_t>(arg));
  }
  if (!q.executeStep() || q.getColumn(0).isNull()) {
    return {};
  }
  return q.getColumn(0).getString();
}

std::int64_t int_of(Store& store, const char* sql) {
  return store.database().execAndGet(sql).getInt64();
}

void append_metric(std::string& out,
                   std::string_view name,
                   std::string_view type,
                   std::string_view help,
                   std::string_view value) {
  out += fmt::format(
      "# HELP {0} {1}\n# TYPE {0} {2}\n{0} {3}\n", name, help, type, value);
}

[[noreturn]] void fail(const std::string& path, const char* step) {
  throw Error(ExitCode::store_error,
              fmt::format("[metrics] textfile {}: cannot {}: {}",
                          path,
                          step,
                          std::strerror(errno)));
}

void write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      fail(path, "write the temporary file");
    }
    written += static_cast<std::size_t>(n);
  }
}

// The rename is durable only once the folder's entry is on disk.
void sync_folder(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

} // namespace

MetricsSnapshot read_metrics(Store& store, const SyncSummary& summary) {
  MetricsSnapshot s;
  s.last_run_timestamp = epoch_seconds(text_of(
      store, "SELECT finished_at FROM runs WHERE run_id = ?1", summary.run_id));
  s.last_success_timestamp = epoch_seconds(text_of(
      store,
      "SELECT finished_at FROM runs WHERE outcome IN ('ok', 'some_rejected') "
      "ORDER BY run_id DESC LIMIT 1",
      0));
  s.run_duration_seconds =
      static_cast<double>(summary.elapsed.count()) / 1000.0;
  s.last_run_exit_code = static_cast<int>(summary.exit_code);

  // One pass over the indicators for both figures: a store of millions
  // has no index that answers either.
  SQLite::Statement by_state(store.database(),
                             "SELECT state, count(*), "
                             "sum(" M2S_LIVE_IN_SENTINEL ") "
                             "FROM indicators GROUP BY state");
  while (by_state.executeStep()) {
    const std::string state = by_state.getColumn(0).getString();
    for (std::size_t i = 0; i < k_states.size(); ++i) {
      if (state == k_states[i]) {
        s.indicators[i] = by_state.getColumn(1).getInt64();
      }
    }
    s.indicators_live += by_state.getColumn(2).getInt64();
  }

  s.outbox_pending = int_of(store, "SELECT count(*) FROM outbox");
  s.objects_sent_total =
      int_of(store, "SELECT coalesce(sum(objects_sent), 0) FROM runs");
  s.objects_rejected_total =
      int_of(store, "SELECT coalesce(sum(objects_rejected), 0) FROM runs");
  s.run_errors_total = int_of(store,
                              "SELECT count(*) FROM runs WHERE outcome IN "
                              "('failed', 'interrupted')");
  return s;
}

std::string format_metrics(const MetricsSnapshot& s) {
  std::string out;
  append_metric(out,
                "misp2sentinel_last_run_timestamp_seconds",
                "gauge",
                "When the last run ended, in Unix time.",
                fmt::format("{}", s.last_run_timestamp));
  append_metric(out,
                "misp2sentinel_last_success_timestamp_seconds",
                "gauge",
                "When the last run without a MISP, Sentinel or store error "
                "ended, in Unix time (0: never).",
                fmt::format("{}", s.last_success_timestamp));
  append_metric(out,
                "misp2sentinel_run_duration_seconds",
                "gauge",
                "How long the last run took.",
                fmt::format("{:.3f}", s.run_duration_seconds));
  append_metric(out,
                "misp2sentinel_last_run_exit_code",
                "gauge",
                "Exit code of the last run (0 ok, 1 some rejected, 3 MISP, "
                "4 Sentinel, 5 store).",
                fmt::format("{}", s.last_run_exit_code));

  out += "# HELP misp2sentinel_indicators Indicators in the store, by "
         "state.\n"
         "# TYPE misp2sentinel_indicators gauge\n";
  for (std::size_t i = 0; i < k_states.size(); ++i) {
    out += fmt::format("misp2sentinel_indicators{{state=\"{}\"}} {}\n",
                       k_states[i],
                       s.indicators[i]);
  }

  append_metric(out,
                "misp2sentinel_indicators_live",
                "gauge",
                "Indicators live in Sentinel: the version it last accepted "
                "is not a revocation (a newer version may be queued or "
                "refused).",
                fmt::format("{}", s.indicators_live));
  append_metric(out,
                "misp2sentinel_outbox_pending",
                "gauge",
                "Indicator versions still queued for Sentinel after the last "
                "run.",
                fmt::format("{}", s.outbox_pending));
  append_metric(out,
                "misp2sentinel_objects_sent_total",
                "counter",
                "Objects Sentinel accepted, over every run in the store.",
                fmt::format("{}", s.objects_sent_total));
  append_metric(out,
                "misp2sentinel_objects_rejected_total",
                "counter",
                "Objects Sentinel rejected, over every run in the store.",
                fmt::format("{}", s.objects_rejected_total));
  append_metric(out,
                "misp2sentinel_run_errors_total",
                "counter",
                "Runs that failed or were interrupted, over every run in the "
                "store.",
                fmt::format("{}", s.run_errors_total));
  return out;
}

void write_file_atomically(const std::string& path, const std::string& text) {
  std::string temp = path + ".tmp.XXXXXX";
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) {
    fail(path, "create a temporary file beside it");
  }

  try {
    // mkostemp makes it 0600; the collector runs as another user.
    if (::fchmod(fd, 0644) != 0) {
      fail(path, "set the temporary file's mode");
    }
    write_all(fd, text, path);
    if (::fsync(fd) != 0) {
      fail(path, "flush the temporary file");
    }
  } catch (const Error&) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    fail(path, "close the temporary file");
  }

  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    fail(path, "rename the temporary file over it");
  }
  const std::filesystem::path folder =
      std::filesystem::path(path).parent_path();
  sync_folder(folder.empty() ? std::string(".") : folder.string());
}

void write_metrics(const std::string& path,
                   Store& store,
                   const SyncSummary& summary) {
  if (path.empty()) {
    return;
  }

  try {
    write_file_atomically(path, format_metrics(read_metrics(store, summary)));
  } catch (const Error& e) {
    spdlog::warn("{}; the metrics are stale", e.what());
  } catch (const SQLite::Exception& e) {
    spdlog::warn("[metrics] textfile {}: cannot read the store: {}; the "
                 "metrics are stale",
                 path,
                 e.what());
  }
}

} // namespace m2s
