#include "event_sizes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <string>

namespace m2s::bench {

namespace {

// Log-uniform in [low, high]: as many events of 10-100 attributes as of
// 100-1,000.
double log_uniform(RandomSource& random, double low, double high) {
  return low * std::pow(high / low, random.unit());
}

// Spreads `total` over `sizes` in proportion to `weights`, keeping each
// within [k_min_event_size, max_size].
void fill(std::vector<std::int64_t>& sizes,
          const std::vector<double>& weights,
          std::int64_t total,
          std::int64_t max_size) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::int64_t used = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const auto share =
        static_cast<std::int64_t>(std::llround(weights[i] / sum * total));
    sizes[i] = std::clamp(share, k_min_event_size, max_size);
    used += sizes[i];
  }

  // Rounding and clamping leave a remainder: settle it round-robin, in
  // big steps first so that a large one takes few rounds.
  for (std::size_t i = 0; used != total; i = (i + 1) % sizes.size()) {
    const std::int64_t gap = total - used;
    const std::int64_t step = 1 + std::abs(gap) / 64;
    if (gap > 0) {
      const auto add = std::min({step, gap, max_size - sizes[i]});
      sizes[i] += add;
      used += add;
    } else {
      const auto cut = std::min({step, -gap, sizes[i] - k_min_event_size});
      sizes[i] -= cut;
      used -= cut;
    }
  }
}

} // namespace

std::vector<std::int64_t> event_sizes(RandomSource& random,
                                      std::int64_t total,
                                      std::int64_t events,
                                      std::int64_t max_size) {
  if (events < 1 || max_size < k_min_event_size
      || total < k_min_event_size * events || total > max_size * events) {
    throw std::invalid_argument(
        "cannot spread " + std::to_string(total) + " attributes over "
        + std::to_string(events) + " events of "
        + std::to_string(k_min_event_size) + " to " + std::to_string(max_size)
        + " attributes each");
  }
  if (events == 1) {
    return {total};
  }

  std::int64_t big = std::min(max_size, total / 10);
  // The others must still fit: at least the minimum, at most max_size each.
  big = std::min(big, total - k_min_event_size * (events - 1));
  big = std::max({big, total - max_size * (events - 1), k_min_event_size});
  const auto big_at = static_cast<std::size_t>(random.below(
      static_cast<std::uint64_t>(std::max<std::int64_t>(1, events * 9 / 10))));

  std::vector<double> weights(static_cast<std::size_t>(events - 1));
  for (double& weight : weights) {
    weight = random.chance(0.005) ? log_uniform(random, 1000, 20000)
                                  : log_uniform(random, 10, 400);
  }
  std::vector<std::int64_t> rest(weights.size());
  fill(rest, weights, total - big, max_size);

  rest.insert(rest.begin() + static_cast<std::ptrdiff_t>(big_at), big);
  return rest;
}

} // namespace m2s::bench
