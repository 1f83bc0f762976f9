#include "misp2sentinel/stix/conversion.hpp"
#include "misp2sentinel/util/time.hpp"

#include <fmt/format.h>

namespace m2s {

namespace {

constexpr std::int64_t k_ms_per_day = 24LL * 3600LL * 1000LL;

int expiry_days(const IndicatorConfig& config,
                const std::string& observable_type) {
  const auto it = config.days_to_expire_by_type.find(observable_type);
  return it == config.days_to_expire_by_type.end() ? config.days_to_expire
                                                   : it->second;
}

// What valid_until counts from under expire_from = "valid_from": the last
// time MISP says the observable was seen, when it knows, since an old
// indicator seen yesterday is still live.
std::int64_t valid_from_base_ms(const IndicatorDraft& draft) {
  if (draft.last_seen_epoch) {
    return *draft.last_seen_epoch * 1000;
  }
  return draft.valid_from_epoch * 1000;
}

} // namespace

std::int64_t indicator_valid_until_ms(const IndicatorDraft& draft,
                                      const IndicatorConfig& config,
                                      std::int64_t now_ms) {
  const std::int64_t base = config.expire_from == ExpireFrom::now
                                ? now_ms
                                : valid_from_base_ms(draft);
  return base + expiry_days(config, draft.observable_type) * k_ms_per_day;
}

std::string indicator_expiry_fingerprint(const IndicatorDraft& draft,
                                         const IndicatorConfig& config) {
  const int days = expiry_days(config, draft.observable_type);
  if (config.expire_from == ExpireFrom::now) {
    return fmt::format("expire={}d/now", days);
  }

  // valid_from is in the draft's JSON already; last_seen is not.
  std::string text = fmt::format("expire={}d/valid_from", days);
  if (draft.last_seen_epoch) {
    text += fmt::format("/last_seen={}", *draft.last_seen_epoch);
  }
  return text;
}

std::optional<IndicatorLifecycle> first_lifecycle(const IndicatorDraft& draft,
                                                  const IndicatorConfig& config,
                                                  std::int64_t now_ms) {
  const std::int64_t until_ms = indicator_valid_until_ms(draft, config, now_ms);
  if (until_ms <= now_ms) {
    return std::nullopt;
  }

  IndicatorLifecycle life;
  life.id = indicator_id(draft.attribute_uuid, draft.component, 0);
  life.created = format_utc_ms(now_ms);
  life.modified = life.created;
  life.valid_until = format_utc_ms(until_ms);
  return life;
}

} // namespace m2s
