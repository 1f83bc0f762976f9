#include "misp2sentinel/stix/conversion.hpp"
#include "stix_test_support.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace m2s {
namespace {

using test::make_attribute;
using test::make_event;

constexpr const char* k_clear =
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
constexpr const char* k_green =
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
constexpr const char* k_amber =
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
constexpr const char* k_red =
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";

std::vector<MispTag> tags(std::initializer_list<const char*> names) {
  std::vector<MispTag> list;
  for (const char* name : names) {
    list.push_back(MispTag{name, false});
  }
  return list;
}

// The STIX fields of the one draft of a domain attribute with these tags.
boost::json::object stix_for(std::vector<MispTag> attribute_tags,
                             std::vector<MispTag> event_tags,
                             const ConversionOptions& options = {}) {
  MispAttribute attribute = make_attribute("domain", "evil.example");
  attribute.tags = std::move(attribute_tags);
  MispEvent event = make_event({attribute});
  event.tags = std::move(event_tags);
  const EventConversion result = convert_event(event, options);
  EXPECT_EQ(result.indicators.size(), 1U);
  return result.indicators.empty() ? boost::json::object{}
                                   : result.indicators[0].stix;
}

std::string marking_of(const boost::json::object& stix) {
  const auto* refs = stix.if_contains("object_marking_refs");
  if (refs == nullptr) {
    return "";
  }
  EXPECT_EQ(refs->as_array().size(), 1U);
  return std::string(refs->as_array().at(0).as_string());
}

std::int64_t confidence_of(const boost::json::object& stix) {
  return stix.at("confidence").as_int64();
}

TEST(StixTags, UnknownTlpNamesGiveNoMarking) {
  for (const char* tag :
       {"", "green", "tlp:", "tlp:purple", "tlp:ex:chr", "tlp:green2"}) {
    EXPECT_EQ(tlp_marking_definition(tag), std::nullopt) << tag;
  }
}

TEST(StixTags, UnknownDefaultTlpOmitsMarking) {
  ConversionOptions options;
  options.default_tlp = "tlp:purple";

  const auto stix = stix_for(tags({"tlp:ex:chr"}), {}, options);

  EXPECT_FALSE(stix.contains("object_marking_refs"));
}

TEST(StixTags, TlpNamesMapToMarkingsIgnoringCase) {
  EXPECT_EQ(tlp_marking_definition("tlp:white"), k_clear);
  EXPECT_EQ(tlp_marking_definition("tlp:clear"), k_clear);
  EXPECT_EQ(tlp_marking_definition("TLP:GREEN"), k_green);
  EXPECT_EQ(tlp_marking_definition("tlp:amber"), k_amber);
  EXPECT_EQ(tlp_marking_definition("Tlp:Amber+Strict"), k_amber);
  EXPECT_EQ(tlp_marking_definition("tlp:red"), k_red);
}

TEST(StixTags, TlpAttributeOverEventOverDefault) {
  ConversionOptions options;
  options.default_tlp = "tlp:green";

  EXPECT_EQ(marking_of(stix_for({}, {}, options)), k_green);
  EXPECT_EQ(marking_of(stix_for({}, tags({"TLP:RED"}), options)), k_red);
  EXPECT_EQ(
      marking_of(stix_for(tags({"tlp:clear"}), tags({"tlp:red"}), options)),
      k_clear);
}

TEST(StixTags, StrictestTlpOfOneListWins) {
  EXPECT_EQ(marking_of(stix_for(tags({"tlp:red", "tlp:green"}), {})), k_red);
  EXPECT_EQ(marking_of(stix_for({}, tags({"tlp:white", "tlp:amber+strict"}))),
            k_amber);
}

TEST(StixTags, UnknownConfidenceFallsBackToDefault) {
  ConversionOptions options;
  options.default_confidence = 42;

  const auto stix =
      stix_for(tags({"misp:confidence-level=\"very-sure\"", "confidence:high"}),
               {},
               options);

  EXPECT_EQ(confidence_of(stix), 42);
}

TEST(StixTags, ConfidenceLevelsMapToNumbers) {
  const std::vector<std::pair<const char*, int>> levels = {
      {"misp:confidence-level=\"completely-confident\"", 100},
      {"misp:confidence-level=\"usually-confident\"", 75},
      {"misp:confidence-level=\"fairly-confident\"", 50},
      {"misp:confidence-level=\"rarely-confident\"", 25},
      {"misp:confidence-level=\"unconfident\"", 0},
      {"misp:confidence-level=\"confidence-cannot-be-evalued\"", 50},
      {"MISP:Confidence-Level=\"Usually-Confident\"", 75},
      {"misp:confidence-level=rarely-confident", 25},
  };
  ConversionOptions options;
  options.default_confidence = 42;
  for (const auto& [tag, value] : levels) {
    EXPECT_EQ(confidence_of(stix_for(tags({tag}), {}, options)), value) << tag;
  }
}

TEST(StixTags, ConfidenceAttributeOverEventOverDefault) {
  ConversionOptions options;
  options.default_confidence = 42;
  const auto event_tags =
      tags({"misp:confidence-level=\"completely-confident\""});
  const auto attribute_tags =
      tags({"misp:confidence-level=\"rarely-confident\""});

  EXPECT_EQ(confidence_of(stix_for({}, {}, options)), 42);
  EXPECT_EQ(confidence_of(stix_for({}, event_tags, options)), 100);
  EXPECT_EQ(confidence_of(stix_for(attribute_tags, event_tags, options)), 25);
}

TEST(StixTags, LowestConfidenceOfOneListWins) {
  const auto stix =
      stix_for(tags({"misp:confidence-level=\"completely-confident\"",
                     "misp:confidence-level=\"unconfident\"",
                     "misp:confidence-level=\"usually-confident\""}),
               {});
  EXPECT_EQ(confidence_of(stix), 0);
}

TEST(StixTags, NoTagsGiveNoLabelsOrTypes) {
  const auto stix = stix_for({}, {});
  EXPECT_FALSE(stix.contains("labels"));
  EXPECT_FALSE(stix.contains("indicator_types"));
}

TEST(StixTags, LabelsSkipTlpLocalAndRepeatedTags) {
  std::vector<MispTag> attribute_tags = tags({"b", "TLP:AMBER", "a", "b"});
  attribute_tags.push_back(MispTag{"local-only", true});
  const auto event_tags = tags({"c", "a", "tlp:red", "  ", "d"});

  const auto stix = stix_for(attribute_tags, event_tags);

  EXPECT_EQ(boost::json::serialize(stix.at("labels")), R"(["b","a","c","d"])");
}

TEST(StixTags, IndicatorTypesAttributeOverEvent) {
  const auto event_tags = tags({"sentinel-threattype:Botnet"});

  EXPECT_EQ(
      boost::json::serialize(stix_for({}, event_tags).at("indicator_types")),
      R"(["Botnet"])");
  EXPECT_EQ(
      boost::json::serialize(stix_for(tags({"Sentinel-ThreatType:\"C2\"",
                                            "sentinel-threattype:Phishing",
                                            "sentinel-threattype:C2",
                                            "sentinel-threattype:"}),
                                      event_tags)
                                 .at("indicator_types")),
      R"(["C2","Phishing"])");
}

} // namespace
} // namespace m2s

