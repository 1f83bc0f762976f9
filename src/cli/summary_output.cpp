#include "summary_output.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace m2s {

std::string format_summary(const SyncSummary& s) {
  const RunCounts& c = s.counts;
  std::string text = fmt::format(
      "Run {} {} in {:.1f} s. MISP: {} events, {} attributes read. "
      "Indicators: {} new, {} changed, {} unchanged, {} revoked. ",
      s.run_id,
      s.error.empty() ? "finished" : "stopped early",
      static_cast<double>(s.elapsed.count()) / 1000.0,
      c.events_read,
      c.attributes_read,
      c.indicators_new,
      c.indicators_changed,
      c.indicators_unchanged,
      c.indicators_revoked);

  text += fmt::format("Skipped {} attribute(s)", c.attributes_skipped);
  if (!c.skips_by_reason.empty()) {
    text += " (";
    bool first = true;
    for (const auto& [reason, count] : c.skips_by_reason) {
      text += fmt::format("{}{}: {}", first ? "" : ", ", reason, count);
      first = false;
    }
    text += ")";
  }

  text += fmt::format(
      ". Sentinel: {} sent, {} rejected, in {} request(s) ({} throttled); "
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

void print_summary(const SyncSummary& summary) {
  std::fputs((format_summary(summary) + "\n").c_str(), stdout);
  std::fflush(stdout);
}

} // namespace m2s
