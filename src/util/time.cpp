#include "misp2sentinel/util/time.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <ctime>
#include <limits>

namespace m2s {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads fixed-width fields left to right; any mismatch makes it fail for
// good, so the caller checks `ok()` once at the end.
class FieldReader {
public:
  explicit FieldReader(std::string_view text)
      : m_text(text) {}

  // Exactly `width` ASCII digits (no sign, no space).
  int digits(std::size_t width) {
    int result = 0;
    if (!m_ok || m_text.size() < width) {
      m_ok = false;
      return 0;
    }
    for (std::size_t i = 0; i < width; ++i) {
      const char c = m_text[i];
      if (c < '0' || c > '9') {
        m_ok = false;
        return 0;
      }
      result = result * 10 + (c - '0');
    }
    m_text.remove_prefix(width);
    return result;
  }

  void expect(char wanted) {
    if (!accept(wanted)) {
      m_ok = false;
    }
  }

  bool accept(char wanted) {
    if (m_ok && !m_text.empty() && m_text.front() == wanted) {
      m_text.remove_prefix(1);
      return true;
    }
    return false;
  }

  bool accept_any_of(std::string_view set) {
    if (m_ok && !m_text.empty() && set.find(m_text.front()) != set.npos) {
      m_text.remove_prefix(1);
      return true;
    }
    return false;
  }

  // Up to the first three digits of a fraction, as milliseconds; further
  // digits are read and dropped (truncation, not rounding).
  int fraction_ms() {
    int result = 0;
    std::size_t count = 0;
    while (!m_text.empty() && m_text.front() >= '0' && m_text.front() <= '9') {
      if (count < 3) {
        result = result * 10 + (m_text.front() - '0');
      }
      ++count;
      m_text.remove_prefix(1);
    }
    if (count == 0) {
      m_ok = false;
    }
    for (; count < 3; ++count) {
      result *= 10;
    }
    return result;
  }

  [[nodiscard]] bool at_end() const {
    return m_text.empty();
  }

  [[nodiscard]] bool ok() const {
    return m_ok;
  }

private:
  std::string_view m_text;
  bool m_ok = true;
};

// "Z", "+HH:MM", "-HH:MM", "+HHMM" or nothing (read as UTC); the offset to
// subtract from the local time to get UTC.
std::optional<minutes> read_offset(FieldReader& reader) {
  if (reader.at_end() || reader.accept_any_of("Zz")) {
    return minutes{0};
  }

  int sign = 0;
  if (reader.accept('+')) {
    sign = 1;
  } else if (reader.accept('-')) {
    sign = -1;
  } else {
    return std::nullopt;
  }

  const int offset_hours = reader.digits(2);
  reader.accept(':');
  const int offset_minutes = reader.digits(2);
  if (!reader.ok() || offset_hours > 23 || offset_minutes > 59) {
    return std::nullopt;
  }
  return minutes{sign * (offset_hours * 60 + offset_minutes)};
}

std::optional<std::int64_t> unit_seconds(char suffix) {
  switch (suffix) {
  case 's':
    return 1;
  case 'm':
    return 60;
  case 'h':
    return 3600;
  case 'd':
    return 86400;
  default:
    return std::nullopt;
  }
}

} // namespace

std::int64_t now_epoch_ms() {
  const auto now = std::chrono::system_clock::now();
  return std::chrono::duration_cast<milliseconds>(now.time_since_epoch())
      .count();
}

double process_cpu_seconds() {
  timespec used{};
  if (::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &used) != 0) {
    return 0.0;
  }
  return static_cast<double>(used.tv_sec)
         + static_cast<double>(used.tv_nsec) / 1e9;
}

std::string format_utc_ms(std::int64_t epoch_ms) {
  const std::chrono::sys_time<milliseconds> point{milliseconds{epoch_ms}};
  const auto day = std::chrono::floor<days>(point);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{point - day};
  const int year = static_cast<int>(date.year());

  // A sync formats several times per indicator; fmt::format took more
  // instructions than storing the row. Years outside 0..9999 (no STIX
  // time) keep fmt's form.
  if (year < 0 || year > 9999) {
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                       year,
                       static_cast<unsigned>(date.month()),
                       static_cast<unsigned>(date.day()),
                       time.hours().count(),
                       time.minutes().count(),
                       time.seconds().count(),
                       time.subseconds().count());
  }

  std::string text = "0000-00-00T00:00:00.000Z";
  const auto put = [&text](std::size_t at, long long value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      text[at + static_cast<std::size_t>(i)] =
          static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, year, 4);
  put(5, static_cast<unsigned>(date.month()), 2);
  put(8, static_cast<unsigned>(date.day()), 2);
  put(11, time.hours().count(), 2);
  put(14, time.minutes().count(), 2);
  put(17, time.seconds().count(), 2);
  put(20, time.subseconds().count(), 3);
  return text;
}

std::string format_utc(std::int64_t epoch_seconds) {
  std::string text = format_utc_ms(epoch_seconds * 1000);
  // Drop ".mmm" before the "Z": whole seconds have no fraction to show.
  text.erase(text.size() - 5, 4);
  return text;
}

std::optional<std::int64_t> parse_iso8601_ms(std::string_view text) {
  FieldReader reader{text};
  const int year = reader.digits(4);
  reader.expect('-');
  const int month = reader.digits(2);
  reader.expect('-');
  const int day = reader.digits(2);
  if (!reader.accept_any_of("Tt ")) {
    return std::nullopt;
  }

  const int hour = reader.digits(2);
  reader.expect(':');
  const int minute = reader.digits(2);
  reader.expect(':');
  const int second = reader.digits(2);
  const int fraction = reader.accept('.') ? reader.fraction_ms() : 0;

  const auto offset = read_offset(reader);
  if (!offset || !reader.ok() || !reader.at_end()) {
    return std::nullopt;
  }

  const std::chrono::year_month_day date{
      std::chrono::year{year},
      std::chrono::month{static_cast<unsigned>(month)},
      std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }

  const auto point = std::chrono::sys_days{date} + hours{hour} + minutes{minute}
                     + seconds{second} + milliseconds{fraction} - *offset;
  return std::chrono::duration_cast<milliseconds>(point.time_since_epoch())
      .count();
}

std::optional<std::int64_t> parse_duration_seconds(std::string_view text) {
  std::int64_t unit = 1;
  if (!text.empty()) {
    if (const auto suffix = unit_seconds(text.back())) {
      unit = *suffix;
      text.remove_suffix(1);
    }
  }

  // from_chars would take a sign; a duration is digits only.
  if (text.empty() || text.front() < '0' || text.front() > '9') {
    return std::nullopt;
  }
  std::int64_t count = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, count);
  if (error != std::errc{} || stop != end
      || count > std::numeric_limits<std::int64_t>::max() / unit) {
    return std::nullopt;
  }
  return count * unit;
}

} // namespace m2s
