#include "misp2sentinel/stix/conversion.hpp"
#include "stix_test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace m2s {
namespace {

using test::convert_one;
using test::make_attribute;
using test::pattern_literal;

// The single draft `type`/`value` gives; fails the test if there is not
// exactly one.
IndicatorDraft only_draft(const std::string& type, const std::string& value) {
  const EventConversion result = convert_one(make_attribute(type, value));
  EXPECT_EQ(result.indicators.size(), 1U) << type << " " << value;
  EXPECT_TRUE(result.skipped.empty()) << type << " " << value;
  return result.indicators.empty() ? IndicatorDraft{} : result.indicators[0];
}

// The skip reason `type`/`value` gives; "" when it was not skipped.
std::string skip_reason(const std::string& type, const std::string& value) {
  const EventConversion result = convert_one(make_attribute(type, value));
  EXPECT_TRUE(result.indicators.empty()) << type << " " << value;
  return result.skipped.size() == 1 ? result.skipped[0].reason : "";
}

TEST(StixPattern, EscapesEveryRowOfTheReferenceTable) {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"test_file_name", "test_file_name"},
      {"C:\\Windows\\System32", "C:\\\\Windows\\\\System32"},
      {"O'Brien", "O\\'Brien"},
      {"\\'", "\\\\\\'"},
      {"%USERPROFILE%\\O'Brien\\x.pdb", "%USERPROFILE%\\\\O\\'Brien\\\\x.pdb"},
      {"say \"hi\"", "say \"hi\""},
  };
  for (const auto& [input, expected] : table) {
    EXPECT_EQ(escape_pattern_literal(input), expected) << input;
  }
}

TEST(StixPattern, EscapingLeavesPercentAndEmptyAlone) {
  EXPECT_EQ(escape_pattern_literal(""), "");
  EXPECT_EQ(escape_pattern_literal("http://evil.example/a%20b?x='1'"),
            "http://evil.example/a%20b?x=\\'1\\'");
}

TEST(StixPattern, InvalidIpAddressesAreSkipped) {
  const char* bad[] = {"",
                       "999.1.1.1",
                       "1.2.3",
                       "1.2.3.4/33",
                       "1.2.3.4/",
                       "1.2.3.4/-1",
                       "1.2.3.4/8/8",
                       "1.2.3.4/1234",
                       "::1/129",
                       "1.2.3.4 5",
                       "example.com",
                       "fe80::1%eth0"};
  for (const char* value : bad) {
    EXPECT_EQ(skip_reason("ip-dst", value), "invalid value") << value;
  }
}

TEST(StixPattern, IpAddressTypeFollowsTheFamily) {
  const IndicatorDraft v4 = only_draft("ip-dst", "203.0.113.7");
  EXPECT_EQ(v4.pattern, "[ipv4-addr:value = '203.0.113.7']");
  EXPECT_EQ(v4.observable_type, "ipv4-addr");
  EXPECT_EQ(v4.value, "203.0.113.7");

  const IndicatorDraft v6 = only_draft("ip-src", "2001:db8::1");
  EXPECT_EQ(v6.pattern, "[ipv6-addr:value = '2001:db8::1']");
  EXPECT_EQ(v6.observable_type, "ipv6-addr");
}

TEST(StixPattern, CidrIsKeptAsGiven) {
  EXPECT_EQ(only_draft("ip-dst", "198.51.100.0/24").pattern,
            "[ipv4-addr:value = '198.51.100.0/24']");
  EXPECT_EQ(only_draft("ip-dst", "10.0.0.0/0").pattern,
            "[ipv4-addr:value = '10.0.0.0/0']");
  EXPECT_EQ(only_draft("ip-src", "2001:db8::/32").pattern,
            "[ipv6-addr:value = '2001:db8::/32']");
  EXPECT_EQ(only_draft("ip-src", "::1/128").pattern,
            "[ipv6-addr:value = '::1/128']");
}

TEST(StixPattern, SurroundingWhitespaceIsTrimmed) {
  EXPECT_EQ(only_draft("ip-dst", " 203.0.113.7\n").value, "203.0.113.7");
}

