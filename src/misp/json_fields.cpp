#include "json_fields.hpp"

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace m2s::misp_json {

namespace {

// Strings shown in errors are cut short: values can be megabytes.
std::string shown(std::string_view text) {
  constexpr std::size_t k_max = 40;
  if (text.size() <= k_max) {
    return fmt::format("\"{}\"", text);
  }

  std::size_t cut = k_max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return fmt::format("\"{}...\"", text.substr(0, cut));
}

std::string got(const boost::json::value& value) {
  if (value.is_string()) {
    return fmt::format("got {}", shown(value.get_string()));
  }
  return fmt::format("got {}", json_kind(value));
}

std::optional<std::int64_t> integer_from_text(std::string_view text) {
  std::int64_t result = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, result);
  if (error != std::errc{} || stop != end) {
    return std::nullopt;
  }
  return result;
}

std::optional<std::int64_t> integer_from(const boost::json::value& value) {
  if (value.is_int64()) {
    return value.get_int64();
  }
  if (value.is_uint64()) {
    const std::uint64_t number = value.get_uint64();
    if (number > static_cast<std::uint64_t>(
            std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(number);
  }
  if (value.is_double()) {
    // 1.5e9 is an integer written oddly; 1.5 is not.
    const double number = value.get_double();
    const bool integral =
        std::trunc(number) == number && std::fabs(number) < 9.0e18;
    if (!integral) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(number);
  }
  if (value.is_string()) {
    return integer_from_text(value.get_string());
  }
  return std::nullopt;
}

std::optional<bool> bool_from(const boost::json::value& value) {
  if (value.is_bool()) {
    return value.get_bool();
  }

  const std::optional<std::int64_t> number =
      value.is_string() ? std::nullopt : integer_from(value);
  if (number && (*number == 0 || *number == 1)) {
    return *number == 1;
  }

  if (value.is_string()) {
    const std::string_view text = value.get_string();
    if (text == "1" || text == "true" || text == "True") {
      return true;
    }
    if (text == "0" || text == "false" || text == "False") {
      return false;
    }
  }
  return std::nullopt;
}

bool is_unset(const boost::json::value* value) {
  return value == nullptr || value->is_null()
         || (value->is_string() && value->get_string().empty());
}

} // namespace

JsonFieldError::JsonFieldError(std::string path, const std::string& problem)
    : std::runtime_error(fmt::format("{}: {}", path, problem)),
      m_path(std::move(path)),
      m_problem(problem) {}

JsonFieldError JsonFieldError::within(std::string_view parent) const {
  return JsonFieldError(fmt::format("{}.{}", parent, m_path), m_problem);
}

std::string_view json_kind(const boost::json::value& value) {
  switch (value.kind()) {
  case boost::json::kind::null:
    return "null";
  case boost::json::kind::bool_:
    return "a boolean";
  case boost::json::kind::int64:
  case boost::json::kind::uint64:
  case boost::json::kind::double_:
    return "a number";
  case boost::json::kind::string:
    return "a string";
  case boost::json::kind::array:
    return "an array";
  case boost::json::kind::object:
    return "an object";
  }
  return "an unknown value";
}

std::string read_string(const boost::json::object& object,
                        std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) {
    return {};
  }

  if (value->is_string()) {
    return std::string(value->get_string());
  }
  if (value->is_int64() || value->is_uint64()) {
    return value->is_int64() ? std::to_string(value->get_int64())
                             : std::to_string(value->get_uint64());
  }
  throw JsonFieldError(std::string(key),
                       fmt::format("expected a string, {}", got(*value)));
}

std::string read_strict_string(const boost::json::object& object,
                               std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value != nullptr && !value->is_null() && !value->is_string()) {
    throw JsonFieldError(std::string(key),
                         fmt::format("expected a string, {}", got(*value)));
  }
  return read_string(object, key);
}

std::optional<std::string>
read_optional_string(const boost::json::object& object, std::string_view key) {
  std::string value = read_string(object, key);
  if (value.empty()) {
    return std::nullopt;
  }
  return value;
}

std::int64_t read_int(const boost::json::object& object,
                      std::string_view key,
                      std::int64_t fallback) {
  const boost::json::value* value = object.if_contains(key);
  if (is_unset(value)) {
    return fallback;
  }

  const std::optional<std::int64_t> number = integer_from(*value);
  if (!number) {
    throw JsonFieldError(
        std::string(key),
        fmt::format("expected an integer or a numeric string, {}",
                    got(*value)));
  }
  return *number;
}

std::int64_t read_epoch_seconds(const boost::json::object& object,
                                std::string_view key) {
  // 9999-12-31T23:59:59Z: the last second STIX timestamps can write.
  constexpr std::int64_t k_last_second = 253402300799;
  constexpr std::int64_t k_last_millisecond = k_last_second * 1000 + 999;

  const std::int64_t number = read_int(object, key, 0);
  if (number < 0) {
    throw JsonFieldError(
        std::string(key),
        fmt::format("expected seconds since 1970, got {}", number));
  }
  if (number <= k_last_second) {
    return number;
  }
  if (number <= k_last_millisecond) {
    return number / 1000;
  }
  throw JsonFieldError(std::string(key),
                       fmt::format("{} is neither seconds nor milliseconds "
                                   "before the year 10000",
                                   number));
}

bool read_bool(const boost::json::object& object,
               std::string_view key,
               bool fallback) {
  const boost::json::value* value = object.if_contains(key);
  if (is_unset(value)) {
    return fallback;
  }

  const std::optional<bool> flag = bool_from(*value);
  if (!flag) {
    throw JsonFieldError(
        std::string(key),
        fmt::format("expected a boolean (true/false, 0/1, \"0\"/\"1\"), {}",
                    got(*value)));
  }
  return *flag;
}

const boost::json::array* read_array(const boost::json::object& object,
                                     std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) {
    return nullptr;
  }

  if (!value->is_array()) {
    throw JsonFieldError(std::string(key),
                         fmt::format("expected an array, {}", got(*value)));
  }
  return &value->get_array();
}

const boost::json::object* read_object(const boost::json::object& object,
                                       std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) {
    return nullptr;
  }

  if (!value->is_object()) {
    throw JsonFieldError(std::string(key),
                         fmt::format("expected an object, {}", got(*value)));
  }
  return &value->get_object();
}

const boost::json::object& object_at(const boost::json::array& array,
                                     std::size_t index,
                                     std::string_view key) {
  const boost::json::value& value = array.at(index);
  if (!value.is_object()) {
    throw JsonFieldError(fmt::format("{}[{}]", key, index),
                         fmt::format("expected an object, {}", got(value)));
  }
  return value.get_object();
}

} // namespace m2s::misp_json
