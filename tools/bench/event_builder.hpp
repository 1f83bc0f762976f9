#pragma once

// --- One generated MISP event, in the JSON shape MISP's restSearch uses ---

#include "random_source.hpp"

#include <boost/json/object.hpp>

#include <cstdint>

namespace m2s::bench {

struct EventPlan {
  std::int64_t number = 0; // 1-based: Event.id
  std::int64_t attributes = 0;
  std::int64_t publish_timestamp = 0;
};

// Running totals over the generated data.
struct DataStats {
  std::int64_t events = 0;
  std::int64_t attributes = 0;
  std::int64_t in_objects = 0;
  std::int64_t to_ids_false = 0;
  // Indicators misp2sentinel should make: to_ids attributes times
  // indicators_for (misp_values.hpp).
  std::int64_t indicators = 0;
};

// The event object (the value of "Event"): event fields, Orgc, event tags
// (a TLP, often confidence, kill-chain, galaxy and other taxonomy tags),
// standalone attributes and about 20% of the attributes in objects; about
// 30% of attributes with to_ids false; some attribute tags.
// `next_attribute_id` numbers attributes and objects across events.
[[nodiscard]] boost::json::object build_event(RandomSource& random,
                                              const EventPlan& plan,
                                              std::int64_t& next_attribute_id,
                                              DataStats& stats);

} // namespace m2s::bench
