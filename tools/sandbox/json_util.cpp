#include "json_util.hpp"

#include <boost/json/parse.hpp>

#include <charconv>
#include <limits>
#include <system_error>

namespace m2s::sandbox {

std::optional<std::int64_t> lenient_int(const boost::json::value* value) {
  if (value == nullptr) {
    return std::nullopt;
  }
  if (const auto* number = value->if_int64()) {
    return *number;
  }
  if (const auto* number = value->if_uint64()) {
    if (*number <= static_cast<std::uint64_t>(
            std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(*number);
    }
    return std::nullopt;
  }
  if (const auto* text = value->if_string()) {
    std::int64_t parsed = 0;
    const char* first = text->data();
    const char* last = first + text->size();
    const auto [end, error] = std::from_chars(first, last, parsed);
    if (error == std::errc{} && end == last && first != last) {
      return parsed;
    }
  }
  return std::nullopt;
}

std::optional<bool> lenient_bool(const boost::json::value* value) {
  if (value == nullptr) {
    return std::nullopt;
  }
  if (const auto* flag = value->if_bool()) {
    return *flag;
  }
  if (const auto* text = value->if_string()) {
    if (*text == "true") {
      return true;
    }
    if (*text == "false") {
      return false;
    }
  }
  const auto number = lenient_int(value);
  if (number == 0 || number == 1) {
    return *number == 1;
  }
  return std::nullopt;
}

std::optional<boost::json::value> parse_json(std::string_view text) {
  boost::json::error_code error;
  auto value = boost::json::parse(text, error);
  if (error) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::string_view> string_member(const boost::json::object& object,
                                              std::string_view key) {
  const auto* member = object.if_contains(key);
  if (member == nullptr || !member->is_string()) {
    return std::nullopt;
  }
  const auto& text = member->get_string();
  return std::string_view(text.data(), text.size());
}

} // namespace m2s::sandbox
