// The bad-input catalogue (issue 7): hostile or broken MISP data, each case
// with the exact outcome. An input either becomes a correct indicator, is
// skipped with a reason, or fails its event with a clear message; never a
// crash, a hang or an invalid pattern. Sentinel's odd answers are in
// sentinel_answer_catalogue_test.cpp; what reaches the store and Sentinel
// through the real binary is in tests/integration/bad_input_test.cpp.

#include "misp2sentinel/misp/event_parser.hpp"
#include "misp2sentinel/stix/conversion.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "stix_pattern.hpp"
#include "stix_test_support.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace m2s {
namespace {

constexpr const char* k_event = "c1a2b3c4-0000-4000-8000-000000000001";
constexpr const char* k_uuid = "c1a2b3c4-0000-4000-8000-0000000000a1";

// {"uuid":..,"type":..,"value":<value_json>,"to_ids":true,..}<extra>
std::string attribute(const std::string& type,
                      const std::string& value_json,
                      const std::string& extra = "") {
  return R"({"uuid":")" + std::string(k_uuid) + R"(","type":")" + type
         + R"(","value":)" + value_json
         + R"(,"to_ids":true,"timestamp":"1700000000")" + extra + "}";
}

// {"Event":{<fields>,"Attribute":[<attributes>]}} with a valid uuid.
std::string event_with(const std::string& attributes,
                       const std::string& fields = "") {
  return R"({"Event":{"uuid":")" + std::string(k_event)
         + R"(","info":"catalogue","timestamp":"1700000000")" + fields
         + R"(,"Attribute":[)" + attributes + "]}}";
}

std::string one(const std::string& type, const std::string& value_json) {
  return event_with(attribute(type, value_json));
}

std::string quoted(const std::string& text) {
  return boost::json::serialize(boost::json::string(text));
}

// What the pipeline makes of `json`: "fails: <message>", or each indicator
// ("indicator [<pattern>]", with its id when that is not the attribute
// uuid, and " from <valid_from>" when asked) and each skip ("skipped:
// <reason>"), joined by " | "; "nothing" when there is neither.
std::string outcome_of(const std::string& json, bool with_valid_from) {
  std::vector<MispEvent> events;
  try {
    events = parse_events(json, "catalogue");
  } catch (const MispError& error) {
    return std::string("fails: ") + error.what();
  }

  std::string text;
  const auto add = [&text](const std::string& part) {
    text += (text.empty() ? "" : " | ") + part;
  };
  for (const MispEvent& event : events) {
    const EventConversion result = convert_event(event, {});
    for (const IndicatorDraft& draft : result.indicators) {
      EXPECT_EQ(sandbox::stix_pattern_problem(draft.pattern), "")
          << draft.pattern;
      EXPECT_EQ(test::pattern_literal(draft.pattern), draft.value);

      const std::string id =
          indicator_id(draft.attribute_uuid, draft.component, 0);
      std::string part = "indicator ";
      if (id != "indicator--" + std::string(k_uuid)) {
        part += id + " ";
      }
      part += draft.pattern;
      if (with_valid_from) {
        part += " from " + std::string(draft.stix.at("valid_from").as_string());
      }
      add(part);
    }
    for (const SkippedAttribute& skipped : result.skipped) {
      add("skipped: " + skipped.reason);
    }
  }
  return text.empty() ? "nothing" : text;
}

struct Case {
  const char* name;
  std::string json;
  std::string expected;
  bool with_valid_from = false;
};

void PrintTo(const Case& c, std::ostream* out) {
  *out << c.name;
}

std::string case_name(const ::testing::TestParamInfo<Case>& param) {
  return param.param.name;
}

class BadInputCatalogue : public ::testing::TestWithParam<Case> {};

TEST_P(BadInputCatalogue, GivesTheExactOutcome) {
  const Case& c = GetParam();
  EXPECT_EQ(outcome_of(c.json, c.with_valid_from), c.expected);
}

const std::string k_fail =
    "fails: catalogue: event #0 (uuid " + std::string(k_event) + "): ";
const std::string k_shape = "fails: catalogue: expected "
                            "{\"response\":[...]}, {\"Event\":...} or an "
                            "event object";

