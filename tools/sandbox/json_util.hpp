#pragma once

// --- Lenient reading of MISP-style JSON values ---

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace m2s::sandbox {

// A whole number written as a JSON integer or as a decimal string
// ("1539269995"), as MISP does both. nullopt when absent (null pointer),
// null, or anything else.
[[nodiscard]] std::optional<std::int64_t>
lenient_int(const boost::json::value* value);

// true/false, 0/1, "0"/"1", "true"/"false". nullopt otherwise.
[[nodiscard]] std::optional<bool> lenient_bool(const boost::json::value* value);

// nullopt when `text` is not exactly one JSON document.
[[nodiscard]] std::optional<boost::json::value>
parse_json(std::string_view text);

// Member `key` when it is a string; nullopt when absent or another type.
[[nodiscard]] std::optional<std::string_view>
string_member(const boost::json::object& object, std::string_view key);

} // namespace m2s::sandbox
