#pragma once

// --- Lenient reads of MISP JSON values ---
//
// MISP instances, feeds and PyMISP files disagree on representations:
// numbers arrive as JSON numbers or numeric strings, booleans as true/false,
// 0/1, "0"/"1" or "true"/"false", and optional fields as null or absent
// (absent: the reader never calls these). Each reader stores what it read
// in `out` and returns nullopt, or returns the problem ("expected ..., got
// ...") for the caller to pin to the field's path.

#include "json_value_view.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace m2s::misp_json {

using Problem = std::optional<std::string>;

// "got \"abc\"", "got a number", ...: strings are cut short, since values
// can be megabytes.
[[nodiscard]] std::string got(const JsonValueView& value);

// A string; numbers become their decimal text; null gives "".
[[nodiscard]] Problem read_string(const JsonValueView& value, std::string& out);

// Like read_string, but only a JSON string is a string: an identifier
// given as a number (12345) is malformed, not the text "12345", which
// could collide with another event's.
[[nodiscard]] Problem read_strict_string(const JsonValueView& value,
                                         std::string& out);

// Like read_string, but null or "" gives nullopt.
[[nodiscard]] Problem read_optional_string(const JsonValueView& value,
                                           std::optional<std::string>& out);

// An integer from a number or a numeric string; null or "" gives
// `fallback`.
[[nodiscard]] Problem
read_int(const JsonValueView& value, std::int64_t fallback, std::int64_t& out);

// A time in seconds since 1970 as read_int reads it; null or "" give 0
// (unknown). Feeds that write milliseconds are recognised by size: a
// number past the year 9999 in seconds but before it in milliseconds is
// divided by 1000. Negative numbers and numbers past the year 9999 in
// milliseconds are errors: no clock wrote them.
[[nodiscard]] Problem read_epoch_seconds(const JsonValueView& value,
                                         std::int64_t& out);

// A boolean from true/false, 0/1, "0"/"1" or "true"/"false"; null or ""
// give nullopt, for the caller's fallback.
[[nodiscard]] Problem read_bool(const JsonValueView& value,
                                std::optional<bool>& out);

// Same, with null or "" giving `fallback`.
[[nodiscard]] Problem
read_bool(const JsonValueView& value, bool fallback, bool& out);

// Null or a value of `kind` (an array or an object) is fine; anything
// else is "expected an array, got ...".
[[nodiscard]] Problem expect_container(const JsonValueView& value,
                                       boost::json::kind kind);

// "expected an object, got ..." for a list element that is no object.
[[nodiscard]] std::string not_an_object(const JsonValueView& value);

} // namespace m2s::misp_json