TEST(StixPattern, InvalidDomainsAreSkipped) {
  const std::vector<std::string> bad = {
      "",
      "   ",
      "evil .example",
      "a\tb.example",
      "localhost",
      "evil.example/path",
      "http://evil.example",
      "evil..example",
      ".evil.example",
      "evil.example.",
      "*.evil.example",
      "evil.example:443",
      "user@evil.example",
      "203.0.113.7",
      "1.2.3",
      std::string(64, 'a') + ".example",
      std::string(250, 'a') + ".example",
  };
  for (const std::string& value : bad) {
    EXPECT_EQ(skip_reason("domain", value), "invalid value") << value;
    EXPECT_EQ(skip_reason("hostname", value), "invalid value") << value;
  }
}

TEST(StixPattern, DomainsAtTheLengthLimitsAreKept) {
  const std::string label(63, 'a');
  const std::string longest =
      label + "." + label + "." + label + "." + std::string(61, 'b');
  ASSERT_EQ(longest.size(), 253U);
  EXPECT_EQ(only_draft("domain", longest).value, longest);
  EXPECT_EQ(only_draft("domain", "_dmarc.evil-1.example").value,
            "_dmarc.evil-1.example");
  EXPECT_EQ(only_draft("domain", "evil.123a").value, "evil.123a");
}

TEST(StixPattern, DomainsAndHostnamesKeepIdnAsGiven) {
  EXPECT_EQ(only_draft("domain", "evil.example").pattern,
            "[domain-name:value = 'evil.example']");
  const IndicatorDraft idn = only_draft("hostname", "www.bücher.example");
  EXPECT_EQ(idn.pattern, "[domain-name:value = 'www.bücher.example']");
  EXPECT_EQ(idn.observable_type, "domain-name");
  EXPECT_EQ(only_draft("domain", "xn--bcher-kva.example").value,
            "xn--bcher-kva.example");
}

TEST(StixPattern, UrlsWithoutAPlausibleHostAreSkipped) {
  // Real to_ids URL attributes (PyMISP's long_event) that name a file or
  // a truncated address rather than a place on the web.
  const std::vector<std::string> bad = {"",
                                        "Data/dtl.dat",
                                        "107.183.86",
                                        "http://",
                                        "http:///gate.php",
                                        "://evil.example/",
                                        "ht tp://evil.example/",
                                        "http://evil.example:80a/",
                                        "http://[2001:db8::1/",
                                        "http://[203.0.113.7]/",
                                        "http://evil .example/",
                                        "http://evil.example/a\nb"};
  for (const std::string& value : bad) {
    EXPECT_EQ(skip_reason("url", value), "invalid value") << value;
  }
}

TEST(StixPattern, UrlHostsMayBeAddressesWithPortsAndUserInfo) {
  for (const char* value : {"http://198.55.120.143:7386/B/ResN32.dll",
                            "https://[2001:db8::1]:8443/x",
                            "smb://38.9.8.78/driverpack/DPU.exe",
                            "ftp://user:pw@evil.example/a b.exe",
                            "https://bücher.example/straße?q=ü#frag"}) {
    EXPECT_EQ(only_draft("url", value).value, value) << value;
  }
}

TEST(StixPattern, UrlWithoutSchemeGetsHttp) {
  EXPECT_EQ(skip_reason("url", ""), "invalid value");

  const IndicatorDraft bare = only_draft("url", "evil.example/a%20b");
  EXPECT_EQ(bare.pattern, "[url:value = 'http://evil.example/a%20b']");
  EXPECT_EQ(bare.value, "http://evil.example/a%20b");
  EXPECT_EQ(bare.observable_type, "url");

  EXPECT_EQ(only_draft("url", "https://evil.example/x").value,
            "https://evil.example/x");
  EXPECT_EQ(only_draft("url", "ftp://evil.example/").value,
            "ftp://evil.example/");
}

