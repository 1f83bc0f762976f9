#pragma once

// Deterministic synthetic MISP events for tests that need volume (crash
// and fault tests): `events` files of `per_event` ip-dst attributes, all
// to_ids, with unique values and uuids.

#include <string>

namespace m2s::testing {

void write_synthetic_events(const std::string& dir, int events,
                            int per_event);

} // namespace m2s::testing
