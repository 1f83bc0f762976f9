#pragma once

// --- STIX timestamps: RFC 3339 in UTC ---

#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

namespace m2s::sandbox {

struct StixTime {
  std::int64_t seconds = 0; // since the Unix epoch
  std::int64_t nanos = 0;   // fraction digits beyond 9 are dropped

  friend auto operator<=>(const StixTime&, const StixTime&) = default;
};

// "YYYY-MM-DDTHH:MM:SS[.fraction]Z" with upper-case T and Z, as STIX 2.1
// requires. nullopt for any other form, an impossible date (2026-02-30) or
// time, and leap seconds (:60).
[[nodiscard]] std::optional<StixTime> parse_stix_time(std::string_view text);

} // namespace m2s::sandbox
