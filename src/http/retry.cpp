#include "misp2sentinel/http/retry.hpp"

#include "misp2sentinel/util/termination.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <random>
#include <regex>
#include <thread>

namespace m2s {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// No server gets to park a run for longer than this with one answer.
constexpr seconds k_longest_wait{24 * 3600};

// Each thread draws from its own generator, so RetryBudget needs no lock.
std::mt19937& random_engine() {
  thread_local std::mt19937 engine{std::random_device{}()};
  return engine;
}

milliseconds jitter(milliseconds delay) {
  // +-25%, drawn uniformly.
  std::uniform_real_distribution<double> factor(0.75, 1.25);
  const double scaled =
      static_cast<double>(delay.count()) * factor(random_engine());
  return milliseconds(static_cast<milliseconds::rep>(scaled));
}

std::optional<std::int64_t> parse_count(std::string_view digits) {
  std::int64_t value = 0;
  const auto* end = digits.data() + digits.size();
  const auto [stop, error] = std::from_chars(digits.data(), end, value);
  if (error == std::errc::result_out_of_range) {
    return k_longest_wait.count();
  }
  if (error != std::errc() || stop != end || value < 0) {
    return std::nullopt;
  }
  return value;
}

// Capped before the conversion: a count of seconds that fits an int64 can
// still overflow once counted in milliseconds (found by fuzzing).
milliseconds capped_seconds(std::int64_t count) {
  return seconds(std::min<std::int64_t>(count, k_longest_wait.count()));
}

// RFC 9110 allows either delay-seconds or an HTTP-date; libcurl parses
// the date forms.
std::optional<milliseconds> from_header(std::string_view header) {
  while (!header.empty() && header.front() == ' ') {
    header.remove_prefix(1);
  }
  while (!header.empty() && header.back() == ' ') {
    header.remove_suffix(1);
  }
  if (header.empty()) {
    return std::nullopt;
  }

  if (const auto count = parse_count(header)) {
    return capped_seconds(*count);
  }

  const std::string text(header);
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == -1) {
    return std::nullopt;
  }
  const auto ahead = static_cast<std::int64_t>(when - std::time(nullptr));
  return capped_seconds(std::max<std::int64_t>(ahead, 0));
}

// Sentinel's 429 body: {"statusCode":429,"message":"Rate limit is exceeded.
// Try again in 2 seconds."}.
std::optional<milliseconds> from_body(const std::string& body) {
  static const std::regex pattern(R"(try again in (\d+) second)",
                                  std::regex::icase);
  // The sentence sits near the start; a huge (HTML) body is not scanned
  // whole.
  const std::string head = body.substr(0, 4096);
  std::smatch match;
  if (!std::regex_search(head, match, pattern)) {
    return std::nullopt;
  }

  const auto count = parse_count(match.str(1));
  if (!count) {
    return std::nullopt;
  }
  return capped_seconds(*count);
}

} // namespace

Sleeper real_sleeper() {
  return [](milliseconds delay) {
    // In slices, so that SIGTERM or SIGINT cuts a long wait short; the
    // caller checks termination_signal() once it wakes.
    const auto until = std::chrono::steady_clock::now() + delay;
    while (termination_signal() == 0) {
      const auto left = until - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) {
        return;
      }
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          left, milliseconds(100)));
    }
  };
}

RetryBudget::RetryBudget(milliseconds budget,
                         milliseconds base_delay,
                         milliseconds max_delay)
    : m_remaining(std::max(budget, milliseconds(0))),
      m_base(std::max(base_delay, milliseconds(1))),
      m_max(std::max(max_delay, m_base)) {}

std::optional<milliseconds>
RetryBudget::next_delay(int attempt, std::optional<milliseconds> requested) {
  milliseconds delay{0};

  if (requested) {
    delay = std::max(*requested, milliseconds(0));
  } else {
    // Doubling stops once past the cap, so the shift cannot overflow.
    milliseconds raw = m_base;
    for (int i = 1; i < attempt && raw < m_max; ++i) {
      raw *= 2;
    }
    delay = jitter(std::min(raw, m_max));
  }

  // A wait the budget cannot cover is refused without spending anything:
  // the caller gives up now rather than after a partial wait.
  if (delay > m_remaining) {
    return std::nullopt;
  }

  m_remaining -= delay;
  return delay;
}

std::optional<milliseconds>
parse_retry_after(const std::string& retry_after_header,
                  const std::string& body) {
  if (const auto wait = from_header(retry_after_header)) {
    return wait;
  }
  return from_body(body);
}

std::string gave_up_text(const std::string& where,
                         int attempts,
                         const std::string& cause,
                         std::optional<std::chrono::milliseconds> requested) {
  std::string text = fmt::format("gave up on {} after {} attempt{}: {}",
                                 where,
                                 attempts,
                                 attempts == 1 ? "" : "s",
                                 cause);
  if (requested) {
    text += fmt::format(
        "; it asked to wait {} s, more than is left of the run's retry "
        "budget ([limits] retry_budget_seconds)",
        std::chrono::duration_cast<std::chrono::seconds>(*requested).count());
  }
  return text;
}

} // namespace m2s
