#pragma once

// --- MISP JSON -> MispEvent ---
//
// Accepts the three shapes MISP produces: {"response":[{"Event":...}]},
// {"Event":...} and a bare event object. Numbers written as strings and
// booleans written as 0/1 or "0"/"1" are accepted, as real instances and
// feeds emit both. These read a whole text; misp/event_reader.hpp reads
// the same in chunks, as it arrives.

#include "misp2sentinel/misp/event.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace m2s {

// The default nesting limit for MISP JSON ([limits] max_json_depth). An
// event with objects, attribute tags and galaxy clusters nests about 15
// deep.
inline constexpr std::size_t k_default_max_json_depth = 64;

// Parse `text` (the body of a restSearch page or an event file) into events.
// `where` names the source in errors, e.g. "MISP /events/restSearch page 3"
// or a file path. The text may nest `max_depth` levels; trailing commas are
// tolerated. Throws MispError naming `where`:
// - invalid JSON: "<where>: invalid JSON: <reason> at byte N (line L,
//   column C)"; invalid UTF-8 and raw control characters inside strings
//   are invalid JSON;
// - another shape: "<where>: expected {"response":[...]}, {"Event":...}
//   or an event object";
// - an event without a uuid, or a field of the wrong type: "<where>: event
//   #0 (uuid ...): Object[2].Attribute[0].timestamp: expected ...".
// Event numbers count from 0 in document order. Of repeated keys in one
// object the last counts.
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
// others: it is listed in `failures` and the rest are returned. Invalid
// JSON or a document of the wrong shape still throws MispError.
[[nodiscard]] ParsedEvents
parse_events_tolerant(std::string_view text,
                      std::string_view where,
                      std::size_t max_depth = k_default_max_json_depth);

// One event object (the value under "Event", or a bare event), for tests
// that build events as JSON objects; read as its serialised text is.
[[nodiscard]] MispEvent parse_event(const boost::json::object& event,
                                    std::string_view where);

} // namespace m2s
