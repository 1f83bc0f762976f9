#include "misp2sentinel/stix/conversion.hpp"
#include "stix_test_support.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <string>

namespace m2s {
namespace {

constexpr const char* k_uuid = "5a611861-5388-4287-834c-04da0a016219";

TEST(StixIndicatorId, NonCanonicalUuidIsAlwaysDerived) {
  // Python: uuid.uuid5(UUID(k_indicator_id_namespace), "not-a-uuid||0").
  EXPECT_EQ(indicator_id("not-a-uuid", "", 0),
            "indicator--9321a816-038c-5e7d-9039-5b5168295a32");
}

TEST(StixIndicatorId, PrimaryIdIsTheAttributeUuid) {
  EXPECT_EQ(indicator_id(k_uuid, "", 0), std::string("indicator--") + k_uuid);
  EXPECT_EQ(indicator_id("5A611861-5388-4287-834C-04DA0A016219", "", 0),
            std::string("indicator--") + k_uuid);
}

TEST(StixIndicatorId, ComponentAndGenerationGiveDerivedIds) {
  EXPECT_EQ(indicator_id(k_uuid, "ip", 0),
            "indicator--ac86fb40-4c95-52d3-aa6a-37e5d581440e");
  EXPECT_EQ(indicator_id(k_uuid, "", 1),
            "indicator--e90fad91-6982-5d19-97fa-3b619768698a");
  EXPECT_EQ(indicator_id(k_uuid, "ip", 2),
            "indicator--3e5d30d8-2b36-5a99-b198-9c02d0dc4ee1");
  EXPECT_EQ(indicator_id("5A611861-5388-4287-834C-04DA0A016219", "ip", 0),
            indicator_id(k_uuid, "ip", 0));
}

TEST(StixIndicatorId, NamespaceNeverChanges) {
  EXPECT_EQ(k_indicator_id_namespace, "dfe1561b-196b-464c-b51a-008ff4b13129");
}

IndicatorDraft sample_draft() {
  const EventConversion result = test::convert_one(
      test::make_attribute("domain|ip", "evil.example|203.0.113.7"));
  EXPECT_EQ(result.indicators.size(), 2U);
  return result.indicators.at(1);
}

TEST(StixFinalize, LifecycleFieldsComeFirst) {
  const IndicatorDraft draft = sample_draft();
  IndicatorLifecycle lifecycle;
  lifecycle.id = indicator_id(draft.attribute_uuid, draft.component, 0);
  lifecycle.created = "2026-01-01T00:00:00.000Z";
  lifecycle.modified = "2026-01-02T00:00:00.000Z";

  const boost::json::object indicator = finalize_indicator(draft, lifecycle);

  std::string expected =
      R"({"type":"indicator","spec_version":"2.1",)"
      R"("id":"indicator--ac86fb40-4c95-52d3-aa6a-37e5d581440e",)"
      R"("created":"2026-01-01T00:00:00.000Z",)"
      R"("modified":"2026-01-02T00:00:00.000Z",)";
  std::string rest = boost::json::serialize(draft.stix);
  rest.erase(
      0, std::string(R"({"type":"indicator","spec_version":"2.1",)").size());
  expected += rest;
  EXPECT_EQ(boost::json::serialize(indicator), expected);
  EXPECT_FALSE(indicator.contains("valid_until"));
  EXPECT_FALSE(indicator.contains("revoked"));
}

TEST(StixFinalize, AddsValidUntilAndRevokedAtTheEnd) {
  const IndicatorDraft draft = sample_draft();
  IndicatorLifecycle lifecycle;
  lifecycle.id = "indicator--x";
  lifecycle.created = "2026-01-01T00:00:00.000Z";
  lifecycle.modified = "2026-01-02T00:00:00.000Z";
  lifecycle.valid_until = "2026-04-01T00:00:00.000Z";
  lifecycle.revoked = true;

  const boost::json::object indicator = finalize_indicator(draft, lifecycle);

  ASSERT_EQ(indicator.size(), draft.stix.size() + 5);
  const auto last = indicator.end() - 1;
  EXPECT_EQ((last - 1)->key(), "valid_until");
  EXPECT_EQ((last - 1)->value().as_string(), "2026-04-01T00:00:00.000Z");
  EXPECT_EQ(last->key(), "revoked");
  EXPECT_EQ(last->value().as_bool(), true);
  EXPECT_EQ(indicator.at("pattern").as_string(),
            "[ipv4-addr:value = '203.0.113.7']");
}

} // namespace
} // namespace m2s
