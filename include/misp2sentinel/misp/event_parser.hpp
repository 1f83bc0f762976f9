#pragma once

// --- MISP JSON -> MispEvent ---
//
// Accepts the three shapes MISP produces: {"response":[{"Event":...}]},
// {"Event":...} and a bare event object. Numbers written as strings and
// booleans written as 0/1 or "0"/"1" are accepted, as real instances and
// feeds emit both.

#include "misp2sentinel/misp/event.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace m2s {

// The default nesting limit for MISP JSON ([limits] max_json_depth). An
// event with objects, attribute tags and galaxy clusters nests about 15
// deep.
inline constexpr std::size_t k_default_max_json_depth = 64;

// Parse JSON text from MISP or an event file, nested at most `max_depth`
// levels (trailing commas are tolerated). Throws MispError "<where>:
// invalid JSON: <reason> at byte N (line L, column C)"; invalid UTF-8 and
// raw control characters inside strings are invalid JSON.
[[nodiscard]] boost::json::value
parse_misp_json(std::string_view text,
                std::string_view where,
                std::size_t max_depth = k_default_max_json_depth);

// Parse `text` (the body of a restSearch page or an event file) into events.
// `where` names the source in errors, e.g. "MISP /events/restSearch page 3"
// or a file path. Throws MispError naming `where` and the offending field
// when the JSON is invalid (as parse_misp_json), has another shape, an
// event lacks a uuid, or a field has a wrong type ("event #0 (uuid ...):
// Object[2].Attribute[0].timestamp: expected ...").
// Event numbers count from 0 in document order.
//
// Object attributes are flattened into MispEvent::attributes after the
// event's own, with object_uuid/name/relation/meta_category set; those of
// a deleted object are marked deleted. An attribute without a uuid is kept
// with an empty uuid (the converter skips it as "missing uuid") rather than
// failing its whole event. Tags come from Tag[] or, failing that, from
// MISP's internal EventTag[]/AttributeTag[] of {Tag:{...}, local}.
[[nodiscard]] std::vector<MispEvent>
parse_events(std::string_view text,
             std::string_view where,
             std::size_t max_depth = k_default_max_json_depth);

// Same, for a string literal: without this overload the call would be
// ambiguous, since boost::json::value is constructible from const char*.
[[nodiscard]] inline std::vector<MispEvent>
parse_events(const char* text, std::string_view where) {
  return parse_events(std::string_view(text), where);
}

// Same, from an already parsed document.
[[nodiscard]] std::vector<MispEvent>
parse_events(const boost::json::value& document, std::string_view where);

// Parse one event object (the value under "Event", or a bare event).
[[nodiscard]] MispEvent parse_event(const boost::json::object& event,
                                    std::string_view where);

// An event of a document that could not be read.
struct EventParseFailure {
  std::size_t index = 0; // in document order, from 0
  std::string uuid;      // "" when the event has none
  std::string message;   // what parse_events would throw for it
};

struct ParsedEvents {
  std::vector<MispEvent> events;
  std::vector<EventParseFailure> failures;
  // The items of the document's "response" list (events, failures and
  // anything else), or 1 for a single event.
  std::size_t listed = 0;
};

// Like parse_events, but one unreadable event (no uuid, a field of the
// wrong type, a response item that is not an event) does not sink the
// others: it is listed in `failures` and the rest are returned. A document
// of the wrong shape still throws MispError.
[[nodiscard]] ParsedEvents
parse_events_tolerant(const boost::json::value& document,
                      std::string_view where);

} // namespace m2s
