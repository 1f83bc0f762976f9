#include "misp2sentinel/stix/conversion.hpp"
#include "stix_test_support.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace m2s {
namespace {

using test::convert_one;
using test::k_attribute_uuid;
using test::k_event_uuid;
using test::make_attribute;
using test::make_event;

std::string json_text(const boost::json::object& object) {
  return boost::json::serialize(object);
}

TEST(StixConversion, SkipsAttributesWithoutToIds) {
  MispAttribute attribute = make_attribute("ip-dst", "203.0.113.7");
  attribute.to_ids = false;

  const EventConversion result = convert_one(attribute);

  EXPECT_TRUE(result.indicators.empty());
  ASSERT_EQ(result.skipped.size(), 1U);
  EXPECT_EQ(result.skipped[0].reason, "to_ids is false");
}

TEST(StixConversion, DeletedWinsOverToIds) {
  MispAttribute attribute = make_attribute("ip-dst", "203.0.113.7");
  attribute.deleted = true;
  attribute.to_ids = false;

  ConversionOptions options;
  options.require_to_ids = false;
  for (const auto& opts : {ConversionOptions{}, options}) {
    const EventConversion result = convert_one(attribute, opts);
    EXPECT_TRUE(result.indicators.empty());
    ASSERT_EQ(result.skipped.size(), 1U);
    EXPECT_EQ(result.skipped[0].reason, "deleted");
  }
}

TEST(StixConversion, AttributeWithoutUuidIsSkipped) {
  MispAttribute attribute = make_attribute("ip-dst", "203.0.113.7", "");

  const EventConversion result = convert_one(attribute);

  EXPECT_TRUE(result.indicators.empty());
  ASSERT_EQ(result.skipped.size(), 1U);
  EXPECT_EQ(result.skipped[0].reason, "missing uuid");
}

TEST(StixConversion, SkippedRecordNamesTheAttribute) {
  MispAttribute attribute = make_attribute("mutex", "Global\\x|1");

  const EventConversion result = convert_one(attribute);

  ASSERT_EQ(result.skipped.size(), 1U);
  const SkippedAttribute& skipped = result.skipped[0];
  EXPECT_EQ(skipped.attribute_uuid, k_attribute_uuid);
  EXPECT_EQ(skipped.event_uuid, k_event_uuid);
  EXPECT_EQ(skipped.misp_type, "mutex");
  EXPECT_EQ(skipped.value, "Global\\x|1");
  EXPECT_EQ(skipped.reason, "not matchable");
}

TEST(StixConversion, TypesMispDoesNotKnowAreUnsupported) {
  for (const char* type : {"DOMAIN",
                           "",
                           "ip-dst|",
                           "filename|crc32",
                           "sha512/384",
                           "url ",
                           "misp-galaxy"}) {
    const EventConversion result = convert_one(make_attribute(type, "x"));
    EXPECT_TRUE(result.indicators.empty()) << type;
    ASSERT_EQ(result.skipped.size(), 1U) << type;
    EXPECT_EQ(result.skipped[0].reason, "unsupported type") << type;
  }
}

TEST(StixConversion, ToIdsIsCheckedBeforeTheType) {
  MispAttribute attribute = make_attribute("text", "note");
  attribute.to_ids = false;

  const EventConversion result = convert_one(attribute);

  ASSERT_EQ(result.skipped.size(), 1U);
  EXPECT_EQ(result.skipped[0].reason, "to_ids is false");
}

TEST(StixConversion, CompositeWithoutOneBarIsInvalid) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"domain|ip", "evil.example"},
      {"domain|ip", "evil.example|203.0.113.7|x"},
      {"ip-dst|port", "203.0.113.7:443"},
      {"hostname|port", "evil.example:443"},
      {"filename|sha256", "x.exe"},
      {"filename|md5", "a|b|b2a5abfeef9e36964281a31e17b57c97"},
      {"malware-sample", "b2a5abfeef9e36964281a31e17b57c97"},
      {"regkey|value", "HKLM\\Software\\Run"},
  };
  for (const auto& [type, value] : bad) {
    const EventConversion result = convert_one(make_attribute(type, value));
    EXPECT_TRUE(result.indicators.empty()) << value;
    ASSERT_EQ(result.skipped.size(), 1U) << value;
    EXPECT_EQ(result.skipped[0].reason, "invalid value") << value;
  }
}

