#pragma once

// --- What a sync prints on stdout: the paragraph, or JSON with --json ---

#include "misp2sentinel/sync/sync_engine.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace m2s {

[[nodiscard]] std::string format_summary(const SyncSummary& summary);

// format_summary on stdout.
void print_summary(const SyncSummary& summary);

// The paragraph of `revoke`, which reads nothing from MISP: what it
// revoked, and what went to Sentinel.
[[nodiscard]] std::string format_revoke_summary(const SyncSummary& summary);

// The summary as one JSON object: run_id, mode, outcome ("ok",
// "some_rejected", "failed"), exit_code, error (null when none),
// elapsed_seconds, cursor {from_epoch, to_epoch}, events_read,
// attributes_read, events_removed, indicators {new, changed, unchanged,
// revoked, refreshed}, skipped {total, by_reason {reason: count}},
// sentinel {sent, rejected, requests, throttled, pending_left}.
[[nodiscard]] boost::json::object summary_json(const SyncSummary& summary,
                                               const std::string& mode);

// `json` and a newline on stdout.
void print_json(const boost::json::object& json);

// `text` as it is on stdout (after clearing a progress line).
void print_text(const std::string& text);

// One indicator version a dry run would send.
struct PlannedSend {
  std::string action; // "add", "update", "revoke" or "refresh"
  std::string indicator_id;
  std::string observable_type;
  std::string value;
  std::string event_uuid;
};

struct DryRunReport {
  std::vector<PlannedSend> sends; // in the order they would be sent
  std::int64_t requests = 0;
  std::string out_dir; // where the bodies went; empty when not written
};

// One line per planned send ("add ipv4-addr 203.0.113.7 (indicator--...)")
// and a closing paragraph saying nothing was sent or changed.
[[nodiscard]] std::string format_dry_run(const SyncSummary& summary,
                                         const DryRunReport& report);

// summary_json plus "dry_run": true, "out_dir" and "would" {add, update,
// revoke, refresh: [{indicator_id, observable_type, value, event_uuid}]};
// its sentinel figures are what would be sent.
[[nodiscard]] boost::json::object dry_run_json(const SyncSummary& summary,
                                               const DryRunReport& report,
                                               const std::string& mode);

} // namespace m2s
