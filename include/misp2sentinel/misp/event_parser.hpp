#pragma once

// --- MISP JSON -> MispEvent ---
//
// Accepts the three shapes MISP produces: {"response":[{"Event":...}]},
// {"Event":...} and a bare event object. Numbers written as strings and
// booleans written as 0/1 or "0"/"1" are accepted, as real instances and
// feeds emit both.

#include "misp2sentinel/misp/event.hpp"

#include <boost/json/value.hpp>

#include <string_view>
#include <vector>

namespace m2s {

// Parse `text` (the body of a restSearch page or an event file) into events.
// `where` names the source in errors, e.g. "MISP /events/restSearch page 3"
// or a file path. Throws MispError naming `where` and the offending field
// when the JSON is invalid or an event lacks a uuid.
[[nodiscard]] std::vector<MispEvent> parse_events(std::string_view text,
                                                  std::string_view where);

// Same, from an already parsed document.
[[nodiscard]] std::vector<MispEvent>
parse_events(const boost::json::value& document, std::string_view where);

// Parse one event object (the value under "Event", or a bare event).
[[nodiscard]] MispEvent parse_event(const boost::json::object& event,
                                    std::string_view where);

} // namespace m2s
