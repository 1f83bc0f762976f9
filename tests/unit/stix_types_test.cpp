#include "misp2sentinel/stix/conversion.hpp"
#include "stix_test_support.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace m2s {
namespace {

using test::convert_one;
using test::make_attribute;

// The one skip reason `type`/`value` gives, or "" (failing the test) when
// it gives an indicator.
std::string skip_reason(const std::string& type, const std::string& value) {
  const EventConversion result = convert_one(make_attribute(type, value));
  EXPECT_TRUE(result.indicators.empty()) << type << " " << value;
  return result.skipped.size() == 1 ? result.skipped[0].reason : "";
}

IndicatorDraft only_draft(const std::string& type, const std::string& value) {
  const EventConversion result = convert_one(make_attribute(type, value));
  EXPECT_EQ(result.indicators.size(), 1U) << type << " " << value;
  EXPECT_TRUE(result.skipped.empty()) << type << " " << value;
  return result.indicators.empty() ? IndicatorDraft{} : result.indicators[0];
}

std::vector<std::string> describe_types() {
  std::ifstream file(std::string(M2S_SOURCE_DIR) + "/data/describeTypes.json");
  std::stringstream text;
  text << file.rdbuf();
  const auto root = boost::json::parse(text.str());
  std::vector<std::string> types;
  for (const auto& type : root.at("result").at("types").as_array()) {
    types.emplace_back(type.as_string());
  }
  return types;
}

// The README's table: every MISP type either converts or is skipped for
// one of these reasons. A type missing from both tables of type_rules.cpp
// would be "unsupported type", which is for types MISP does not know.
TEST(StixTypes, EveryMispTypeIsClassified) {
  const std::set<std::string> reasons = {"rule language",
                                         "not matchable",
                                         "free text",
                                         "context only",
                                         "invalid value",
                                         "not an absolute url"};
  const std::vector<std::string> types = describe_types();
  ASSERT_EQ(types.size(), 194U);

  std::map<std::string, int> outcomes;
  for (const std::string& type : types) {
    const EventConversion result = convert_one(make_attribute(type, "x"));
    ASSERT_EQ(result.indicators.size() + result.skipped.size(), 1U) << type;
    if (!result.skipped.empty()) {
      const std::string& reason = result.skipped[0].reason;
      EXPECT_EQ(reasons.count(reason), 1U) << type << ": " << reason;
      ++outcomes[reason];
    } else {
      ++outcomes["indicator"];
    }
  }

  // "x" is a valid file name, user name and vhash; every other supported
  // type finds it invalid.
  EXPECT_EQ(outcomes,
            (std::map<std::string, int>{{"context only", 56},
                                        {"free text", 4},
                                        {"indicator", 4},
                                        {"invalid value", 57},
                                        {"not an absolute url", 2},
                                        {"not matchable", 58},
                                        {"rule language", 13}}));
}

TEST(StixTypes, SkipReasonsNameWhyATypeIsNoIndicator) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"yara", "rule a { condition: true }"},
      {"sigma", "title: x"},
      {"snort", "alert tcp any any -> any any"},
      {"mutex", "Global\\x"},
      {"AS", "AS174"},
      {"port", "443"},
      {"user-agent", "Mozilla/5.0"},
      {"x509-fingerprint-sha1", std::string(40, 'a')},
      {"email-subject", "Invoice"},
      {"btc", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"},
      {"text", "free"},
      {"comment", "a note"},
      {"vulnerability", "CVE-2017-11774"},
      {"whois-registrant-email", "a@evil.example"},
      {"attachment", "report.pdf"},
      {"target-user", "alice"},
  };
  const std::map<std::string, std::string> expected = {
      {"yara", "rule language"},
      {"sigma", "rule language"},
      {"snort", "rule language"},
      {"mutex", "not matchable"},
      {"AS", "not matchable"},
      {"port", "not matchable"},
      {"user-agent", "not matchable"},
      {"x509-fingerprint-sha1", "not matchable"},
      {"email-subject", "not matchable"},
      {"btc", "not matchable"},
      {"text", "free text"},
      {"comment", "free text"},
      {"vulnerability", "context only"},
      {"whois-registrant-email", "context only"},
      {"attachment", "context only"},
      {"target-user", "context only"},
  };
  for (const auto& [type, value] : cases) {
    EXPECT_EQ(skip_reason(type, value), expected.at(type)) << type;
  }
}