// --- Documents: JSON and wrappers ---
std::vector<Case> document_cases() {
  return {
      {"InvalidJson",
       R"({"Event":{"uuid":"x",,}})",
       "fails: catalogue: invalid JSON: syntax error at byte 21 (line 1, "
       "column 22)"},
      {"EmptyBody", "", "fails: catalogue: invalid JSON: the text is empty"},
      {"HtmlInsteadOfJson",
       "<html><body>Login</body></html>",
       "fails: catalogue: invalid JSON: syntax error at byte 0 (line 1, "
       "column 1)"},
      {"TopLevelArray", "[" + one("ip-dst", "\"203.0.113.7\"") + "]", k_shape},
      {"ResponseNotAList", R"({"response":{"Event":{}}})", k_shape},
      {"EventNotAnObject", R"({"Event":[]})", k_shape},
      {"NoKnownWrapper", R"({"name":"Not Found","url":"/x"})", k_shape},
      {"ResponseItemNotAnEvent",
       R"({"response":[{"Attribute":null,"x":1},7]})",
       "fails: catalogue: event #0 (info \"\") has no uuid"},
      {"ResponseItemNumber",
       R"({"response":[7]})",
       "fails: catalogue: response[0]: expected {\"Event\":{...}}"},
      {"EmptyResponse", R"({"response":[]})", "nothing"},
      {"DeepNesting",
       R"({"Event":{"uuid":"u","x":)" + std::string(100, '[')
           + std::string(100, ']') + "}}",
       "fails: catalogue: invalid JSON: nested deeper than 64 levels at "
       "byte 87 (line 1, column 88)"},
      {"InvalidUtf8",
       one("domain", "\"caf\xc3\x28.example\""),
       "fails: catalogue: invalid JSON: syntax error at byte 188 (line 1, "
       "column 189)"},
      {"RawNulByte",
       one("domain", std::string("\"a\0b.example\"", 13)),
       "fails: catalogue: invalid JSON: syntax error at byte 186 (line 1, "
       "column 187)"},
      {"RawNewlineInString",
       one("domain", "\"a\nb.example\""),
       "fails: catalogue: invalid JSON: syntax error at byte 186 (line 1, "
       "column 187)"},
  };
}

// --- Fields: missing, null, wrong types ---
std::vector<Case> field_cases() {
  return {
      {"EventWithoutUuid",
       R"({"Event":{"info":"no id","Attribute":[]}})",
       "fails: catalogue: event #0 (info \"no id\") has no uuid"},
      {"EventUuidNull",
       R"({"Event":{"uuid":null,"Attribute":[]}})",
       "fails: catalogue: event #0 (info \"\") has no uuid"},
      // A number is no uuid: "12345" could be any event's text.
      {"EventUuidNumber",
       R"({"Event":{"uuid":12345,"Attribute":[]}})",
       "fails: catalogue: event #0: uuid: expected a string, got a number"},
      {"EventUuidObject",
       R"({"Event":{"uuid":{},"Attribute":[]}})",
       "fails: catalogue: event #0: uuid: expected a string, got an "
       "object"},
      {"AttributeWithoutUuid",
       event_with(R"({"type":"ip-dst","value":"203.0.113.7","to_ids":1})"),
       "skipped: missing uuid"},
      {"AttributeWithoutType",
       event_with(R"({"uuid":"c1a2b3c4-0000-4000-8000-0000000000a1",)"
                  R"("value":"203.0.113.7","to_ids":1})"),
       "skipped: unsupported type"},
      {"AttributeWithoutValue",
       event_with(R"({"uuid":"c1a2b3c4-0000-4000-8000-0000000000a1",)"
                  R"("type":"ip-dst","to_ids":1})"),
       "skipped: invalid value"},
      {"NullFieldsTakeDefaults",
       event_with(attribute("ip-dst",
                            "\"203.0.113.7\"",
                            R"(,"comment":null,"deleted":null,)"
                            R"("first_seen":null,"Tag":null)"),
                  R"(,"Orgc":null,"Tag":null,"Object":null)"),
       "indicator [ipv4-addr:value = '203.0.113.7']"},
      {"NumbersAsStrings",
       event_with(R"({"uuid":"c1a2b3c4-0000-4000-8000-0000000000a1",)"
                  R"("type":"ip-dst","value":"203.0.113.7",)"
                  R"("to_ids":"1","deleted":"0","timestamp":"1700000000"})",
                  R"(,"published":"1","threat_level_id":"3")"),
       "indicator [ipv4-addr:value = '203.0.113.7'] from "
       "2023-11-14T22:13:20.000Z",
       true},
      {"StringsAsNumbers",
       event_with(attribute("domain", "12345")),
       "skipped: invalid value"},
      {"BooleanAsWord",
       event_with(R"({"uuid":"c1a2b3c4-0000-4000-8000-0000000000a1",)"
                  R"("type":"ip-dst","value":"203.0.113.7","to_ids":"yes"})"),
       k_fail
           + "Attribute[0].to_ids: expected a boolean (true/false, 0/1, "
             "\"0\"/\"1\"), got \"yes\""},
      {"ValueAsList",
       event_with(attribute("ip-dst", R"(["203.0.113.7"])")),
       k_fail + "Attribute[0].value: expected a string, got an array"},
      {"AttributeListAsObject",
       R"({"Event":{"uuid":")" + std::string(k_event)
           + R"(","Attribute":{"0":{}}}})",
       k_fail + "Attribute: expected an array, got an object"},
      {"AttributeAsString",
       event_with(R"("203.0.113.7")"),
       k_fail + "Attribute[0]: expected an object, got \"203.0.113.7\""},
  };
}

