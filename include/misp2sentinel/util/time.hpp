#pragma once

// --- Time helpers: everything in the store and in STIX is UTC ---

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace m2s {

// Milliseconds since the epoch, from the system clock.
[[nodiscard]] std::int64_t now_epoch_ms();

// CPU time this process has used so far (user + system), in seconds: the
// phase lines of a run report it, so that an operator (and the benchmark)
// can tell the tool's own work from waiting for MISP and Sentinel.
[[nodiscard]] double process_cpu_seconds();

// "2026-01-01T00:00:00.000Z" (STIX timestamp with milliseconds).
[[nodiscard]] std::string format_utc_ms(std::int64_t epoch_ms);

// "2026-01-01T00:00:00Z".
[[nodiscard]] std::string format_utc(std::int64_t epoch_seconds);

// Parse an ISO-8601 date-time such as MISP's first_seen
// ("2014-11-19T17:23:09.000000+00:00") or a STIX timestamp; returns epoch
// milliseconds, or nullopt when `text` is not one. Accepts "T", "t" or a
// space between date and time, a fraction of any length (truncated to
// milliseconds), and "Z", "+HH:MM", "+HHMM" or no offset (read as UTC).
[[nodiscard]] std::optional<std::int64_t>
parse_iso8601_ms(std::string_view text);

// Parse "90s", "15m", "1h", "14d" or a plain number of seconds.
[[nodiscard]] std::optional<std::int64_t>
parse_duration_seconds(std::string_view text);

} // namespace m2s