TEST(StixConversion, ConvertsWithoutToIdsWhenNotRequired) {
  MispAttribute attribute = make_attribute("ip-dst", "203.0.113.7");
  attribute.to_ids = false;
  ConversionOptions options;
  options.require_to_ids = false;

  const EventConversion result = convert_one(attribute, options);

  ASSERT_EQ(result.indicators.size(), 1U);
  EXPECT_TRUE(result.skipped.empty());
  EXPECT_EQ(result.indicators[0].pattern, "[ipv4-addr:value = '203.0.113.7']");
}

TEST(StixConversion, DomainIpBecomesTwoIndicators) {
  const EventConversion result =
      convert_one(make_attribute("domain|ip", "evil.example|2001:db8::7"));

  ASSERT_EQ(result.indicators.size(), 2U);
  EXPECT_TRUE(result.skipped.empty());
  const IndicatorDraft& domain = result.indicators[0];
  EXPECT_EQ(domain.component, "");
  EXPECT_EQ(domain.pattern, "[domain-name:value = 'evil.example']");
  EXPECT_EQ(domain.observable_type, "domain-name");
  EXPECT_EQ(domain.value, "evil.example");
  EXPECT_EQ(domain.misp_type, "domain|ip");

  const IndicatorDraft& address = result.indicators[1];
  EXPECT_EQ(address.component, "ip");
  EXPECT_EQ(address.pattern, "[ipv6-addr:value = '2001:db8::7']");
  EXPECT_EQ(address.observable_type, "ipv6-addr");
  EXPECT_EQ(address.attribute_uuid, k_attribute_uuid);
  EXPECT_EQ(address.misp_type, "domain|ip");
}

TEST(StixConversion, DomainIpWithBadAddressKeepsTheDomain) {
  const EventConversion result =
      convert_one(make_attribute("domain|ip", "evil.example|999.0.0.1"));

  ASSERT_EQ(result.indicators.size(), 1U);
  EXPECT_EQ(result.indicators[0].component, "");
  EXPECT_EQ(result.indicators[0].value, "evil.example");
  ASSERT_EQ(result.skipped.size(), 1U);
  EXPECT_EQ(result.skipped[0].reason, "invalid value");
  EXPECT_EQ(result.skipped[0].value, "evil.example|999.0.0.1");
}

TEST(StixConversion, IpPortGivesTheAddress) {
  for (const char* type : {"ip-src|port", "ip-dst|port"}) {
    const EventConversion result =
        convert_one(make_attribute(type, "203.0.113.7|443"));
    ASSERT_EQ(result.indicators.size(), 1U) << type;
    EXPECT_EQ(result.indicators[0].component, "");
    EXPECT_EQ(result.indicators[0].pattern,
              "[ipv4-addr:value = '203.0.113.7']");
    EXPECT_EQ(result.indicators[0].stix.at("description").as_string(),
              "port 443; MISP event: OceanLotus: rastls");
  }
}

TEST(StixConversion, HostnamePortGivesTheName) {
  const EventConversion result =
      convert_one(make_attribute("hostname|port", "c2.evil.example|8443"));

  ASSERT_EQ(result.indicators.size(), 1U);
  EXPECT_TRUE(result.skipped.empty());
  EXPECT_EQ(result.indicators[0].component, "");
  EXPECT_EQ(result.indicators[0].pattern,
            "[domain-name:value = 'c2.evil.example']");
  EXPECT_EQ(result.indicators[0].stix.at("description").as_string(),
            "port 8443; MISP event: OceanLotus: rastls");
}

TEST(StixConversion, RegkeyValueGivesTheKey) {
  // The data may hold a '|' itself: only the first one splits.
  const EventConversion result = convert_one(
      make_attribute("regkey|value", "HKCU\\Software\\Run|%TEMP%\\a|b.exe"));

  ASSERT_EQ(result.indicators.size(), 1U);
  EXPECT_TRUE(result.skipped.empty());
  const IndicatorDraft& key = result.indicators[0];
  EXPECT_EQ(key.component, "");
  EXPECT_EQ(key.observable_type, "windows-registry-key");
  EXPECT_EQ(key.value, "HKCU\\Software\\Run");
  EXPECT_EQ(key.pattern,
            "[windows-registry-key:key = 'HKCU\\\\Software\\\\Run']");
  EXPECT_EQ(key.stix.at("description").as_string(),
            "value data %TEMP%\\a|b.exe; MISP event: OceanLotus: rastls");
}