namespace m2s {
namespace {

std::string labels_of(const boost::json::object& stix) {
  const auto* labels = stix.if_contains("labels");
  return labels == nullptr ? "" : boost::json::serialize(*labels);
}

std::string phases_of(const boost::json::object& stix) {
  std::string text;
  const auto* phases = stix.if_contains("kill_chain_phases");
  if (phases == nullptr) {
    return text;
  }
  for (const auto& phase : phases->as_array()) {
    EXPECT_EQ(phase.at("kill_chain_name"), "lockheed-martin-cyber-kill-chain");
    text += std::string(phase.at("phase_name").as_string()) + " ";
  }
  return text;
}

TEST(StixTags, AdmiraltyCredibilityGivesConfidence) {
  const auto credibility = [](const char* value) {
    const std::string tag =
        std::string("admiralty-scale:information-credibility=\"") + value
        + "\"";
    return confidence_of(stix_for({MispTag{tag, false}}, {}));
  };

  EXPECT_EQ(credibility("1"), 90);
  EXPECT_EQ(credibility("2"), 70);
  EXPECT_EQ(credibility("3"), 50);
  EXPECT_EQ(credibility("4"), 30);
  EXPECT_EQ(credibility("5"), 10);
  // 6: "the validity of the information can not be determined".
  EXPECT_EQ(credibility("6"), 50);

  ConversionOptions options;
  options.default_confidence = 40;
  EXPECT_EQ(confidence_of(stix_for(
                {},
                tags({"admiralty-scale:information-credibility=\"6\""}),
                options)),
            40);
  // The lower of the two taxonomies wins: being unsure wins.
  EXPECT_EQ(confidence_of(stix_for(
                tags({"misp:confidence-level=\"completely-confident\"",
                      "admiralty-scale:information-credibility=\"4\""}),
                {})),
            30);
}

TEST(StixTags, KillChainTagsGivePhasesInKillChainOrder) {
  const auto stix = stix_for(tags({"kill-chain:Installation",
                                   "kill-chain:\"Command and Control\"",
                                   "kill-chain:Delivery",
                                   "kill-chain:Delivery",
                                   "kill-chain:Unheard-of"}),
                             {});

  EXPECT_EQ(phases_of(stix), "delivery installation command-and-control ");
}

TEST(StixTags, KillChainAttributeOverEvent) {
  const auto event_tags = tags({"kill-chain:Reconnaissance"});

  EXPECT_EQ(phases_of(stix_for({}, event_tags)), "reconnaissance ");
  EXPECT_EQ(phases_of(stix_for(tags({"kill-chain:Actions on Objectives"}),
                               event_tags)),
            "actions-on-objectives ");
  EXPECT_EQ(phases_of(stix_for({}, {})), "");
}

TEST(StixTags, AmberStrictAndClearMapToTheirMarkings) {
  EXPECT_EQ(marking_of(stix_for(tags({"tlp:amber+strict"}), {})), k_amber);
  EXPECT_EQ(marking_of(stix_for(tags({"tlp:clear"}), {})), k_clear);
  EXPECT_EQ(marking_of(stix_for(tags({"tlp:white"}), {})), k_clear);
  EXPECT_EQ(marking_of(stix_for(tags({"tlp:green"}), {})), k_green);
  EXPECT_EQ(marking_of(stix_for({}, tags({"tlp:red"}))), k_red);
}

TEST(StixTags, DefaultTlpIsConfigurable) {
  ConversionOptions options;
  options.default_tlp = "tlp:green";

  EXPECT_EQ(marking_of(stix_for({}, {}, options)), k_green);
  EXPECT_EQ(marking_of(stix_for({}, tags({"tlp:red"}), options)), k_red);
}

// A local tag is the analyst's own note; it restricts sharing all the
// same, so a local TLP tag still counts.
TEST(StixTags, LocalTagsCountOnlyForTlpUnlessConfigured) {
  const std::vector<MispTag> attribute_tags = {
      MispTag{"tlp:red", true},
      MispTag{"misp:confidence-level=\"unconfident\"", true},
      MispTag{"sentinel-threattype:Botnet", true},
      MispTag{"kill-chain:Delivery", true},
      MispTag{"analyst:mine", true},
      MispTag{"shared", false}};

  const auto ignored = stix_for(attribute_tags, {});
  EXPECT_EQ(marking_of(ignored), k_red);
  EXPECT_EQ(confidence_of(ignored), 50);
  EXPECT_FALSE(ignored.contains("indicator_types"));
  EXPECT_FALSE(ignored.contains("kill_chain_phases"));
  EXPECT_EQ(labels_of(ignored), R"(["shared"])");

  ConversionOptions options;
  options.ignore_local_tags = false;
  const auto counted = stix_for(attribute_tags, {}, options);
  EXPECT_EQ(confidence_of(counted), 0);
  EXPECT_EQ(boost::json::serialize(counted.at("indicator_types")),
            R"(["Botnet"])");
  EXPECT_EQ(phases_of(counted), "delivery ");
  EXPECT_EQ(labels_of(counted),
            R"(["misp:confidence-level=\"unconfident\"",)"
            R"("sentinel-threattype:Botnet","kill-chain:Delivery",)"
            R"("analyst:mine","shared"])");
}

TEST(StixTags, LocalEventTagsAreIgnoredToo) {
  MispAttribute attribute = make_attribute("domain", "evil.example");
  MispEvent event = make_event({attribute});
  event.tags = {MispTag{"misp:confidence-level=\"unconfident\"", true},
                MispTag{"event-note", true}};

  const EventConversion result = convert_event(event, {});

  ASSERT_EQ(result.indicators.size(), 1U);
  EXPECT_EQ(confidence_of(result.indicators[0].stix), 50);
  EXPECT_FALSE(result.indicators[0].stix.contains("labels"));
}

TEST(StixTags, AllowListKeepsOnlyThosePrefixesAsLabels) {
  ConversionOptions options;
  options.allowed_tag_prefixes = {"misp-galaxy:", "Admiralty-Scale:"};
  const auto stix =
      stix_for(tags({"misp-galaxy:threat-actor=\"APT32\"",
                     "workflow:state=\"complete\"",
                     "admiralty-scale:source-reliability=\"b\""}),
               tags({"osint:source-type=\"blog-post\"",
                     "misp-galaxy:mitre-attack-pattern=\"T1566\""}),
               options);

  EXPECT_EQ(labels_of(stix),
            R"(["misp-galaxy:threat-actor=\"APT32\"",)"
            R"("admiralty-scale:source-reliability=\"b\"",)"
            R"("misp-galaxy:mitre-attack-pattern=\"T1566\""])");
}

// Galaxy clusters reach MISP's JSON as misp-galaxy tags; they become
// labels, attribute ones first, like every other tag.
TEST(StixTags, GalaxyTagsBecomeLabels) {
  const auto stix = stix_for(tags({"misp-galaxy:tool=\"Mimikatz\""}),
                             tags({"misp-galaxy:threat-actor=\"APT32\""}));

  EXPECT_EQ(labels_of(stix),
            R"(["misp-galaxy:tool=\"Mimikatz\"",)"
            R"("misp-galaxy:threat-actor=\"APT32\""])");
}

TEST(StixTags, ConfidenceAndTypesOfAttributeTagsWinOverEventTags) {
  const auto stix =
      stix_for(tags({"misp:confidence-level=\"completely-confident\"",
                     "sentinel-threattype:C2"}),
               tags({"misp:confidence-level=\"unconfident\"",
                     "sentinel-threattype:Botnet"}));

  EXPECT_EQ(confidence_of(stix), 100);
  EXPECT_EQ(boost::json::serialize(stix.at("indicator_types")), R"(["C2"])");
}

} // namespace
} // namespace m2s