TEST(StixPattern, InvalidHashesAreSkipped) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"md5", ""},
      {"md5", "b2a5abfeef9e36964281a31e17b57c9"},
      {"md5", "b2a5abfeef9e36964281a31e17b57c977"},
      {"md5", "g2a5abfeef9e36964281a31e17b57c97"},
      {"sha1", "b2a5abfeef9e36964281a31e17b57c97"},
      {"sha256", "2920d5e6c579fce772e5506caf03af65579088bd"},
      {"sha512", std::string(127, 'a')},
      {"sha224", std::string(64, 'a')},
      {"sha384", std::string(95, 'a')},
      {"sha3-256", std::string(63, 'a')},
      {"sha3-512", std::string(129, 'a')},
      {"ssdeep", "96:abc"},
      {"ssdeep", "x96:abc:def"},
      {"ssdeep", ":abc:def"},
      {"ssdeep", "96::def"},
      {"ssdeep", "96:abc:"},
      {"ssdeep", "96:abc:def:ghi"},
      {"ssdeep", "96:ab c:def"},
      {"tlsh", std::string(69, 'a')},
      {"tlsh", std::string(69, 'a') + "z"},
      {"tlsh", "T1" + std::string(72, 'a')},
  };
  for (const auto& [type, value] : bad) {
    EXPECT_EQ(skip_reason(type, value), "invalid value") << type << value;
  }
}

TEST(StixPattern, HashesUseStixNamesAndLowerCaseHex) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"md5", "file:hashes.MD5"},
      {"sha1", "file:hashes.'SHA-1'"},
      {"sha224", "file:hashes.'SHA-224'"},
      {"sha256", "file:hashes.'SHA-256'"},
      {"sha384", "file:hashes.'SHA-384'"},
      {"sha512", "file:hashes.'SHA-512'"},
      {"sha3-256", "file:hashes.'SHA3-256'"},
      {"sha3-512", "file:hashes.'SHA3-512'"},
  };
  const std::vector<std::size_t> lengths = {32, 40, 56, 64, 96, 128, 64, 128};
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& [type, path] = cases[i];
    const std::string upper = std::string(lengths[i] - 2, 'A') + "9F";
    const std::string lower = std::string(lengths[i] - 2, 'a') + "9f";

    const IndicatorDraft draft = only_draft(type, upper);
    EXPECT_EQ(draft.pattern, "[" + path + " = '" + lower + "']") << type;
    EXPECT_EQ(draft.value, lower);
    EXPECT_EQ(draft.observable_type, "file");
  }
}

TEST(StixPattern, FuzzyHashesAreKeptAsGiven) {
  const std::string ssdeep =
      "96:QRWkwoBevsL0JsIQ3pq8dxbuTet7eU/uEzAfue9atn0JbIi:QRWktBe80JsIIq8dxKyP"
      "ew0JbIi";
  EXPECT_EQ(only_draft("ssdeep", ssdeep).pattern,
            "[file:hashes.SSDEEP = '" + ssdeep + "']");

  const std::string tlsh =
      "c325af62e2f15cf7c32316389d1b57a46827be703d3879866bf52c385f396813829297";
  EXPECT_EQ(only_draft("tlsh", tlsh).pattern,
            "[file:hashes.TLSH = '" + tlsh + "']");
  EXPECT_EQ(only_draft("tlsh", "T1" + std::string(70, 'A')).value,
            "T1" + std::string(70, 'A'));
}

TEST(StixPattern, FilenamesAreEscaped) {
  EXPECT_EQ(skip_reason("filename", ""), "invalid value");

  const IndicatorDraft draft =
      only_draft("filename", "C:\\Users\\O'Brien\\x.exe");
  EXPECT_EQ(draft.pattern, "[file:name = 'C:\\\\Users\\\\O\\'Brien\\\\x.exe']");
  EXPECT_EQ(draft.value, "C:\\Users\\O'Brien\\x.exe");
  EXPECT_EQ(draft.observable_type, "file");
}

TEST(StixPattern, InvalidEmailAddressesAreSkipped) {
  const char* bad[] = {"",
                       "no-at.example",
                       "a@b@c.example",
                       "@c.example",
                       "a@",
                       "a b@c.example",
                       "a@localhost",
                       "a@evil.example>",
                       "a@evil.example\nb"};
  for (const char* value : bad) {
    EXPECT_EQ(skip_reason("email-src", value), "invalid value") << value;
  }
}

TEST(StixPattern, EmailTypesGiveEmailAddresses) {
  for (const char* type : {"email-src", "email-dst", "email", "target-email"}) {
    const IndicatorDraft draft = only_draft(type, "o'brien@evil.example");
    EXPECT_EQ(draft.pattern, "[email-addr:value = 'o\\'brien@evil.example']")
        << type;
    EXPECT_EQ(draft.observable_type, "email-addr");
  }
}

