// Attributes inside MISP objects: which relations of which templates give
// indicators, and the object context each indicator carries.
// (Against misp-stix's own cases: stix_conformance_test.cpp.)

#include "misp2sentinel/stix/conversion.hpp"
#include "stix_test_support.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace m2s {
namespace {

MispAttribute in_object(const std::string& object_name,
                        const std::string& relation,
                        const std::string& type,
                        const std::string& value) {
  MispAttribute attribute = test::make_attribute(type, value);
  attribute.object_uuid = "5ac337df-e078-4e99-8b17-02550a00020f";
  attribute.object_name = object_name;
  attribute.object_relation = relation;
  attribute.object_meta_category = "network";
  return attribute;
}

// The pattern `attribute` gives, or its skip reason prefixed with "skip: ".
std::string outcome(const MispAttribute& attribute) {
  const EventConversion result = test::convert_one(attribute);
  if (result.indicators.size() == 1 && result.skipped.empty()) {
    return result.indicators[0].pattern;
  }
  if (result.indicators.empty() && result.skipped.size() == 1) {
    return "skip: " + result.skipped[0].reason;
  }
  return "unexpected";
}

using Case =
    std::tuple<const char*, const char*, const char*, const char*, const char*>;

TEST(StixObjects, TemplatesGiveTheirIdentifyingRelations) {
  const std::vector<Case> cases = {
      {"file",
       "md5",
       "md5",
       "b2a5abfeef9e36964281a31e17b57c97",
       "[file:hashes.MD5 = 'b2a5abfeef9e36964281a31e17b57c97']"},
      {"file", "filename", "filename", "oui", "[file:name = 'oui']"},
      {"file",
       "malware-sample",
       "malware-sample",
       "oui|8764605c6f388c89096b534d33565802",
       "[file:hashes.MD5 = '8764605c6f388c89096b534d33565802']"},
      {"lnk",
       "sha1",
       "sha1",
       "46aba99aa7158e4609aaa72b50990842fd22ae86",
       "[file:hashes.'SHA-1' = '46aba99aa7158e4609aaa72b50990842fd22ae86']"},
      {"pe",
       "imphash",
       "imphash",
       "23ea835ab4b9017c74dfb023d2301c99",
       "[file:hashes.IMPHASH = '23ea835ab4b9017c74dfb023d2301c99']"},
      {"domain-ip",
       "domain",
       "domain",
       "circl.lu",
       "[domain-name:value = 'circl.lu']"},
      {"domain-ip",
       "hostname",
       "hostname",
       "www.circl.lu",
       "[domain-name:value = 'www.circl.lu']"},
      {"domain-ip",
       "ip",
       "ip-dst",
       "149.13.33.14",
       "[ipv4-addr:value = '149.13.33.14']"},
      {"ip-port",
       "ip",
       "ip-dst",
       "2001:db8::1",
       "[ipv6-addr:value = '2001:db8::1']"},
      {"ip-port",
       "domain",
       "domain",
       "circl.lu",
       "[domain-name:value = 'circl.lu']"},
      {"url",
       "url",
       "url",
       "https://www.circl.lu/team",
       "[url:value = 'https://www.circl.lu/team']"},
      {"email",
       "from",
       "email-src",
       "donald.duck@disney.com",
       "[email-addr:value = 'donald.duck@disney.com']"},
      {"email",
       "reply-to",
       "email-reply-to",
       "reply@evil.example",
       "[email-addr:value = 'reply@evil.example']"},
      {"email",
       "attachment",
       "email-attachment",
       "invoice.doc",
       "[file:name = 'invoice.doc']"},
      {"registry-key",
       "key",
       "regkey",
       "HKLM\\Software\\Run",
       "[windows-registry-key:key = 'HKLM\\\\Software\\\\Run']"},
      {"user-account",
       "username",
       "text",
       "iglocska",
       "[user-account:account_login = 'iglocska']"},
      {"user-account",
       "user-id",
       "text",
       "1001",
       "[user-account:user_id = '1001']"},
      {"user-account",
       "email",
       "email",
       "iglocska@circl.lu",
       "[email-addr:value = 'iglocska@circl.lu']"},
  };
  for (const auto& [object, relation, type, value, pattern] : cases) {
    EXPECT_EQ(outcome(in_object(object, relation, type, value)), pattern)
        << object << "/" << relation;
  }
}

// The same types in relations that describe rather than identify: the
// domain a URL lives on, a PE's original name, an e-mail's subject or
// relay, an account's password. (A PE section's hashes are not the file's:
// pe-section gives none.)
TEST(StixObjects, DescribingRelationsAreObjectContext) {
  const std::vector<
      std::tuple<const char*, const char*, const char*, const char*>>
      cases = {
          {"url", "domain", "domain", "circl.lu"},
          {"url", "ip", "ip-dst", "149.13.33.14"},
          {"pe", "original-filename", "filename", "PuTTy"},
          {"email", "subject", "email-subject", "Invoice"},
          {"email", "received-header-ip", "ip-src", "198.51.100.3"},
          {"file", "size-in-bytes", "size-in-bytes", "35"},
          {"user-account", "password", "text", "P4ssw0rd1234!"},
          {"registry-key", "data", "text", "%DATA%\\x"},
      };
  for (const auto& [object, relation, type, value] : cases) {
    EXPECT_EQ(outcome(in_object(object, relation, type, value)),
              "skip: object context")
        << object << "/" << relation;
  }
}

TEST(StixObjects, OtherTemplatesAreUnsupported) {
  for (const char* object : {"pe-section",
                             "network-connection",
                             "http-request",
                             "hashlookup",
                             "x509",
                             "github-user",
                             "yara",
                             "av-signature"}) {
    EXPECT_EQ(outcome(in_object(object, "ip-dst", "ip-dst", "198.51.100.3")),
              "skip: unsupported object")
        << object;
  }
}

// Object attributes still need the IDS flag, and their values the checks
// of their type.
TEST(StixObjects, ObjectAttributesFollowTheAttributeRules) {
  MispAttribute no_ids = in_object("domain-ip", "ip", "ip-dst", "203.0.113.7");
  no_ids.to_ids = false;
  EXPECT_EQ(outcome(no_ids), "skip: to_ids is false");

  EXPECT_EQ(outcome(in_object("domain-ip", "ip", "ip-dst", "999.1.1.1")),
            "skip: invalid value");
  EXPECT_EQ(outcome(in_object("file", "sha256", "sha256", "abc")),
            "skip: invalid value");
}

TEST(StixObjects, ContextGoesIntoDescriptionAndLabels) {
  MispAttribute attribute =
      in_object("domain-ip", "ip", "ip-dst", "149.13.33.14");
  attribute.comment = "C2 seen in March";

  const EventConversion result = test::convert_one(attribute);

  ASSERT_EQ(result.indicators.size(), 1U);
  const auto& stix = result.indicators[0].stix;
  EXPECT_EQ(stix.at("description"),
            "C2 seen in March; object domain-ip, relation ip; MISP event: "
            "OceanLotus: rastls");
  EXPECT_EQ(boost::json::serialize(stix.at("labels")),
            R"(["misp:name=\"domain-ip\"","misp:meta-category=\"network\"",)"
            R"("misp:object-relation=\"ip\""])");
}

} // namespace
} // namespace m2s