// --- Timestamps ---
std::vector<Case> timestamp_cases() {
  const auto with_timestamp = [](const std::string& timestamp) {
    return event_with(
        R"({"uuid":"c1a2b3c4-0000-4000-8000-0000000000a1","type":"ip-dst",)"
        R"("value":"203.0.113.7","to_ids":true,"timestamp":)"
        + timestamp + "}");
  };
  const std::string ip = "indicator [ipv4-addr:value = '203.0.113.7'] from ";
  return {
      {"TimestampAsString",
       with_timestamp("\"1700000000\""),
       ip + "2023-11-14T22:13:20.000Z",
       true},
      {"TimestampAsFloat",
       with_timestamp("1.7e9"),
       ip + "2023-11-14T22:13:20.000Z",
       true},
      {"TimestampWithFraction",
       with_timestamp("1700000000.5"),
       k_fail
           + "Attribute[0].timestamp: expected an integer or a numeric "
             "string, got a number",
       true},
      {"TimestampNotANumber",
       with_timestamp("\"yesterday\""),
       k_fail
           + "Attribute[0].timestamp: expected an integer or a numeric "
             "string, got \"yesterday\"",
       true},
      {"TimestampNegative",
       with_timestamp("-5"),
       k_fail + "Attribute[0].timestamp: expected seconds since 1970, got -5",
       true},
      {"TimestampZeroFallsBackToEvent",
       with_timestamp("0"),
       ip + "2023-11-14T22:13:20.000Z",
       true},
      {"TimestampInMilliseconds",
       with_timestamp("1700000000123"),
       ip + "2023-11-14T22:13:20.000Z",
       true},
      {"TimestampFarFuture",
       with_timestamp("32503680000"),
       ip + "3000-01-01T00:00:00.000Z",
       true},
      {"TimestampBeyondAnyCalendar",
       with_timestamp("9223372036854775807"),
       k_fail
           + "Attribute[0].timestamp: 9223372036854775807 is neither "
             "seconds nor milliseconds before the year 10000",
       true},
      {"EventTimestampNegative",
       event_with(attribute("ip-dst", "\"203.0.113.7\""),
                  R"(,"publish_timestamp":"-1")"),
       k_fail + "publish_timestamp: expected seconds since 1970, got -1"},
      {"FirstSeenUnreadableFallsBack",
       event_with(attribute(
           "ip-dst", "\"203.0.113.7\"", R"(,"first_seen":"last tuesday")")),
       ip + "2023-11-14T22:13:20.000Z",
       true},
  };
}

// --- UUIDs ---
std::vector<Case> uuid_cases() {
  const auto with_uuid = [](const std::string& uuid) {
    return event_with(R"({"uuid":")" + uuid
                      + R"(","type":"ip-dst","value":"203.0.113.7",)"
                        R"("to_ids":true})");
  };
  const std::string ip = "[ipv4-addr:value = '203.0.113.7']";
  return {
      {"UuidVersion1IsKept",
       with_uuid("c3a1d7e2-1dd1-11b2-8000-000000000000"),
       "indicator indicator--c3a1d7e2-1dd1-11b2-8000-000000000000 " + ip},
      {"UpperCaseUuidIsLowered",
       with_uuid("C1A2B3C4-0000-4000-8000-0000000000A1"),
       "indicator " + ip},
      {"MalformedUuidGetsADerivedId",
       with_uuid("not-a-uuid"),
       "indicator indicator--9321a816-038c-5e7d-9039-5b5168295a32 " + ip},
      {"UuidWithBracesGetsADerivedId",
       with_uuid("{c1a2b3c4-0000-4000-8000-0000000000a1}"),
       "indicator indicator--edde6860-c4c6-5fa5-bbb6-db70ac0e9925 " + ip},
      {"DuplicateUuidInOneEvent",
       event_with(attribute("ip-dst", "\"203.0.113.7\"") + ","
                  + attribute("domain", "\"evil.example\"")),
       "indicator " + ip
           + " | indicator [domain-name:value = "
             "'evil.example']"},
      {"DuplicateUuidAcrossEvents",
       R"({"response":[)" + one("ip-dst", "\"203.0.113.7\"") + ","
           + one("ip-dst", "\"203.0.113.8\"") + "]}",
       "indicator " + ip + " | indicator [ipv4-addr:value = '203.0.113.8']"},
  };
}

