#include "misp2sentinel/stix/conversion.hpp"
#include "misp2sentinel/util/time.hpp"
#include "stix_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace m2s {
namespace {

constexpr std::int64_t k_day_ms = 24LL * 3600LL * 1000LL;

// 2026-06-01T00:00:00Z
constexpr std::int64_t k_now_ms = 1780272000000LL;

IndicatorDraft draft_of(MispAttribute attribute) {
  const EventConversion result = test::convert_one(std::move(attribute));
  EXPECT_EQ(result.indicators.size(), 1U);
  return result.indicators.empty() ? IndicatorDraft{} : result.indicators[0];
}

IndicatorDraft ip_draft() {
  return draft_of(test::make_attribute("ip-dst", "203.0.113.7"));
}

IndicatorDraft seen_draft(const std::string& first, const std::string& last) {
  MispAttribute attribute = test::make_attribute("ip-dst", "203.0.113.7");
  attribute.first_seen = first;
  attribute.last_seen = last;
  return draft_of(attribute);
}

TEST(StixExpiry, FromNowUsesThePerTypeDays) {
  IndicatorConfig config;
  config.days_to_expire = 50;
  config.days_to_expire_by_type["ipv4-addr"] = 150;

  EXPECT_EQ(indicator_valid_until_ms(ip_draft(), config, k_now_ms),
            k_now_ms + 150 * k_day_ms);

  const IndicatorDraft url =
      draft_of(test::make_attribute("url", "http://evil.example/a"));
  EXPECT_EQ(indicator_valid_until_ms(url, config, k_now_ms),
            k_now_ms + 50 * k_day_ms);
}

// MISP's last_seen says nothing when the policy counts from now: the
// indicator lives as long as MISP holds it and runs refresh it.
TEST(StixExpiry, FromNowIgnoresLastSeen) {
  IndicatorConfig config;
  const IndicatorDraft draft =
      seen_draft("2019-01-01T00:00:00Z", "2019-02-01T00:00:00Z");

  EXPECT_EQ(indicator_valid_until_ms(draft, config, k_now_ms),
            k_now_ms + 50 * k_day_ms);
}

TEST(StixExpiry, FromValidFromCountsFromLastSeenWhenPresent) {
  IndicatorConfig config;
  config.expire_from = ExpireFrom::valid_from;
  const IndicatorDraft draft =
      seen_draft("2026-05-01T00:00:00Z", "2026-05-20T12:00:00Z");
  const auto last_seen = parse_iso8601_ms("2026-05-20T12:00:00Z");
  ASSERT_TRUE(last_seen.has_value());

  EXPECT_EQ(indicator_valid_until_ms(draft, config, k_now_ms),
            *last_seen + 50 * k_day_ms);
}

TEST(StixExpiry, FromValidFromWithoutLastSeenCountsFromValidFrom) {
  IndicatorConfig config;
  config.expire_from = ExpireFrom::valid_from;
  const IndicatorDraft draft = ip_draft();

  EXPECT_EQ(indicator_valid_until_ms(draft, config, k_now_ms),
            draft.valid_from_epoch * 1000 + 50 * k_day_ms);
}

// A last_seen before first_seen is not usable (MISP lets both be edited
// freely): the expiry counts from valid_from.
TEST(StixExpiry, LastSeenBeforeFirstSeenIsIgnored) {
  IndicatorConfig config;
  config.expire_from = ExpireFrom::valid_from;
  const IndicatorDraft draft =
      seen_draft("2026-05-01T00:00:00Z", "2026-04-01T00:00:00Z");

  EXPECT_FALSE(draft.last_seen_epoch.has_value());
  EXPECT_EQ(indicator_valid_until_ms(draft, config, k_now_ms),
            draft.valid_from_epoch * 1000 + 50 * k_day_ms);
}

TEST(StixExpiry, FingerprintFollowsWhatChangesValidUntil) {
  IndicatorConfig config;
  const IndicatorDraft early =
      seen_draft("2026-05-01T00:00:00Z", "2026-05-02T00:00:00Z");
  const IndicatorDraft later =
      seen_draft("2026-05-01T00:00:00Z", "2026-05-09T00:00:00Z");

  // Counted from now, last_seen changes nothing (and the text is the one
  // stores written before last_seen counted hold).
  EXPECT_EQ(indicator_expiry_fingerprint(early, config), "expire=50d/now");
  EXPECT_EQ(indicator_expiry_fingerprint(early, config),
            indicator_expiry_fingerprint(later, config));

  config.expire_from = ExpireFrom::valid_from;
  EXPECT_NE(indicator_expiry_fingerprint(early, config),
            indicator_expiry_fingerprint(later, config));
  EXPECT_EQ(indicator_expiry_fingerprint(ip_draft(), config),
            "expire=50d/valid_from");

  config.days_to_expire_by_type["ipv4-addr"] = 7;
  EXPECT_EQ(indicator_expiry_fingerprint(ip_draft(), config),
            "expire=7d/valid_from");
}

TEST(StixFirstVersion, IsWhatAFirstSyncSends) {
  IndicatorConfig config;
  const IndicatorDraft draft = ip_draft();

  const std::optional<IndicatorLifecycle> life =
      first_lifecycle(draft, config, k_now_ms);

  ASSERT_TRUE(life.has_value());
  EXPECT_EQ(life->id, std::string("indicator--") + test::k_attribute_uuid);
  EXPECT_EQ(life->created, "2026-06-01T00:00:00.000Z");
  EXPECT_EQ(life->modified, life->created);
  EXPECT_EQ(life->valid_until, "2026-07-21T00:00:00.000Z");
  EXPECT_FALSE(life->revoked);
}

TEST(StixFirstVersion, SecondObservableGetsItsDerivedId) {
  const EventConversion result = test::convert_one(
      test::make_attribute("domain|ip", "evil.example|203.0.113.7"));
  ASSERT_EQ(result.indicators.size(), 2U);

  const auto life = first_lifecycle(result.indicators[1], {}, k_now_ms);

  ASSERT_TRUE(life.has_value());
  EXPECT_EQ(life->id, indicator_id(test::k_attribute_uuid, "ip", 0));
}

TEST(StixFirstVersion, AlreadyExpiredIsNotSent) {
  IndicatorConfig config;
  config.expire_from = ExpireFrom::valid_from;
  // valid_from 2020-10-25 + 50 days is long past.
  EXPECT_FALSE(first_lifecycle(ip_draft(), config, k_now_ms).has_value());

  // Exactly at the boundary it is expired too: valid_until must be later.
  const IndicatorDraft draft = ip_draft();
  const std::int64_t boundary = draft.valid_from_epoch * 1000 + 50 * k_day_ms;
  EXPECT_FALSE(first_lifecycle(draft, config, boundary).has_value());
  EXPECT_TRUE(first_lifecycle(draft, config, boundary - 1).has_value());
}

TEST(StixFirstVersion, RecentLastSeenKeepsAnOldIndicatorAlive) {
  IndicatorConfig config;
  config.expire_from = ExpireFrom::valid_from;
  const IndicatorDraft draft =
      seen_draft("2019-01-01T00:00:00Z", "2026-05-30T00:00:00Z");

  const auto life = first_lifecycle(draft, config, k_now_ms);

  ASSERT_TRUE(life.has_value());
  EXPECT_EQ(life->valid_until, "2026-07-19T00:00:00.000Z");
}

} // namespace
} // namespace m2s
