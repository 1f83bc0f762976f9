#pragma once

// --- How many attributes each generated event gets ---

#include "random_source.hpp"

#include <cstdint>
#include <vector>

namespace m2s::bench {

inline constexpr std::int64_t k_min_event_size = 10;

// Sizes of `events` events that add up to `total`, each within
// [k_min_event_size, max_size]. With several events, one of them holds
// min(max_size, total / 10) attributes (so 1,000,000 attributes include an
// event of 100,000) and sits among the older 90% of events, so that a
// delta run's lookback does not re-read it; the others are skewed as real
// instances are: most hold tens of attributes, a few thousands. Throws
// std::invalid_argument when the sizes cannot add up.
[[nodiscard]] std::vector<std::int64_t> event_sizes(RandomSource& random,
                                                    std::int64_t total,
                                                    std::int64_t events,
                                                    std::int64_t max_size);

} // namespace m2s::bench
