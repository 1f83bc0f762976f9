#include "lenient_values.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace m2s::misp_json {

namespace {

using boost::json::kind;

std::string_view kind_name(kind value_kind) {
  switch (value_kind) {
  case kind::null:
    return "null";
  case kind::bool_:
    return "a boolean";
  case kind::int64:
  case kind::uint64:
  case kind::double_:
    return "a number";
  case kind::string:
    return "a string";
  case kind::array:
    return "an array";
  case kind::object:
    return "an object";
  }
  return "an unknown value";
}

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

std::optional<std::int64_t> integer_from_text(std::string_view text) {
  std::int64_t result = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, result);
  if (error != std::errc{} || stop != end) {
    return std::nullopt;
  }
  return result;
}

std::optional<std::int64_t> integer_from(const JsonValueView& value) {
  switch (value.kind) {
  case kind::int64:
    return value.int64;
  case kind::uint64:
    if (value.uint64 > static_cast<std::uint64_t>(
            std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(value.uint64);
  case kind::double_: {
    // 1.5e9 is an integer written oddly; 1.5 is not.
    const bool integral = std::trunc(value.number) == value.number
                          && std::fabs(value.number) < 9.0e18;
    if (!integral) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(value.number);
  }
  case kind::string:
    return integer_from_text(value.text);
  default:
    return std::nullopt;
  }
}

std::optional<bool> bool_from(const JsonValueView& value) {
  if (value.kind == kind::bool_) {
    return value.boolean;
  }

  if (value.kind != kind::string) {
    const std::optional<std::int64_t> number = integer_from(value);
    if (number && (*number == 0 || *number == 1)) {
      return *number == 1;
    }
    return std::nullopt;
  }

  const std::string_view text = value.text;
  if (text == "1" || text == "true" || text == "True") {
    return true;
  }
  if (text == "0" || text == "false" || text == "False") {
    return false;
  }
  return std::nullopt;
}

bool is_unset(const JsonValueView& value) {
  return value.kind == kind::null
         || (value.kind == kind::string && value.text.empty());
}

} // namespace

std::string got(const JsonValueView& value) {
  if (value.kind == kind::string) {
    return fmt::format("got {}", shown(value.text));
  }
  return fmt::format("got {}", kind_name(value.kind));
}

Problem read_string(const JsonValueView& value, std::string& out) {
  switch (value.kind) {
  case kind::null:
    out.clear();
    return std::nullopt;
  case kind::string:
    out.assign(value.text);
    return std::nullopt;
  case kind::int64:
    out = std::to_string(value.int64);
    return std::nullopt;
  case kind::uint64:
    out = std::to_string(value.uint64);
    return std::nullopt;
  default:
    return fmt::format("expected a string, {}", got(value));
  }
}

Problem read_strict_string(const JsonValueView& value, std::string& out) {
  if (value.kind != kind::null && value.kind != kind::string) {
    return fmt::format("expected a string, {}", got(value));
  }
  return read_string(value, out);
}

Problem read_optional_string(const JsonValueView& value,
                             std::optional<std::string>& out) {
  std::string text;
  Problem problem = read_string(value, text);
  if (problem || text.empty()) {
    out.reset();
  } else {
    out = std::move(text);
  }
  return problem;
}

Problem
read_int(const JsonValueView& value, std::int64_t fallback, std::int64_t& out) {
  if (is_unset(value)) {
    out = fallback;
    return std::nullopt;
  }

  const std::optional<std::int64_t> number = integer_from(value);
  if (!number) {
    return fmt::format("expected an integer or a numeric string, {}",
                       got(value));
  }
  out = *number;
  return std::nullopt;
}

Problem read_epoch_seconds(const JsonValueView& value, std::int64_t& out) {
  // 9999-12-31T23:59:59Z: the last second STIX timestamps can write.
  constexpr std::int64_t k_last_second = 253402300799;
  constexpr std::int64_t k_last_millisecond = k_last_second * 1000 + 999;

  std::int64_t number = 0;
  if (Problem problem = read_int(value, 0, number)) {
    return problem;
  }

  if (number < 0) {
    return fmt::format("expected seconds since 1970, got {}", number);
  }
  if (number > k_last_millisecond) {
    return fmt::format("{} is neither seconds nor milliseconds before the "
                       "year 10000",
                       number);
  }
  out = number <= k_last_second ? number : number / 1000;
  return std::nullopt;
}

Problem read_bool(const JsonValueView& value, std::optional<bool>& out) {
  if (is_unset(value)) {
    out.reset();
    return std::nullopt;
  }

  out = bool_from(value);
  if (!out) {
    return fmt::format("expected a boolean (true/false, 0/1, \"0\"/\"1\"), {}",
                       got(value));
  }
  return std::nullopt;
}

Problem read_bool(const JsonValueView& value, bool fallback, bool& out) {
  std::optional<bool> flag;
  Problem problem = read_bool(value, flag);
  out = flag.value_or(fallback);
  return problem;
}

Problem expect_container(const JsonValueView& value, kind container) {
  if (value.kind == kind::null || value.kind == container) {
    return std::nullopt;
  }
  return fmt::format("expected {}, {}", kind_name(container), got(value));
}

std::string not_an_object(const JsonValueView& value) {
  return fmt::format("expected an object, {}", got(value));
}

} // namespace m2s::misp_json
