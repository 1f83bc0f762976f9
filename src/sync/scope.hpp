#pragma once

// --- Whether an event is in the configured scope ([misp.filters]) ---
//
// MISP applies the same filters on its side, but a delta run asks without
// the tag filters: a changed event that lost its tag (or gained a
// not_tags tag) must come back so that its indicators are revoked.

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/misp/event.hpp"

#include <string_view>

namespace m2s {

// MISP's tag match: case-insensitive, '%' matches any run of characters.
[[nodiscard]] bool tag_matches(std::string_view pattern, std::string_view tag);

// `published` (when required), any of `tags` on the event or one of its
// attributes (when tags are set), and none of `not_tags` on the event.
[[nodiscard]] bool event_in_scope(const MispEvent& event,
                                  const MispFilters& filters);

} // namespace m2s
