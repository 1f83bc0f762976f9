// Every bundled real MISP event (data/misp-events) converts without error,
// and every pattern it gives, the IDS flag aside, is one comparison the
// sandbox's independent validator accepts. (Counts per observable type,
// through the real binary: tests/integration/convert_command_test.cpp.)

#include "misp2sentinel/misp/event_parser.hpp"
#include "misp2sentinel/stix/conversion.hpp"
#include "stix_pattern.hpp"
#include "stix_test_support.hpp"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace m2s {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(StixRealEvents, EveryPatternIsOneValidComparison) {
  ConversionOptions options;
  options.require_to_ids = false;
  int files = 0;
  std::size_t indicators = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::string(M2S_SOURCE_DIR) + "/data/misp-events")) {
    SCOPED_TRACE(entry.path().filename().string());
    ++files;
    const auto events =
        parse_events(read_text(entry.path()), entry.path().string());
    for (const MispEvent& event : events) {
      const EventConversion result = convert_event(event, options);
      for (const IndicatorDraft& draft : result.indicators) {
        EXPECT_EQ(sandbox::stix_pattern_problem(draft.pattern), "")
            << draft.pattern;
        EXPECT_EQ(test::pattern_literal(draft.pattern), draft.value)
            << draft.pattern;
        ++indicators;
      }
      // Every attribute is accounted for: it gives an indicator or is
      // skipped with a reason, never dropped silently.
      std::set<std::string> seen;
      for (const IndicatorDraft& draft : result.indicators) {
        seen.insert(draft.attribute_uuid);
      }
      for (const SkippedAttribute& skipped : result.skipped) {
        EXPECT_FALSE(skipped.reason.empty()) << skipped.attribute_uuid;
        seen.insert(skipped.attribute_uuid);
      }
      for (const MispAttribute& attribute : event.attributes) {
        EXPECT_EQ(seen.count(attribute.uuid), 1U) << attribute.uuid;
      }
    }
  }
  EXPECT_EQ(files, 29);
  EXPECT_GT(indicators, 2000U);
}

// The upload body the sync makes from the draft's JSON text is, byte for
// byte, the serialised finalize_indicator() of the draft, for every draft
// of every bundled event, with and without valid_until and revoked.
TEST(StixRealEvents, BodyFromTheDraftJsonIsTheFinalizedObject) {
  ConversionOptions options;
  options.require_to_ids = false;
  options.misp_url = "https://misp.example.org/";
  std::size_t compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::string(M2S_SOURCE_DIR) + "/data/misp-events")) {
    for (const MispEvent& event :
         parse_events(read_text(entry.path()), entry.path().string())) {
      for (const IndicatorDraft& draft :
           convert_event(event, options).indicators) {
        IndicatorLifecycle life;
        life.id = "indicator--" + draft.attribute_uuid;
        life.created = "2026-01-01T00:00:00.000Z";
        life.modified = "2026-01-02T00:00:00.\"5Z"; // escaping too
        life.valid_until = compared % 2 == 0 ? "" : "2027-01-01T00:00:00Z";
        life.revoked = compared % 3 == 0;
        const std::string json = boost::json::serialize(draft.stix);

        EXPECT_EQ(finalize_indicator_json(draft, json, life),
                  boost::json::serialize(finalize_indicator(draft, life)))
            << draft.pattern;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 1000u);
}

} // namespace
} // namespace m2s
