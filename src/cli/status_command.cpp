#include "status_command.hpp"

#include "misp2sentinel/util/time.hpp"
#include "status_report.hpp"
#include "store_snapshot.hpp"
#include "summary_output.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <filesystem>

namespace m2s {

namespace {

std::int64_t number(const boost::json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_int64() ? value->get_int64() : 0;
}

std::string text(const boost::json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) {
    return "-";
  }
  if (value->is_string()) {
    return std::string(value->get_string());
  }
  return boost::json::serialize(*value);
}

// "68 active, 0 pending, 1 rejected, 0 revoked"
std::string states(const boost::json::object& counts) {
  return fmt::format("{} active, {} pending, {} rejected, {} revoked",
                     number(counts, "active"),
                     number(counts, "pending"),
                     number(counts, "rejected"),
                     number(counts, "revoked"));
}

std::string cursor_line(const boost::json::value& cursor) {
  if (!cursor.is_object()) {
    return "Cursor: none yet (the next run reads every in-scope event)\n";
  }
  const auto& c = cursor.get_object();
  return fmt::format("Cursor: {} from {} (moved {})\n",
                     text(c, "field"),
                     text(c, "position"),
                     text(c, "updated_at"));
}

std::string last_success_line(const boost::json::value& run) {
  if (!run.is_object()) {
    return "Last successful run: none\n";
  }
  const auto& r = run.get_object();
  return fmt::format("Last successful run: {} ({}) finished {}, {}\n",
                     number(r, "run_id"),
                     text(r, "mode"),
                     text(r, "finished_at"),
                     text(r, "outcome"));
}

std::string outbox_line(const boost::json::object& outbox) {
  const std::int64_t queued = number(outbox, "queued");
  if (queued == 0) {
    return "Outbox: empty\n";
  }
  std::string line = fmt::format(
      "Outbox: {} queued since {}", queued, text(outbox, "oldest_queued_at"));
  if (number(outbox, "with_failed_attempts") > 0) {
    line += fmt::format("; {} failed before, last error: {}",
                        number(outbox, "with_failed_attempts"),
                        text(outbox, "last_error"));
  }
  return line + "\n";
}

std::string refresh_line(const boost::json::object& refresh) {
  if (number(refresh, "before_days") == 0) {
    return fmt::format("Due for refresh: refresh is off; earliest "
                       "valid_until {}\n",
                       text(refresh, "earliest_valid_until"));
  }
  return fmt::format("Due for refresh: {} active indicator(s) expire before "
                     "{} (refresh_before_days = {}); earliest valid_until "
                     "{}\n",
                     number(refresh, "due"),
                     text(refresh, "due_before"),
                     number(refresh, "before_days"),
                     text(refresh, "earliest_valid_until"));
}

// "1.5" (seconds), or "-" while the run has not finished.
std::string duration(const boost::json::object& run) {
  const auto* value = run.if_contains("duration_seconds");
  if (value == nullptr || !value->is_number()) {
    return "-";
  }
  return fmt::format("{:.1f}", value->to_number<double>());
}

std::string run_line(const boost::json::object& run) {
  std::string line = fmt::format(
      "  run {} {} {} {} s {}: {} events read; {} new, {} changed, {} "
      "unchanged, {} revoked; {} sent, {} rejected",
      number(run, "run_id"),
      text(run, "mode"),
      text(run, "started_at"),
      duration(run),
      text(run, "outcome"),
      number(run, "events_read"),
      number(run, "indicators_new"),
      number(run, "indicators_changed"),
      number(run, "indicators_unchanged"),
      number(run, "indicators_revoked"),
      number(run, "objects_sent"),
      number(run, "objects_rejected"));
  if (run.contains("error") && !run.at("error").is_null()) {
    line += "; error: " + text(run, "error");
  }
  if (const auto* live = run.if_contains("in_progress");
      live != nullptr && live->is_bool() && !live->get_bool()) {
    line += "; running, but no process holds the store's lock: it stopped "
            "without finishing (killed?); the next run marks it "
            "interrupted";
  }
  return line + "\n";
}

std::string reasons(const char* title,
                    const boost::json::array& list,
                    const char* count_key) {
  if (list.empty()) {
    return fmt::format("{}: none\n", title);
  }
  std::string out = fmt::format("{}:\n", title);
  for (const auto& entry : list) {
    out += fmt::format("  {:>6}  {}\n",
                       number(entry.as_object(), count_key),
                       text(entry.as_object(), "reason"));
  }
  return out;
}

} // namespace

std::string format_status(const boost::json::object& report) {
  const auto& store = report.at("store").as_object();
  if (!store.at("exists").as_bool()) {
    return fmt::format("No store at {}: no sync has run yet.\n",
                       text(store, "path"));
  }

  std::string out = fmt::format("Store: {} (schema {})\n",
                                text(store, "path"),
                                number(store, "schema_version"));
  out += cursor_line(report.at("cursor"));
  out += last_success_line(report.at("last_success"));
  out += fmt::format("Indicators: {}; {} live in Sentinel\n",
                     states(report.at("indicators").as_object()),
                     number(report, "indicators_live"));
  for (const auto& [type, counts] :
       report.at("indicators_by_type").as_object()) {
    out += fmt::format(
        "  {}: {}\n", std::string(type), states(counts.as_object()));
  }
  out += outbox_line(report.at("outbox").as_object());
  out += refresh_line(report.at("refresh").as_object());

  const auto& runs = report.at("runs").as_array();
  out += fmt::format("Last {} run(s):\n", runs.size());
  for (const auto& run : runs) {
    out += run_line(run.as_object());
  }
  out += reasons("Most common rejections",
                 report.at("top_rejections").as_array(),
                 "indicators");
  out += reasons("Most common skip reasons",
                 report.at("top_skip_reasons").as_array(),
                 "attributes");
  return out;
}

ExitCode run_status_command(const Config& config,
                            const StatusCommandOptions& options) {
  const std::string& path = config.state.path;
  boost::json::object report;
  if (!std::filesystem::exists(path)) {
    report = missing_store_status(path);
  } else {
    StatusQuery query;
    query.runs = options.runs;
    // The engine refreshes only valid_until counted from the upload.
    query.refresh_before_days = config.indicators.expire_from == ExpireFrom::now
                                    ? config.indicators.refresh_before_days
                                    : 0;
    query.now_ms = now_epoch_ms();
    SQLite::Database db = open_store_for_reading(path);
    report = read_status(db, path, query);
  }

  if (options.json) {
    print_json(report);
  } else {
    print_text(format_status(report));
  }
  return ExitCode::ok;
}

} // namespace m2s
