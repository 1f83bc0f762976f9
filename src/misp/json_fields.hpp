#pragma once

// --- Lenient reads of MISP JSON fields ---
//
// MISP instances, feeds and PyMISP files disagree on representations:
// numbers arrive as JSON numbers or numeric strings, booleans as true/false,
// 0/1, "0"/"1" or "true"/"false", and optional fields as null or absent.
// These readers accept all of those and throw JsonFieldError for anything
// else (a wrong type, a non-numeric timestamp), naming the field's path so
// the caller can add where it sits.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace m2s::misp_json {

class JsonFieldError : public std::runtime_error {
public:
  JsonFieldError(std::string path, const std::string& problem);

  // The same problem, one level deeper: "<parent>.<path>".
  [[nodiscard]] JsonFieldError within(std::string_view parent) const;

  [[nodiscard]] const std::string& path() const noexcept {
    return m_path;
  }

  [[nodiscard]] const std::string& problem() const noexcept {
    return m_problem;
  }

private:
  std::string m_path;
  std::string m_problem;
};

// "a string", "an array", ... for "expected ..., got ..." messages.
[[nodiscard]] std::string_view json_kind(const boost::json::value& value);

// A string; numbers become their decimal text; absent or null gives "".
[[nodiscard]] std::string read_string(const boost::json::object& object,
                                      std::string_view key);

// Like read_string, but only a JSON string is a string: an identifier
// given as a number (12345) is malformed, not the text "12345", which
// could collide with another event's.
[[nodiscard]] std::string read_strict_string(const boost::json::object& object,
                                             std::string_view key);

// Like read_string, but absent, null or "" gives nullopt.
[[nodiscard]] std::optional<std::string>
read_optional_string(const boost::json::object& object, std::string_view key);

// An integer from a number or a numeric string; absent, null or "" gives
// `fallback`.
[[nodiscard]] std::int64_t read_int(const boost::json::object& object,
                                    std::string_view key,
                                    std::int64_t fallback);

// A time in seconds since 1970 as read_int reads it; absent, null or ""
// give 0 (unknown). Feeds that write milliseconds are recognised by size:
// a number past the year 9999 in seconds but before it in milliseconds is
// divided by 1000. Negative numbers and numbers past the year 9999 in
// milliseconds are errors: no clock wrote them.
[[nodiscard]] std::int64_t read_epoch_seconds(const boost::json::object& object,
                                              std::string_view key);

// A boolean from true/false, 0/1, "0"/"1" or "true"/"false"; absent, null
// or "" gives `fallback`.
[[nodiscard]] bool read_bool(const boost::json::object& object,
                             std::string_view key,
                             bool fallback);

// The array under `key`, or null when absent or null.
[[nodiscard]] const boost::json::array*
read_array(const boost::json::object& object, std::string_view key);

// The object under `key`, or null when absent or null.
[[nodiscard]] const boost::json::object*
read_object(const boost::json::object& object, std::string_view key);

// `array[index]` as an object; the path of an error is "<key>[<index>]".
[[nodiscard]] const boost::json::object& object_at(
    const boost::json::array& array, std::size_t index, std::string_view key);

} // namespace m2s::misp_json
