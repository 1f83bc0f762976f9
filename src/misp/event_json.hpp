#pragma once

// --- Pieces of the MISP event parser (misp/event_parser.hpp) ---
//
// Each throws misp_json::JsonFieldError with the path of the bad field
// relative to the object it was given; parse_event adds the event and the
// source.

#include "misp2sentinel/misp/event.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string_view>
#include <vector>

namespace m2s::misp_json {

// Parses JSON text nested at most `max_depth` levels; throws MispError
// "<where>: invalid JSON: ..." with the byte offset, line and column of the
// error.
[[nodiscard]] boost::json::value parse_json_text(std::string_view text,
                                                 std::string_view where,
                                                 std::size_t max_depth);

// The tags of an event or attribute: `Tag[]` of {name, local}, or, when
// there is none, MISP's internal `EventTag[]` / `AttributeTag[]` of
// {Tag: {...}, local}. Tags without a name are skipped.
[[nodiscard]] std::vector<MispTag> read_tags(const boost::json::object& owner);

// The event's own attributes, then the attributes of each of its objects
// in order, flattened with the object's context. Attributes of a deleted
// object are marked deleted.
[[nodiscard]] std::vector<MispAttribute>
read_attributes(const boost::json::object& event);

} // namespace m2s::misp_json