TEST(StixConversion, MalwareSampleGivesItsMd5) {
  const EventConversion result = convert_one(make_attribute(
      "malware-sample", "dropper.exe|B2A5ABFEEF9E36964281A31E17B57C97"));

  ASSERT_EQ(result.indicators.size(), 1U);
  EXPECT_EQ(result.indicators[0].pattern,
            "[file:hashes.MD5 = 'b2a5abfeef9e36964281a31e17b57c97']");
  EXPECT_EQ(result.indicators[0].stix.at("description").as_string(),
            "file name dropper.exe; MISP event: OceanLotus: rastls");
}

TEST(StixConversion, UriAndLinkMustBeAbsoluteUrls) {
  for (const char* type : {"uri", "link"}) {
    for (const char* value :
         {"/gate.php", "gate.php?id=1", "evil.example/x", "www.evil.example"}) {
      const EventConversion result = convert_one(make_attribute(type, value));
      EXPECT_TRUE(result.indicators.empty()) << type << value;
      ASSERT_EQ(result.skipped.size(), 1U) << type << value;
      EXPECT_EQ(result.skipped[0].reason, "not an absolute url")
          << type << value;
    }
    const EventConversion bad =
        convert_one(make_attribute(type, "http://no_dot/x"));
    ASSERT_EQ(bad.skipped.size(), 1U) << type;
    EXPECT_EQ(bad.skipped[0].reason, "invalid value") << type;

    const EventConversion good =
        convert_one(make_attribute(type, "https://evil.example/a%20b?q='1'"));
    ASSERT_EQ(good.indicators.size(), 1U) << type;
    EXPECT_EQ(good.indicators[0].pattern,
              "[url:value = 'https://evil.example/a%20b?q=\\'1\\'']");
  }
}

TEST(StixConversion, FilenameHashGivesTheHash) {
  const std::map<std::string, std::string> paths = {
      {"md5", "MD5"},
      {"sha1", "'SHA-1'"},
      {"sha224", "'SHA-224'"},
      {"sha256", "'SHA-256'"},
      {"sha384", "'SHA-384'"},
      {"sha512", "'SHA-512'"},
      {"sha3-256", "'SHA3-256'"},
      {"sha3-512", "'SHA3-512'"},
  };
  const std::map<std::string, std::size_t> lengths = {{"md5", 32},
                                                      {"sha1", 40},
                                                      {"sha224", 56},
                                                      {"sha256", 64},
                                                      {"sha384", 96},
                                                      {"sha512", 128},
                                                      {"sha3-256", 64},
                                                      {"sha3-512", 128}};
  for (const auto& [hash, path] : paths) {
    const std::string digest(lengths.at(hash), 'e');
    const EventConversion result = convert_one(
        make_attribute("filename|" + hash, "O'Brien.exe|" + digest));
    ASSERT_EQ(result.indicators.size(), 1U) << hash;
    EXPECT_EQ(result.indicators[0].component, "");
    EXPECT_EQ(result.indicators[0].pattern,
              "[file:hashes." + path + " = '" + digest + "']");
    EXPECT_EQ(result.indicators[0].stix.at("description").as_string(),
              "file name O'Brien.exe; MISP event: OceanLotus: rastls");
  }
}

TEST(StixConversion, FilenameFuzzyHashGivesTheHash) {
  const EventConversion result =
      convert_one(make_attribute("filename|ssdeep", "a.exe|3:abc:def"));
  ASSERT_EQ(result.indicators.size(), 1U);
  EXPECT_EQ(result.indicators[0].pattern, "[file:hashes.SSDEEP = '3:abc:def']");

  const std::string tlsh(70, 'b');
  const EventConversion fuzzy =
      convert_one(make_attribute("filename|tlsh", "a.exe|" + tlsh));
  ASSERT_EQ(fuzzy.indicators.size(), 1U);
  EXPECT_EQ(fuzzy.indicators[0].pattern, "[file:hashes.TLSH = '" + tlsh + "']");
}