TEST(StixTypes, InvalidValuesOfNewTypesAreSkipped) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"regkey", ""},
      {"regkey", "HKLM"},
      {"regkey", "\\Software\\Run"},
      {"regkey", "HKLM\\\\Software"},
      {"regkey", "HKLM\\Soft\nware"},
      {"email-reply-to", "no-at.example"},
      {"email-reply-to", "a@localhost"},
      {"email-attachment", ""},
      {"github-username", "a\tb"},
      {"onion-address", "http://x.onion"},
      {"hostname|port", "|443"},
      {"imphash", std::string(31, 'a')},
      {"authentihash", std::string(63, 'a')},
      {"pehash", std::string(41, 'a')},
      {"cdhash", "z" + std::string(39, 'a')},
      {"sha512/224", std::string(64, 'a')},
      {"sha512/256", std::string(56, 'a')},
      {"sha3-224", std::string(64, 'a')},
      {"sha3-384", std::string(128, 'a')},
      {"impfuzzy", "192:abc"},
      {"telfhash", std::string(69, 'a')},
      {"telfhash", "-"},
      {"vhash", ""},
      {"vhash", "abc-def"},
      {"vhash", std::string(257, 'a')},
  };
  for (const auto& [type, value] : bad) {
    EXPECT_EQ(skip_reason(type, value), "invalid value") << type << value;
  }
}

TEST(StixTypes, EveryHashTypeHasItsStixName) {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"sha512/224", "'SHA-512/224'", std::string(56, 'a')},
      {"sha512/256", "'SHA-512/256'", std::string(64, 'a')},
      {"sha3-224", "'SHA3-224'", std::string(56, 'a')},
      {"sha3-384", "'SHA3-384'", std::string(96, 'a')},
      {"imphash", "IMPHASH", std::string(32, 'a')},
      {"authentihash", "AUTHENTIHASH", std::string(64, 'a')},
      {"pehash", "PEHASH", std::string(40, 'a')},
      {"cdhash", "CDHASH", std::string(40, 'a')},
      {"vhash", "VHASH", "115056655d15151138z66hz1021z55z66z3"},
      {"telfhash", "TELFHASH", "t1" + std::string(70, 'a')},
      {"impfuzzy", "IMPFUZZY", "192:8GMV5iqHKV:vMVzB5R8"},
  };
  for (const auto& [type, name, value] : cases) {
    const IndicatorDraft draft = only_draft(type, value);
    EXPECT_EQ(draft.pattern, "[file:hashes." + name + " = '" + value + "']")
        << type;
    EXPECT_EQ(draft.observable_type, "file") << type;

    const IndicatorDraft composite =
        only_draft("filename|" + type, "a.exe|" + value);
    EXPECT_EQ(composite.pattern, draft.pattern) << type;
  }
}

TEST(StixTypes, HexHashesOfNewTypesAreLowerCased) {
  EXPECT_EQ(only_draft("imphash", std::string(32, 'F')).value,
            std::string(32, 'f'));
  EXPECT_EQ(only_draft("vhash", "ABc1").value, "ABc1");
}

TEST(StixTypes, RegkeyKeepsBackslashesAndPercent) {
  const IndicatorDraft draft =
      only_draft("regkey", "HKCU\\Software\\%APPDATA%\\O'Brien\\");
  EXPECT_EQ(draft.observable_type, "windows-registry-key");
  EXPECT_EQ(draft.value, "HKCU\\Software\\%APPDATA%\\O'Brien\\");
  EXPECT_EQ(draft.pattern,
            "[windows-registry-key:key = "
            "'HKCU\\\\Software\\\\%APPDATA%\\\\O\\'Brien\\\\']");
}

TEST(StixTypes, AddressTypesGiveEmailAddresses) {
  for (const char* type : {"email-reply-to", "target-email"}) {
    EXPECT_EQ(only_draft(type, "reply@evil.example").pattern,
              "[email-addr:value = 'reply@evil.example']")
        << type;
  }
}

TEST(StixTypes, EmailAttachmentGivesAFileName) {
  const IndicatorDraft draft =
      only_draft("email-attachment", "與天空有約 mm.doc");
  EXPECT_EQ(draft.pattern, "[file:name = '與天空有約 mm.doc']");
}

TEST(StixTypes, GithubUsernameGivesAnAccountLogin) {
  const IndicatorDraft draft = only_draft("github-username", "chrisr3d");
  EXPECT_EQ(draft.observable_type, "user-account");
  EXPECT_EQ(draft.pattern, "[user-account:account_login = 'chrisr3d']");
}

TEST(StixTypes, OnionAddressGivesADomainName) {
  EXPECT_EQ(only_draft("onion-address", "expyuzz4wqqyqhjn.onion").pattern,
            "[domain-name:value = 'expyuzz4wqqyqhjn.onion']");
}

} // namespace
} // namespace m2s
