#pragma once

// --- One MISP event against the store: new, changed, unchanged, gone ---

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/misp/event.hpp"
#include "misp2sentinel/store/store.hpp"

#include <cstdint>

namespace m2s {

// Convert `event`, compare each indicator's content hash with the store,
// queue what must be sent (new and changed versions, revocations of
// indicators the event no longer yields) and record the event and its
// attributes. Runs inside the caller's transaction.
void apply_event(Store& store, const Config& config, const MispEvent& event,
                 std::int64_t now_ms, RunCounts& counts);

} // namespace m2s
