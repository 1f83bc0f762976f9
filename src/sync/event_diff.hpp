#pragma once

// --- One MISP event against the store: new, changed, unchanged, gone ---

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/misp/event.hpp"
#include "misp2sentinel/store/store.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_set>

namespace m2s {

struct DiffOptions {
  // Active, unchanged indicators whose valid_until is before this
  // (ISO-8601 text) are sent again with a new valid_until. Empty: none.
  std::string refresh_before;
  // Send every active indicator again (`sync --full --resend`).
  bool resend = false;
  // Skip an event whose input hash is the one its last read stored.
  bool reuse_outcomes = true;
  // Events with indicators due for refresh: always converted. Null: none.
  const std::unordered_set<std::string>* refresh_due = nullptr;
  // Called between attributes: the writes so far may be committed (a
  // 100,000-attribute event in one transaction outgrows the page cache).
  // Whatever was committed, a later read of the event finds unchanged.
  std::function<void()> checkpoint;
};

// Convert `event`, compare each indicator's content hash with the store,
// queue what must be sent (new, changed and refreshed versions,
// revocations of indicators the event no longer yields) and record the
// event and its attributes. An event whose input hash is the one its last
// read stored is not converted: that read's counts are repeated. An event
// outside [misp.filters] has all its indicators revoked; one the operator
// revoked is left alone. Runs inside the caller's transaction.
void apply_event(Store& store,
                 const Config& config,
                 const MispEvent& event,
                 std::int64_t now_ms,
                 const DiffOptions& options,
                 RunCounts& counts);

// Revoke every indicator of `event_uuid` not revoked yet (the event was
// deleted, left the scope, or the operator asked). Returns how many.
std::int64_t
revoke_event(Store& store, const std::string& event_uuid, std::int64_t now_ms);

} // namespace m2s
