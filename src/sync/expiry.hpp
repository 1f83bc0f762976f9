#pragma once

// --- valid_until from the [indicators] expiry policy ---

#include "misp2sentinel/config/config.hpp"

#include <cstdint>
#include <string>

namespace m2s {

// Days an indicator of `observable_type` lives: the per-type override or
// days_to_expire.
[[nodiscard]] int expiry_days(const IndicatorConfig& config,
                              const std::string& observable_type);

// valid_until in epoch ms: counted from `now_ms` or from `valid_from_ms`
// as expire_from says.
[[nodiscard]] std::int64_t valid_until_ms(const IndicatorConfig& config,
                                          const std::string& observable_type,
                                          std::int64_t valid_from_ms,
                                          std::int64_t now_ms);

// The part of the policy that changes what would be sent, folded into the
// content hash so that a policy change re-sends the indicators it affects.
[[nodiscard]] std::string
expiry_fingerprint(const IndicatorConfig& config,
                   const std::string& observable_type);

} // namespace m2s
