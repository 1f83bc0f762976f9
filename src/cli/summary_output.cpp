#include "summary_output.hpp"

#include "progress_reporter.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <string_view>

namespace m2s {

namespace {

double seconds(std::chrono::milliseconds elapsed) {
  return static_cast<double>(elapsed.count()) / 1000.0;
}

// "Skipped 3 attribute(s) (to_ids is false: 2, unsupported type: 1)"
std::string skipped_text(const RunCounts& c) {
  std::string text =
      fmt::format("Skipped {} attribute(s)", c.attributes_skipped);
  if (!c.skips_by_reason.empty()) {
    text += " (";
    bool first = true;
    for (const auto& [reason, count] : c.skips_by_reason) {
      text += fmt::format("{}{}: {}", first ? "" : ", ", reason, count);
      first = false;
    }
    text += ")";
  }
  return text;
}

const char* outcome(ExitCode code) {
  switch (code) {
  case ExitCode::ok:
    return "ok";
  case ExitCode::some_rejected:
    return "some_rejected";
  case ExitCode::usage_or_config:
  case ExitCode::misp_error:
  case ExitCode::sentinel_error:
  case ExitCode::store_error:
    return "failed";
  }
  return "failed";
}

std::int64_t count_of(const std::vector<PlannedSend>& sends,
                      const std::string& action) {
  std::int64_t n = 0;
  for (const PlannedSend& send : sends) {
    n += send.action == action ? 1 : 0;
  }
  return n;
}

// "1 event", "3 events": the paragraph is read by people.
std::string counted(std::int64_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

// What went to Sentinel, and the error that ended the run early.
std::string sentinel_text(const SyncSummary& s) {
  const RunCounts& c = s.counts;
  std::string text = fmt::format(
      "Sentinel: {} sent, {} rejected, in {} request(s) ({} throttled); "
      "{} left pending.",
      c.objects_sent,
      c.objects_rejected,
      c.requests,
      c.throttled,
      s.pending_left);
  if (!s.error.empty()) {
    text += fmt::format(" Error: {}", s.error);
  }
  return text;
}

void write_stdout(const std::string& text) {
  // A progress line on the same terminal would run into the text.
  end_progress_line();
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
}

} // namespace

std::string format_summary(const SyncSummary& s) {
  const RunCounts& c = s.counts;
  std::string text = fmt::format(
      "Run {} {} in {:.1f} s. MISP: {}, {} read. "
      "Indicators: {} new, {} changed, {} unchanged, {} revoked, {} "
      "refreshed. ",
      s.run_id,
      s.error.empty() ? "finished" : "stopped early",
      seconds(s.elapsed),
      counted(c.events_read, "event"),
      counted(c.attributes_read, "attribute"),
      c.indicators_new,
      c.indicators_changed,
      c.indicators_unchanged,
      c.indicators_revoked,
      c.indicators_refreshed);

  text += skipped_text(c);
  text += ". " + sentinel_text(s);
  return text;
}

std::string format_revoke_summary(const SyncSummary& s) {
  return fmt::format("Run {} {} in {:.1f} s. Revoked {} of {}. ",
                     s.run_id,
                     s.error.empty() ? "finished" : "stopped early",
                     seconds(s.elapsed),
                     counted(s.counts.indicators_revoked, "indicator"),
                     counted(s.counts.events_removed, "event"))
         + sentinel_text(s);
}

void print_summary(const SyncSummary& summary) {
  write_stdout(format_summary(summary) + "\n");
}

boost::json::object summary_json(const SyncSummary& s,
                                 const std::string& mode) {
  const RunCounts& c = s.counts;
  boost::json::object json;
  json["run_id"] = s.run_id;
  json["mode"] = mode;
  json["outcome"] = s.interrupted ? "interrupted" : outcome(s.exit_code);
  json["exit_code"] = static_cast<int>(s.exit_code);
  json["error"] = s.error.empty() ? boost::json::value(nullptr)
                                  : boost::json::value(s.error);
  json["elapsed_seconds"] = seconds(s.elapsed);
  json["cursor"] = {{"from_epoch", s.cursor_from}, {"to_epoch", s.cursor_to}};
  json["events_read"] = c.events_read;
  json["events_unchanged"] = c.events_unchanged;
  json["attributes_read"] = c.attributes_read;
  json["attributes_converted"] = c.attributes_converted;
  json["events_removed"] = c.events_removed;
  json["indicators"] = {{"new", c.indicators_new},
                        {"changed", c.indicators_changed},
                        {"unchanged", c.indicators_unchanged},
                        {"revoked", c.indicators_revoked},
                        {"refreshed", c.indicators_refreshed}};

  boost::json::object by_reason;
  for (const auto& [reason, count] : c.skips_by_reason) {
    by_reason[reason] = count;
  }
  json["skipped"] = {{"total", c.attributes_skipped},
                     {"by_reason", std::move(by_reason)}};
  json["sentinel"] = {{"sent", c.objects_sent},
                      {"rejected", c.objects_rejected},
                      {"requests", c.requests},
                      {"throttled", c.throttled},
                      {"pending_left", s.pending_left}};
  return json;
}

void print_json(const boost::json::object& json) {
  write_stdout(boost::json::serialize(json) + "\n");
}

void print_text(const std::string& text) {
  write_stdout(text);
}

std::string format_dry_run(const SyncSummary& s, const DryRunReport& r) {
  std::string text;
  for (const PlannedSend& send : r.sends) {
    text += fmt::format("{:<8}{} {} ({})\n",
                        send.action,
                        send.observable_type,
                        send.value,
                        send.indicator_id);
  }

  const RunCounts& c = s.counts;
  text += fmt::format(
      "Dry run {} in {:.1f} s; nothing was sent and the store is "
      "unchanged. MISP: {}, {} read. Would send {} "
      "indicator version(s) in {} request(s): {} new, {} updated, {} "
      "revoked, {} refreshed. {} indicator(s) unchanged. ",
      s.error.empty() ? "finished" : "stopped early",
      seconds(s.elapsed),
      counted(c.events_read, "event"),
      counted(c.attributes_read, "attribute"),
      r.sends.size(),
      r.requests,
      count_of(r.sends, "add"),
      count_of(r.sends, "update"),
      count_of(r.sends, "revoke"),
      count_of(r.sends, "refresh"),
      c.indicators_unchanged);
  text += skipped_text(c) + ".";
  if (!r.out_dir.empty()) {
    text += fmt::format(" Request bodies written to {}.", r.out_dir);
  }
  if (!s.error.empty()) {
    text += fmt::format(" Error: {}", s.error);
  }
  return text + "\n";
}

boost::json::object dry_run_json(const SyncSummary& summary,
                                 const DryRunReport& report,
                                 const std::string& mode) {
  boost::json::object json = summary_json(summary, mode);
  json.erase("run_id"); // the copy's run number means nothing
  json["dry_run"] = true;
  json["out_dir"] = report.out_dir.empty() ? boost::json::value(nullptr)
                                           : boost::json::value(report.out_dir);

  boost::json::object would;
  for (const char* action : {"add", "update", "revoke", "refresh"}) {
    would[action] = boost::json::array();
  }
  for (const PlannedSend& send : report.sends) {
    would[send.action].as_array().push_back(
        boost::json::object{{"indicator_id", send.indicator_id},
                            {"observable_type", send.observable_type},
                            {"value", send.value},
                            {"event_uuid", send.event_uuid}});
  }
  json["would"] = std::move(would);
  return json;
}

} // namespace m2s