// --- Values ---
std::vector<Case> value_cases() {
  return {
      {"NulInValue",
       one("url", R"("http://evil.example/a\u0000b")"),
       "skipped: invalid value"},
      // inet_pton reads a C string: what follows a NUL must not pass
      // unseen as part of a valid address.
      {"NulInIpv4",
       one("ip-dst", R"("198.51.100.13\u0000x")"),
       "skipped: invalid value"},
      {"NulInIpv6",
       one("ip-src", R"("2001:db8::1\u0000x")"),
       "skipped: invalid value"},
      {"NulInTheIpOfDomainIp",
       one("domain|ip", R"("evil.example|198.51.100.13\u0000x")"),
       "indicator [domain-name:value = 'evil.example'] | skipped: invalid "
       "value"},
      {"NulInTheIpOfIpPort",
       one("ip-dst|port", R"("198.51.100.13\u0000x|443")"),
       "skipped: invalid value"},
      {"NulInFilename",
       one("filename", R"("a\u0000.exe")"),
       "skipped: invalid value"},
      {"NewlineInsideValue",
       one("domain", R"("evil.example\nother.example")"),
       "skipped: invalid value"},
      {"NewlineInFilename",
       one("filename", R"("evil\n.exe")"),
       "skipped: invalid value"},
      {"ControlCharacterInUrl",
       one("url", R"("http://evil.example/\u001b[31m")"),
       "skipped: invalid value"},
      {"SurroundingWhitespaceIsTrimmed",
       one("ip-dst", R"(" \t203.0.113.7\r\n")"),
       "indicator [ipv4-addr:value = '203.0.113.7']"},
      {"ValueOfOneMegabyte",
       one("url", quoted("http://evil.example/" + std::string(1 << 20, 'a'))),
       "skipped: value too long"},
      {"FilenameOfOneMegabyte",
       one("filename", quoted(std::string(1 << 20, 'a'))),
       "skipped: value too long"},
      {"IpWithLeadingZeros",
       one("ip-dst", R"("010.001.002.003")"),
       "skipped: invalid value"},
      {"IpWithPort",
       one("ip-dst", R"("203.0.113.7:443")"),
       "skipped: invalid value"},
      {"Ipv6WithPortInBrackets",
       one("ip-dst", R"("[2001:db8::1]:443")"),
       "skipped: invalid value"},
      {"Ipv6ZoneId",
       one("ip-dst", R"("fe80::1%eth0")"),
       "skipped: invalid value"},
      {"CidrWithHostBitsIsKeptAsGiven",
       one("ip-dst", R"("192.0.2.77/24")"),
       "indicator [ipv4-addr:value = '192.0.2.77/24']"},
      {"CidrPrefixTooLong",
       one("ip-dst", R"("192.0.2.0/33")"),
       "skipped: invalid value"},
      {"Md5TooShort",
       one("md5", R"("d41d8cd98f00b204e9800998ecf8427")"),
       "skipped: invalid value"},
      {"Sha256NotHex",
       one("sha256",
           R"("z3b0c44298fc1c149afbf4c8996fb924)"
           R"(27ae41e4649b934ca495991b7852b855")"),
       "skipped: invalid value"},
      {"Sha1OfMd5Length",
       one("sha1", R"("d41d8cd98f00b204e9800998ecf8427e")"),
       "skipped: invalid value"},
      {"UpperCaseHashIsLowered",
       one("md5", R"("D41D8CD98F00B204E9800998ECF8427E")"),
       "indicator [file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"},
      {"UrlWithQuotesIsEscaped",
       one("url", R"("http://evil.example/a'b\\c")"),
       R"(indicator [url:value = 'http://evil.example/a\'b\\c'])"},
      // The path is kept as the analyst saw it (see valid_absolute_url);
      // a space in the host is not.
      {"UrlWithSpaceInPathIsKept",
       one("url", R"("http://evil.example/a b")"),
       "indicator [url:value = 'http://evil.example/a b']"},
      {"UrlWithSpaceInHost",
       one("url", R"("http://evil .example/a")"),
       "skipped: invalid value"},
      {"UrlWithUnicodeIsKept",
       one("url", R"("http://пример.испытание/путь")"),
       "indicator [url:value = "
       "'http://пример.испытание/путь']"},
      {"DomainWithTrailingDot",
       one("domain", R"("evil.example.")"),
       "skipped: invalid value"},
      {"DomainInUpperCaseIsKeptAsGiven",
       one("domain", R"("EVIL.Example")"),
       "indicator [domain-name:value = 'EVIL.Example']"},
      {"DomainWithQuote",
       one("domain", R"("evil'.example")"),
       "skipped: invalid value"},
      {"FilenameWithQuoteAndBackslash",
       one("filename", R"("C:\\Temp\\it's.exe")"),
       R"(indicator [file:name = 'C:\\Temp\\it\'s.exe'])"},
      {"PatternInjectionStaysALiteral",
       one("filename", R"("x'] OR [file:name = 'y")"),
       R"(indicator [file:name = 'x\'] OR [file:name = \'y'])"},
  };
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (auto* group : {&document_cases,
                      &field_cases,
                      &timestamp_cases,
                      &uuid_cases,
                      &value_cases}) {
    for (Case& c : (*group)()) {
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Cases,
                         BadInputCatalogue,
                         ::testing::ValuesIn(all_cases()),
                         case_name);

// 100,000 attributes in one event: every one becomes an indicator, each
// with its own id and a valid pattern.
TEST(BadInputCatalogueLarge, EventOfHundredThousandAttributes) {
  constexpr int k_count = 100000;
  std::string attributes;
  attributes.reserve(k_count * 120);
  for (int i = 0; i < k_count; ++i) {
    if (i > 0) {
      attributes += ',';
    }
    const std::string uuid = fmt::format("c1a2b3c4-0000-4000-8000-{:012x}", i);
    attributes += R"({"uuid":")" + uuid + R"(","type":"ip-dst","value":"10.)"
                  + std::to_string(i / 65536) + "."
                  + std::to_string(i / 256 % 256) + "."
                  + std::to_string(i % 256) + R"(","to_ids":true})";
  }

  const std::vector<MispEvent> events =
      parse_events(event_with(attributes), "catalogue");
  ASSERT_EQ(events.size(), 1u);
  const EventConversion result = convert_event(events[0], {});

  ASSERT_EQ(result.indicators.size(), static_cast<std::size_t>(k_count));
  EXPECT_TRUE(result.skipped.empty());
  EXPECT_EQ(result.indicators.back().pattern,
            "[ipv4-addr:value = '10.1.134.159']");
}

// One unreadable event costs only itself when the caller asks for it.
TEST(BadInputCatalogueTolerant, OneBadEventDoesNotSinkItsPage) {
  const std::string json =
      R"({"response":[)" + one("ip-dst", "\"203.0.113.7\"")
      + R"(,{"Event":{"info":"no id"}},7,)"
      + event_with(attribute("ip-dst", "\"203.0.113.8\"", R"(,"to_ids":"x")"))
      + "]}";

  const ParsedEvents parsed = parse_events_tolerant(json, "page 2");

  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_EQ(parsed.events[0].uuid, k_event);
  ASSERT_EQ(parsed.failures.size(), 3u);
  EXPECT_EQ(parsed.failures[0].index, 1u);
  EXPECT_EQ(parsed.failures[0].message,
            "page 2: event #1 (info \"no id\") has no uuid");
  EXPECT_EQ(parsed.failures[1].index, 2u);
  EXPECT_EQ(parsed.failures[1].message,
            "page 2: response[2]: expected {\"Event\":{...}}");
  EXPECT_EQ(parsed.failures[2].index, 3u);
  EXPECT_EQ(parsed.failures[2].uuid, k_event);
  EXPECT_THAT(parsed.failures[2].message,
              ::testing::StartsWith("page 2: event #3 (uuid "
                                    + std::string(k_event)
                                    + "): Attribute[0].to_ids: expected"));
}

TEST(BadInputCatalogueTolerant, ShapeErrorsStillThrow) {
  EXPECT_THROW(static_cast<void>(parse_events_tolerant("[]", "page 2")),
               MispError);
  EXPECT_THROW(static_cast<void>(parse_events_tolerant("{", "page 2")),
               MispError);
}

} // namespace
} // namespace m2s
