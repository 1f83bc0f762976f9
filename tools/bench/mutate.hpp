#pragma once

// --- The delta scenario: change a fraction of the generated attributes ---

#include <cstdint>
#include <filesystem>

namespace m2s::bench {

struct MutationStats {
  std::int64_t attributes_total = 0;
  std::int64_t events_touched = 0;
  std::int64_t attributes_changed = 0;
  // New versions misp2sentinel must send: the changed attributes with
  // to_ids, times indicators_for (misp_values.hpp).
  std::int64_t indicators_changed = 0;
};

// Gives `fraction` of the attributes in the event files of `dir` a new
// value, as an analyst editing events would: events are picked at random
// and about a tenth of each picked event's attributes change. Each changed
// attribute, and its event's timestamp and publish_timestamp, move past the
// newest publish_timestamp in `dir`, so that a delta run sees them.
// Deterministic for a given `seed` and folder content.
[[nodiscard]] MutationStats mutate_events(const std::filesystem::path& dir,
                                          double fraction,
                                          std::uint64_t seed);

} // namespace m2s::bench