TEST(StixConversion, DraftHasAllFieldsInOrder) {
  MispAttribute attribute = make_attribute("domain", "evil.example");
  attribute.comment = "C2 server";
  attribute.tags = {{"tlp:amber", false},
                    {"misp:confidence-level=\"usually-confident\"", false},
                    {"sentinel-threattype:Botnet", false},
                    {"type:OSINT", false}};
  MispEvent event = make_event({attribute});
  event.tags = {{"tlp:green", false},
                {"OceanLotus", false},
                {"type:OSINT", false},
                {"workflow:todo", true}};
  ConversionOptions options;
  options.misp_url = "https://misp.example/";

  const EventConversion result = convert_event(event, options);

  ASSERT_EQ(result.indicators.size(), 1U);
  const IndicatorDraft& draft = result.indicators[0];
  EXPECT_EQ(
      json_text(draft.stix),
      R"({"type":"indicator","spec_version":"2.1",)"
      R"("pattern":"[domain-name:value = 'evil.example']",)"
      R"("pattern_type":"stix","pattern_version":"2.1",)"
      R"("valid_from":"2020-10-25T16:22:00.000Z",)"
      R"("name":"OceanLotus: rastls",)"
      R"("description":"C2 server; MISP event: OceanLotus: rastls",)"
      R"("indicator_types":["Botnet"],"confidence":75,)"
      R"("labels":["misp:confidence-level=\"usually-confident\"",)"
      R"("sentinel-threattype:Botnet","type:OSINT","OceanLotus"],)"
      R"("object_marking_refs":)"
      R"(["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"],)"
      R"("created_by_ref":"identity--55f6ea5e-51ac-4344-bc8c-4170950d210f",)"
      R"("external_references":[{"source_name":"MISP",)"
      R"("description":"MISP event OceanLotus: rastls",)"
      R"("external_id":"5a610659-d718-4a1f-b020-04d80a016219",)"
      R"("url":"https://misp.example/events/view/)"
      R"(5a610659-d718-4a1f-b020-04d80a016219"}]})");
  EXPECT_EQ(draft.attribute_uuid, k_attribute_uuid);
  EXPECT_EQ(draft.event_uuid, k_event_uuid);
  EXPECT_EQ(draft.attribute_timestamp, test::k_attribute_timestamp);
  EXPECT_EQ(draft.valid_from_epoch, test::k_attribute_timestamp);
}

TEST(StixConversion, BareEventGivesMinimalDraft) {
  MispEvent event = make_event({make_attribute("url", "https://x.example/")});
  event.info = "";
  event.orgc_uuid = "";

  const EventConversion result = convert_event(event, {});

  ASSERT_EQ(result.indicators.size(), 1U);
  EXPECT_EQ(
      json_text(result.indicators[0].stix),
      R"({"type":"indicator","spec_version":"2.1",)"
      R"("pattern":"[url:value = 'https://x.example/']",)"
      R"("pattern_type":"stix","pattern_version":"2.1",)"
      R"("valid_from":"2020-10-25T16:22:00.000Z",)"
      R"("name":"MISP event 5a610659-d718-4a1f-b020-04d80a016219",)"
      R"("description":"MISP event 5a610659-d718-4a1f-b020-04d80a016219",)"
      R"("confidence":50,)"
      R"("object_marking_refs":)"
      R"(["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"],)"
      R"("external_references":[{"source_name":"MISP",)"
      R"("description":"MISP event 5a610659-d718-4a1f-b020-04d80a016219",)"
      R"("external_id":"5a610659-d718-4a1f-b020-04d80a016219"}]})");
}

TEST(StixConversion, ValidFromPrefersFirstSeen) {
  MispAttribute attribute = make_attribute("ip-dst", "203.0.113.7");
  attribute.first_seen = "2014-11-19T19:23:09.250000+02:00";

  const EventConversion result = convert_one(attribute);

  ASSERT_EQ(result.indicators.size(), 1U);
  EXPECT_EQ(result.indicators[0].stix.at("valid_from").as_string(),
            "2014-11-19T17:23:09.250Z");
  EXPECT_EQ(result.indicators[0].valid_from_epoch, 1416417789);
}

