#include "stix_time.hpp"

#include <chrono>
#include <cstddef>

namespace m2s::sandbox {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<int>
read_number(std::string_view text, std::size_t pos, std::size_t digits) {
  int value = 0;
  for (std::size_t i = pos; i < pos + digits; ++i) {
    if (i >= text.size() || !is_digit(text[i])) {
      return std::nullopt;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool separators_ok(std::string_view text) {
  return text.size() >= 20 && text[4] == '-' && text[7] == '-'
         && text[10] == 'T' && text[13] == ':' && text[16] == ':';
}

// Reads ".ddd" at `pos` (if present) into nanoseconds; moves `pos` past it.
std::optional<std::int64_t> read_fraction(std::string_view text,
                                          std::size_t& pos) {
  if (pos >= text.size() || text[pos] != '.') {
    return 0;
  }
  ++pos;
  const std::size_t start = pos;
  std::int64_t nanos = 0;
  while (pos < text.size() && is_digit(text[pos])) {
    if (pos - start < 9) {
      nanos = nanos * 10 + (text[pos] - '0');
    }
    ++pos;
  }
  if (pos == start) {
    return std::nullopt;
  }
  for (std::size_t digits = pos - start; digits < 9; ++digits) {
    nanos *= 10;
  }
  return nanos;
}

} // namespace

std::optional<StixTime> parse_stix_time(std::string_view text) {
  if (!separators_ok(text)) {
    return std::nullopt;
  }

  const auto year = read_number(text, 0, 4);
  const auto month = read_number(text, 5, 2);
  const auto day = read_number(text, 8, 2);
  const auto hour = read_number(text, 11, 2);
  const auto minute = read_number(text, 14, 2);
  const auto second = read_number(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) {
    return std::nullopt;
  }

  std::size_t pos = 19;
  const auto nanos = read_fraction(text, pos);
  if (!nanos || pos + 1 != text.size() || text[pos] != 'Z') {
    return std::nullopt;
  }

  const std::chrono::year_month_day date{
      std::chrono::year{*year},
      std::chrono::month{static_cast<unsigned>(*month)},
      std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;
  }

  const auto days = std::chrono::sys_days{date}.time_since_epoch().count();
  const std::int64_t seconds = static_cast<std::int64_t>(days) * 86400
                               + *hour * 3600 + *minute * 60 + *second;
  return StixTime{seconds, *nanos};
}

} // namespace m2s::sandbox