// Every string of up to four characters over a, ', \ and ": the literal
// in the pattern must read back as the value, whatever its shape.
TEST(StixPattern, TrickyValuesRoundTripThroughThePattern) {
  std::vector<std::string> values = {
      "O'Brien",
      "\\\\server\\share\\x.exe",
      "%USERPROFILE%\\O'Brien\\x.pdb",
      "end\\",
      "'start",
      "ünï'cödé\\",
  };
  std::vector<std::string> layer = {""};
  for (int length = 1; length <= 4; ++length) {
    std::vector<std::string> next;
    for (const std::string& prefix : layer) {
      for (const char c : std::string("a'\\\"")) {
        next.push_back(prefix + c);
      }
    }
    values.insert(values.end(), next.begin(), next.end());
    layer = std::move(next);
  }
  ASSERT_EQ(values.size(), 6U + 4U + 16U + 64U + 256U);

  for (const std::string& value : values) {
    const IndicatorDraft file = only_draft("filename", value);
    EXPECT_EQ(pattern_literal(file.pattern), value) << file.pattern;

    const std::string address = "http://x.example/" + value;
    const IndicatorDraft url = only_draft("url", address);
    EXPECT_EQ(pattern_literal(url.pattern), address) << url.pattern;

    const std::string key = "HKCU\\Software\\" + value;
    const EventConversion registry = convert_one(make_attribute("regkey", key));
    for (const IndicatorDraft& draft : registry.indicators) {
      EXPECT_EQ(pattern_literal(draft.pattern), key) << draft.pattern;
    }
  }
}

// MISP keeps a value in a TEXT column (65,535 bytes); each part of a
// composite has its own.
TEST(StixPattern, ValuesAtMispsLengthLimitSurvive) {
  constexpr std::size_t k_limit = 65535;
  std::string name;
  while (name.size() < k_limit) {
    name += "\\'%ü";
  }
  name.resize(k_limit - 4);
  name += ".exe";
  ASSERT_EQ(name.size(), k_limit);

  const IndicatorDraft file = only_draft("filename", name);
  EXPECT_EQ(file.value, name);
  EXPECT_EQ(pattern_literal(file.pattern), name);

  const std::string url =
      "https://evil.example/" + std::string(k_limit - 21, '%');
  ASSERT_EQ(url.size(), k_limit);
  EXPECT_EQ(pattern_literal(only_draft("url", url).pattern), url);

  const std::string key = "HKLM\\" + std::string(k_limit - 5, 'k');
  const EventConversion registry = convert_one(
      make_attribute("regkey|value", key + "|" + std::string(k_limit, '\\')));
  ASSERT_EQ(registry.indicators.size(), 1U);
  EXPECT_EQ(pattern_literal(registry.indicators[0].pattern), key);
}

TEST(StixPattern, PercentAndUnicodeAreKeptAsGiven) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"url", "http://evil.example/%41%2F%25?a=%'"},
      {"filename", "%TEMP%\\évil ☠.exe"},
      {"regkey", "HKCU\\%USERPROFILE%\\Ünï"},
      {"email-src", "ünï'cödé@bücher.example"},
  };
  for (const auto& [type, value] : cases) {
    const IndicatorDraft draft = only_draft(type, value);
    EXPECT_EQ(draft.value, value) << type;
    EXPECT_EQ(pattern_literal(draft.pattern), value) << type;
  }
}

TEST(StixPattern, LiteralReaderRejectsBadEscaping) {
  EXPECT_EQ(pattern_literal("[file:name = 'a'b']"), std::nullopt);
  EXPECT_EQ(pattern_literal("[file:name = 'a\\b']"), std::nullopt);
  EXPECT_EQ(pattern_literal("[file:name = 'a\\']"), std::nullopt);
  EXPECT_EQ(pattern_literal("file:name = 'a'"), std::nullopt);
  EXPECT_EQ(pattern_literal("[file:name = 'a\\'b']"),
            std::optional<std::string>{"a'b"});
}

} // namespace
} // namespace m2s