TEST(StixConversion, ValidFromFallsBackToAttributeThenEventTimestamp) {
  MispAttribute unparseable = make_attribute("ip-dst", "203.0.113.7");
  unparseable.first_seen = "yesterday";
  MispAttribute no_timestamp = make_attribute("ip-dst", "203.0.113.8");
  no_timestamp.timestamp = 0;

  const EventConversion result =
      convert_event(make_event({unparseable, no_timestamp}), {});

  ASSERT_EQ(result.indicators.size(), 2U);
  EXPECT_EQ(result.indicators[0].stix.at("valid_from").as_string(),
            "2020-10-25T16:22:00.000Z");
  EXPECT_EQ(result.indicators[0].valid_from_epoch, 1603642920);
  EXPECT_EQ(result.indicators[1].stix.at("valid_from").as_string(),
            "2018-03-16T18:53:54.000Z");
  EXPECT_EQ(result.indicators[1].valid_from_epoch, test::k_event_timestamp);
}

TEST(StixConversion, ObjectAttributesDescribeTheirObject) {
  MispAttribute hash = make_attribute(
      "sha256",
      "ec5aedf5ecc6bdadd4120932170d1b10f6cfa175cfda22951dfd882928ab279b");
  hash.object_uuid = "5ac47edc-31e4-4402-a7b6-040d0a00020f";
  hash.object_name = "file";
  hash.object_relation = "sha256";
  hash.object_meta_category = "file";
  MispAttribute name = hash;
  name.type = "filename";
  name.value = "oui";
  name.object_relation = "filename";
  name.comment = "dropper";
  name.uuid = "5ac47edc-0000-4402-a7b6-040d0a00020f";

  const EventConversion result = convert_event(make_event({hash, name}), {});

  ASSERT_EQ(result.indicators.size(), 2U);
  EXPECT_EQ(result.indicators[0].stix.at("description").as_string(),
            "object file, relation sha256; MISP event: OceanLotus: rastls");
  EXPECT_EQ(
      result.indicators[0].pattern,
      "[file:hashes.'SHA-256' = "
      "'ec5aedf5ecc6bdadd4120932170d1b10f6cfa175cfda22951dfd882928ab279b']");
  EXPECT_EQ(result.indicators[1].stix.at("description").as_string(),
            "dropper; object file, relation filename; "
            "MISP event: OceanLotus: rastls");
  EXPECT_EQ(result.indicators[1].pattern, "[file:name = 'oui']");
}

TEST(StixConversion, CreatedByRefNeedsCanonicalUuid) {
  MispEvent event = make_event({make_attribute("domain", "evil.example")});
  event.orgc_uuid = "ESET";
  EXPECT_FALSE(convert_event(event, {}).indicators.at(0).stix.contains(
      "created_by_ref"));

  event.orgc_uuid = "55F6EA5E-51AC-4344-BC8C-4170950D210F";
  EXPECT_EQ(convert_event(event, {})
                .indicators.at(0)
                .stix.at("created_by_ref")
                .as_string(),
            "identity--55f6ea5e-51ac-4344-bc8c-4170950d210f");
}

TEST(StixConversion, AttributesKeepTheirOrder) {
  MispAttribute skipped = make_attribute("text", "note", "a-1");
  const EventConversion result =
      convert_event(make_event({make_attribute("domain", "a.example", "a-2"),
                                skipped,
                                make_attribute("domain", "b.example", "a-3")}),
                    {});

  ASSERT_EQ(result.indicators.size(), 2U);
  EXPECT_EQ(result.indicators[0].attribute_uuid, "a-2");
  EXPECT_EQ(result.indicators[1].attribute_uuid, "a-3");
  ASSERT_EQ(result.skipped.size(), 1U);
  EXPECT_EQ(result.skipped[0].attribute_uuid, "a-1");
}

// Real data: an ESET OceanLotus event whose attributes all have to_ids
// false (a typical feed), converted with and without the to_ids rule.
class StixRealEvent : public ::testing::Test {
protected:
  static MispEvent load() {
    return test::load_event_file(
        std::string(M2S_SOURCE_DIR)
        + "/data/misp-events/eset_malware-ioc__oceanlotus_oceanlotus.misp."
          "event.json");
  }

  static const IndicatorDraft* find(const EventConversion& result,
                                    const std::string& uuid,
                                    const std::string& component) {
    for (const IndicatorDraft& draft : result.indicators) {
      if (draft.attribute_uuid == uuid && draft.component == component) {
        return &draft;
      }
    }
    return nullptr;
  }
};

