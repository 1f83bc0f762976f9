#include "expiry.hpp"

#include <fmt/format.h>

namespace m2s {

namespace {

constexpr std::int64_t k_ms_per_day = 24LL * 3600LL * 1000LL;

} // namespace

int expiry_days(const IndicatorConfig& config,
                const std::string& observable_type) {
  const auto it = config.days_to_expire_by_type.find(observable_type);
  return it == config.days_to_expire_by_type.end() ? config.days_to_expire
                                                   : it->second;
}

std::int64_t valid_until_ms(const IndicatorConfig& config,
                            const std::string& observable_type,
                            std::int64_t valid_from_ms,
                            std::int64_t now_ms) {
  const std::int64_t base =
      config.expire_from == ExpireFrom::now ? now_ms : valid_from_ms;
  return base + expiry_days(config, observable_type) * k_ms_per_day;
}

std::string expiry_fingerprint(const IndicatorConfig& config,
                               const std::string& observable_type) {
  const char* from =
      config.expire_from == ExpireFrom::now ? "now" : "valid_from";
  return fmt::format(
      "expire={}d/{}", expiry_days(config, observable_type), from);
}

} // namespace m2s