TEST_F(StixRealEvent, EveryAttributeLacksToIds) {
  const MispEvent event = load();
  ASSERT_EQ(event.attributes.size(), 111U);

  const EventConversion result = convert_event(event, {});

  EXPECT_TRUE(result.indicators.empty());
  ASSERT_EQ(result.skipped.size(), 111U);
  for (const SkippedAttribute& skipped : result.skipped) {
    EXPECT_EQ(skipped.reason, "to_ids is false") << skipped.attribute_uuid;
  }
}

TEST_F(StixRealEvent, ConvertsEverySupportedAttribute) {
  ConversionOptions options;
  options.require_to_ids = false;

  const EventConversion result = convert_event(load(), options);

  // 62 domain + 22 ip-dst + 8 filename + 5 filename|sha1 + 3 x 2 domain|ip
  // + 3 regkey|value + 1 regkey; the 7 text attributes are not indicators.
  EXPECT_EQ(result.indicators.size(), 107U);
  ASSERT_EQ(result.skipped.size(), 7U);
  for (const SkippedAttribute& skipped : result.skipped) {
    EXPECT_EQ(skipped.reason, "free text") << skipped.misp_type;
  }
}

TEST_F(StixRealEvent, RegkeyValueKeepsItsBackslashes) {
  ConversionOptions options;
  options.require_to_ids = false;
  const EventConversion result = convert_event(load(), options);

  const auto* key = find(result, "5a61193e-e620-411c-b4d3-079c0a016219", "");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->value,
            "HKCU\\SOFTWARE\\Classes\\CLSID\\"
            "{E3517E26-8E93-458D-A6DF-8030BC80528B}");
  EXPECT_EQ(test::pattern_literal(key->pattern), key->value);
}

TEST_F(StixRealEvent, DomainIpAttributeGivesDomainAndAddress) {
  ConversionOptions options;
  options.require_to_ids = false;
  const EventConversion result = convert_event(load(), options);

  const auto* domain = find(result, "5a611861-5388-4287-834c-04da0a016219", "");
  const auto* address =
      find(result, "5a611861-5388-4287-834c-04da0a016219", "ip");
  ASSERT_NE(domain, nullptr);
  ASSERT_NE(address, nullptr);
  EXPECT_EQ(domain->pattern, "[domain-name:value = 'dwarduong.com']");
  EXPECT_EQ(address->pattern, "[ipv4-addr:value = '46.183.78.191']");
  EXPECT_EQ(domain->stix.at("valid_from").as_string(),
            "2018-01-18T21:57:53.000Z");
  EXPECT_EQ(address->stix.at("name").as_string(), "OceanLotus: rastls");
  EXPECT_EQ(address->stix.at("created_by_ref").as_string(),
            "identity--55f6ea5e-51ac-4344-bc8c-4170950d210f");
  EXPECT_EQ(address->event_uuid, "5a610659-d718-4a1f-b020-04d80a016219");
  // Event tags become labels; the galaxy tag stays a plain label for now.
  EXPECT_EQ(boost::json::serialize(address->stix.at("labels")),
            R"(["misp-galaxy:threat-actor=\"APT32\"","OceanLotus"])");
}

TEST_F(StixRealEvent, FilenameSha1AttributeGivesTheHash) {
  ConversionOptions options;
  options.require_to_ids = false;
  const EventConversion result = convert_event(load(), options);

  const auto* rastls = find(result, "5a610a1e-8a6c-4bdb-81c4-04d70a016219", "");
  ASSERT_NE(rastls, nullptr);
  EXPECT_EQ(rastls->pattern,
            "[file:hashes.'SHA-1' = "
            "'82e579bd49d69845133c9aa8585f8bd26736437b']");
  EXPECT_EQ(rastls->value, "82e579bd49d69845133c9aa8585f8bd26736437b");

  // A file name padded with spaces before ".exe" (a lure) still splits.
  const auto* lure = find(result, "5a610b5b-3f0c-4335-960d-04da0a016219", "");
  ASSERT_NE(lure, nullptr);
  EXPECT_EQ(lure->value, "a24ca18ff3caf505cb7ab6ebb88ad840ffc78877");
}

} // namespace
} // namespace m2s
