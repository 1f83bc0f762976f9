// Conformance with misp-stix, MISP's own converter: for every attribute
// type and object case of its mapping documentation (data/misp-stix-mapping,
// see data/PROVENANCE.md), the observables of our indicators equal those of
// misp-stix's indicator pattern, one indicator per comparison.
//
// misp-stix writes compound patterns, which Sentinel does not index. Each of
// its comparisons is reduced to the observable (object type, property,
// value) it names: `network-traffic:dst_ref.value` with its `dst_ref.type`
// is that address or name, `domain-name:resolves_to_refs[*].value` an
// address, `email-message:from_ref.value` (and to/cc/bcc, reply-to) an
// e-mail address, an attachment's `body_raw_ref.name` a file name. Every
// place where we deliberately differ is a row of `deviations()` with its
// reason, and each row must still be needed.

#include "misp2sentinel/misp/event_parser.hpp"
#include "misp2sentinel/stix/conversion.hpp"
#include "stix_pattern.hpp"
#include "stix_test_support.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace m2s {
namespace {

struct Observable {
  std::string type;
  std::string property;
  std::string value;

  auto operator<=>(const Observable&) const = default;
};

using Observables = std::set<Observable>;

std::ostream& operator<<(std::ostream& out, const Observable& o) {
  return out << o.type << ":" << o.property << " = '" << o.value << "'";
}

boost::json::object read_mapping(const std::string& name) {
  std::ifstream file(std::string(M2S_SOURCE_DIR) + "/data/misp-stix-mapping/"
                     + name);
  std::stringstream text;
  text << file.rdbuf();
  return boost::json::parse(text.str()).as_object();
}

// --- misp-stix's side ---

// The comparisons of a STIX pattern, in order, literals unescaped. The
// left sides never hold " = '", so that marks where each literal starts.
std::vector<Observable> comparisons(std::string_view pattern) {
  std::vector<Observable> found;
  std::size_t pos = 0;
  while (true) {
    const auto equals = pattern.find(" = '", pos);
    if (equals == std::string_view::npos) {
      return found;
    }
    std::string_view left = pattern.substr(pos, equals - pos);
    while (!left.empty()
           && (std::string_view("[( )").find(left.front())
                   != std::string_view::npos
               || left.starts_with("AND "))) {
      left.remove_prefix(left.starts_with("AND ") ? 4 : 1);
    }

    std::string value;
    std::size_t i = equals + 4;
    for (; i < pattern.size() && pattern[i] != '\''; ++i) {
      if (pattern[i] == '\\') {
        ++i;
      }
      value += pattern[i];
    }
    pos = i + 1;

    const auto colon = left.find(':');
    found.push_back({std::string(left.substr(0, colon)),
                     std::string(left.substr(colon + 1)),
                     value});
  }
}

std::string address_type(const std::string& address) {
  return address.find(':') == std::string::npos ? "ipv4-addr" : "ipv6-addr";
}

bool is_email_address_ref(const std::string& property) {
  return property == "from_ref.value"
         || ((property.starts_with("to_refs[")
              || property.starts_with("cc_refs[")
              || property.starts_with("bcc_refs["))
             && property.ends_with("].value"))
         || property == "additional_header_fields.reply_to";
}

// The observables misp-stix's comparisons name, as a single-comparison
// pattern would state them.
std::vector<Observable> observables_of(std::string_view pattern) {
  std::vector<Observable> result;
  std::map<std::string, std::string> ref_types; // "dst_ref" -> "ipv4-addr"
  for (Observable c : comparisons(pattern)) {
    if (c.type == "network-traffic" && c.property.ends_with("_ref.type")) {
      ref_types[c.property.substr(0, c.property.find('.'))] = c.value;
      continue;
    }
    if (c.type == "network-traffic" && c.property.ends_with("_ref.value")) {
      c.type = ref_types[c.property.substr(0, c.property.find('.'))];
      c.property = "value";
    } else if (c.type == "domain-name"
               && c.property == "resolves_to_refs[*].value") {
      c.type = address_type(c.value);
      c.property = "value";
    } else if (c.type == "email-message" && is_email_address_ref(c.property)) {
      c.type = "email-addr";
      c.property = "value";
    } else if (c.type == "email-message"
               && c.property.starts_with("body_multipart[")
               && c.property.ends_with("].body_raw_ref.name")) {
      c.type = "file";
      c.property = "name";
    }
    result.push_back(std::move(c));
  }
  return result;
}

// --- the deviations ---

struct Deviation {
  std::string_view name;
  // Whether it applies to this misp-stix observable of `case_name`.
  std::function<bool(const std::string& case_name, const Observable&)> applies;
  // What we give instead (nullopt: nothing).
  std::function<std::optional<Observable>(const Observable&)> instead;
  std::string_view reason;
};

std::optional<Observable> nothing(const Observable& /*unused*/) {
  return std::nullopt;
}

auto renamed(std::string property) {
  return [property](const Observable& o) -> std::optional<Observable> {
    return Observable{o.type, property, o.value};
  };
}

bool in(const std::string& text, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), text) != set.end();
}

const std::vector<Deviation>& deviations() {
  static const std::vector<Deviation> list = {
      {"SHA-512/224 naming",
       [](const std::string& c, const Observable& o) {
         return c.ends_with("sha512/224") && o.property == "hashes.'SHA-224'";
       },
       renamed("hashes.'SHA-512/224'"),
       "misp-stix writes SHA-224, another algorithm whose digests never "
       "match; STIX allows the algorithm's own name"},
      {"SHA-512/256 naming",
       [](const std::string& c, const Observable& o) {
         return c.ends_with("sha512/256") && o.property == "hashes.'SHA-256'";
       },
       renamed("hashes.'SHA-512/256'"),
       "as SHA-512/224: SHA-256 digests are of another algorithm"},
      {"PE import hash as a file hash",
       [](const std::string& /*c*/, const Observable& o) {
         return o.type == "file"
                && o.property == "extensions.'windows-pebinary-ext'.imphash";
       },
       renamed("hashes.IMPHASH"),
       "Sentinel indexes file hashes, not the PE extension; the import "
       "hash of a pe object identifies the file like an imphash attribute"},
      {"PE impfuzzy as a file hash",
       [](const std::string& /*c*/, const Observable& o) {
         return o.type == "file"
                && o.property
                       == "extensions.'windows-pebinary-ext'.x_misp_impfuzzy";
       },
       renamed("hashes.IMPFUZZY"),
       "misp-stix keeps it as a custom property, which nothing matches; as "
       "a file hash it is what an impfuzzy attribute gives"},
      {"domain-ip hostname as a domain name",
       [](const std::string& /*c*/, const Observable& o) {
         return o.type == "domain-name" && o.property == "x_misp_hostname";
       },
       renamed("value"),
       "a host name is a domain name Sentinel matches; misp-stix keeps it "
       "as a custom property"},
      {"port dropped",
       [](const std::string& /*c*/, const Observable& o) {
         return o.type == "network-traffic"
                && (o.property == "dst_port" || o.property == "src_port");
       },
       nothing,
       "Sentinel matches the address or name, not the port; the port of "
       "ip|port and hostname|port goes into the description, and a port "
       "alone matches any traffic to it"},
      {"file name beside a hash",
       [](const std::string& c, const Observable& o) {
         return (c.starts_with("filename|") || c == "malware-sample")
                && o.type == "file" && o.property == "name";
       },
       nothing,
       "filename|<hash> and malware-sample: the hash identifies the file; "
       "the name alone would match every file so called, so it goes into "
       "the description (a filename attribute still gives file:name)"},
      {"attachment name",
       [](const std::string& c, const Observable& o) {
         return c == "attachment" && o.type == "file" && o.property == "name";
       },
       nothing,
       "an attachment is a document kept with the event (a report, a "
       "screenshot); its name is context, not something to look for"},
      {"sample content",
       [](const std::string& /*c*/, const Observable& o) {
         return o.type == "file" && o.property.starts_with("content_ref.");
       },
       nothing,
       "the payload, MIME type and password of an attached sample are no "
       "observable; its hash is"},
      {"account type",
       [](const std::string& /*c*/, const Observable& o) {
         return o.type == "user-account" && o.property == "account_type";
       },
       nothing,
       "it qualifies the account rather than naming one; one comparison "
       "per pattern keeps the login or id"},
      {"registry value data",
       [](const std::string& /*c*/, const Observable& o) {
         return o.type == "windows-registry-key" && o.property != "key";
       },
       nothing,
       "Sentinel indexes the key; the value data of regkey|value goes into "
       "the description, and values and times describe a key but name "
       "none"},
      {"file properties other than name and hashes",
       [](const std::string& /*c*/, const Observable& o) {
         return o.type == "file" && o.property != "name"
                && !o.property.starts_with("hashes.")
                && o.property.find("x_misp_") == std::string::npos;
       },
       nothing,
       "size, PE type and PE sections describe a file but identify none; "
       "a section's hashes are not the file's"},
      {"custom properties",
       [](const std::string& /*c*/, const Observable& o) {
         return o.property.find("x_misp_") != std::string::npos;
       },
       nothing,
       "x_misp_* properties are misp-stix's own; no consumer matches them"},
      {"network objects with both ends",
       [](const std::string& c, const Observable& /*o*/) {
         return in(c,
                   {"http-request",
                    "netflow",
                    "network-connection",
                    "network-socket"});
       },
       nothing,
       "their addresses include the victim's side and the object does not "
       "say which end is malicious; ip-port and domain-ip objects, and "
       "ip-src/ip-dst attributes, name the indicator"},
      {"hashlookup records",
       [](const std::string& c, const Observable& /*o*/) {
         return c == "hashlookup";
       },
       nothing,
       "a hashlookup object records what CIRCL's hashlookup knows of a "
       "file, mostly known-good software; it is a lookup, not an "
       "indicator"},
      {"image",
       [](const std::string& c, const Observable& /*o*/) {
         return c == "image";
       },
       nothing,
       "a picture kept with the event, like an attachment"},
      {"social and forge account ids",
       [](const std::string& c, const Observable& /*o*/) {
         return (c.ends_with("-account") && c != "user-account")
                || c.ends_with("-user");
       },
       nothing,
       "ids of GitHub, GitLab, Facebook, Reddit, Telegram, Twitter or "
       "Parler accounts never appear in the sign-in logs Sentinel matches "
       "user accounts against (a user-account object's login and id do)"},
      {"e-mail message fields",
       [](const std::string& /*c*/, const Observable& o) {
         return o.type == "email-message";
       },
       nothing,
       "Sentinel has no e-mail message observable: subjects, bodies, "
       "headers, message ids and mailers are skipped as not matchable; "
       "the addresses and attachment names of a message are kept"},
      {"not an observable Sentinel indexes",
       [](const std::string& /*c*/, const Observable& o) {
         return !in(o.type,
                    {"file",
                     "ipv4-addr",
                     "ipv6-addr",
                     "domain-name",
                     "url",
                     "email-addr",
                     "user-account",
                     "windows-registry-key"});
       },
       nothing,
       "Sentinel indexes files, IP addresses, domain names, URLs, e-mail "
       "addresses, user accounts and registry keys only (not autonomous "
       "systems, MAC addresses, mutexes, certificates, software, "
       "processes, directories, artifacts or traffic properties)"},
  };
  return list;
}

// Observables we give that misp-stix's pattern lacks, by case.
struct Addition {
  std::string_view case_name;
  Observable observable;
  std::string_view reason;
};

const std::vector<Addition>& additions() {
  static const std::vector<Addition> list = {
      {"domain-ip with the perfect domain & ip matching",
       {"domain-name", "value", "misp-project.org"},
       "misp-stix's pattern keeps one domain and one address of a "
       "domain-ip object holding several (its observed-data has them all); "
       "each is an indicator of its own here"},
      {"domain-ip with the perfect domain & ip matching",
       {"ipv4-addr", "value", "185.194.93.14"},
       "as above"},
  };
  return list;
}

// What we should give for misp-stix's `pattern`, after the deviations;
// counts each deviation used in `used`.
Observables expected_from(const std::string& case_name,
                          std::string_view pattern,
                          std::map<std::string_view, int>& used) {
  Observables expected;
  for (const Observable& theirs : observables_of(pattern)) {
    std::optional<Observable> ours = theirs;
    for (const Deviation& deviation : deviations()) {
      if (deviation.applies(case_name, theirs)) {
        ours = deviation.instead(theirs);
        ++used[deviation.name];
        break;
      }
    }
    if (ours) {
      expected.insert(*ours);
    }
  }
  return expected;
}

// The STIX-pattern indicators among misp-stix's objects (one object or a
// list). Rules in other languages (yara, sigma, snort, suricata, ...) name
// no observable.
std::vector<std::string> stix_patterns(const boost::json::value& stix) {
  std::vector<std::string> patterns;
  const auto add = [&patterns](const boost::json::value& value) {
    const auto& object = value.as_object();
    if (object.at("type") == "indicator"
        && object.at("pattern_type") == "stix") {
      patterns.emplace_back(object.at("pattern").as_string());
    }
  };
  if (stix.is_array()) {
    for (const auto& object : stix.as_array()) {
      add(object);
    }
  } else {
    add(stix);
  }
  return patterns;
}

// --- our side ---

// describeTypes' default IDS flag per type, which misp-stix applies when
// an attribute has no to_ids key (some object cases leave it out).
const std::map<std::string, bool>& default_to_ids() {
  static const std::map<std::string, bool> defaults = [] {
    std::ifstream file(std::string(M2S_SOURCE_DIR)
                       + "/data/describeTypes.json");
    std::stringstream text;
    text << file.rdbuf();
    const auto root = boost::json::parse(text.str());
    std::map<std::string, bool> result;
    for (const auto& [type, fields] :
         root.at("result").at("sane_defaults").as_object()) {
      result[std::string(type)] = fields.at("to_ids").to_number<int>() != 0;
    }
    return result;
  }();
  return defaults;
}

// An object case as MISP would serve it: the IDS flag that misp-stix
// assumed written out, and values as strings (two cases hold JSON
// booleans, which MISP stores as "0" and "1").
boost::json::object as_misp_serves(boost::json::object object) {
  for (auto& value : object.at("Attribute").as_array()) {
    auto& attribute = value.as_object();
    if (!attribute.contains("to_ids")) {
      const auto found =
          default_to_ids().find(std::string(attribute.at("type").as_string()));
      attribute["to_ids"] = found != default_to_ids().end() && found->second;
    }
    if (attribute.at("value").is_bool()) {
      attribute["value"] = attribute.at("value").as_bool() ? "1" : "0";
    }
  }
  return object;
}

MispEvent event_of(boost::json::array attributes, boost::json::array objects) {
  boost::json::object event;
  event["uuid"] = test::k_event_uuid;
  event["info"] = "misp-stix conformance";
  event["timestamp"] = "1603642920";
  event["Attribute"] = std::move(attributes);
  event["Object"] = std::move(objects);
  return parse_event(event, "conformance case");
}

// Our observables, checking on the way that each indicator is one valid
// comparison stating exactly that observable.
Observables ours_from(const MispEvent& event) {
  Observables ours;
  for (const IndicatorDraft& draft : convert_event(event, {}).indicators) {
    EXPECT_EQ(sandbox::stix_pattern_problem(draft.pattern), "")
        << draft.pattern;
    EXPECT_EQ(test::pattern_literal(draft.pattern), draft.value)
        << draft.pattern;

    const auto colon = draft.pattern.find(':');
    const auto equals = draft.pattern.find(" = '");
    EXPECT_EQ(draft.pattern.substr(1, colon - 1), draft.observable_type);
    ours.insert({draft.observable_type,
                 draft.pattern.substr(colon + 1, equals - colon - 1),
                 draft.value});
  }
  return ours;
}

class StixConformance : public ::testing::Test {
protected:
  static void TearDownTestSuite() {
    // Run last (gtest runs suites' tests in order): every deviation still
    // describes something misp-stix does.
    if (s_cases_checked == 2) {
      for (const Deviation& deviation : deviations()) {
        EXPECT_GT(s_used[deviation.name], 0)
            << "deviation no longer needed: " << deviation.name;
      }
      EXPECT_EQ(s_additions_used, additions().size());
    }
  }

  void check(const std::string& case_name,
             const boost::json::value& stix,
             const MispEvent& event) {
    SCOPED_TRACE(case_name);
    Observables expected;
    for (const std::string& pattern : stix_patterns(stix)) {
      expected.merge(expected_from(case_name, pattern, s_used));
    }
    Observables ours = ours_from(event);
    for (const Addition& addition : additions()) {
      if (addition.case_name == case_name
          && ours.erase(addition.observable) == 1) {
        ++s_additions_used;
      }
    }
    EXPECT_EQ(ours, expected);
  }

  static inline std::map<std::string_view, int> s_used;
  static inline int s_cases_checked = 0;
  static inline std::size_t s_additions_used = 0;
};

TEST_F(StixConformance, EveryAttributeTypeGivesMispStixObservables) {
  const boost::json::object cases =
      read_mapping("misp_attributes_to_stix21.json");
  ASSERT_EQ(cases.size(), 80U);

  for (const auto& [type, mapping] : cases) {
    // misp-stix made these with to_ids true, then removed the key.
    boost::json::object attribute = mapping.at("MISP").as_object();
    attribute["to_ids"] = true;
    check(std::string(type),
          mapping.at("STIX"),
          event_of(boost::json::array{attribute}, {}));
  }
  ++s_cases_checked;
}

TEST_F(StixConformance, EveryObjectCaseGivesMispStixObservables) {
  const boost::json::object cases = read_mapping("misp_objects_to_stix21.json");
  ASSERT_EQ(cases.size(), 56U);

  for (const auto& [name, mapping] : cases) {
    const boost::json::value& misp = mapping.at("MISP");
    boost::json::array objects;
    for (const auto& object :
         misp.is_array() ? misp.as_array() : boost::json::array{misp}) {
      objects.emplace_back(as_misp_serves(object.as_object()));
    }
    check(std::string(name), mapping.at("STIX"), event_of({}, objects));
  }
  ++s_cases_checked;
}

// --- deviations of value, not shown by misp-stix's samples ---

IndicatorDraft only_draft(const std::string& type, const std::string& value) {
  const EventConversion result =
      test::convert_one(test::make_attribute(type, value));
  EXPECT_EQ(result.indicators.size(), 1U) << type << " " << value;
  return result.indicators.empty() ? IndicatorDraft{} : result.indicators[0];
}

// misp-stix writes a url attribute as given. Sentinel compares full URLs,
// and "evil.example/a" is what a browser fetches as http://evil.example/a.
TEST(StixConformanceDeviation, UrlWithoutSchemeGetsHttp) {
  EXPECT_EQ(only_draft("url", "evil.example/a").value, "http://evil.example/a");
}

// misp-stix makes url:value of any uri or link. Their values are often a
// path ("/gate.php") or a reference ("CVE-2017-11774 advisory"), which as
// a URL would match nothing or everything: only absolute URLs convert.
TEST(StixConformanceDeviation, RelativeUriAndLinkAreNoUrls) {
  for (const char* type : {"uri", "link"}) {
    const EventConversion result =
        test::convert_one(test::make_attribute(type, "/gate.php"));
    EXPECT_TRUE(result.indicators.empty()) << type;
    ASSERT_EQ(result.skipped.size(), 1U) << type;
    EXPECT_EQ(result.skipped[0].reason, "not an absolute url") << type;
  }
  EXPECT_EQ(only_draft("link", "https://evil.example/x").value,
            "https://evil.example/x");
}

// misp-stix keeps a hex digest as written; Sentinel compares hashes as
// text, and every tool writes them in lower case.
TEST(StixConformanceDeviation, HexDigestsAreLowerCased) {
  EXPECT_EQ(only_draft("md5", "B2A5ABFEEF9E36964281A31E17B57C97").value,
            "b2a5abfeef9e36964281a31e17b57c97");
}

// The reducer above must understand misp-stix's compound forms, or the
// suite would compare nothing.
TEST(StixConformanceReader, ReducesCompoundPatternsToObservables) {
  const std::vector<Observable> found = observables_of(
      "[(network-traffic:dst_ref.type = 'ipv6-addr' AND "
      "network-traffic:dst_ref.value = '2001:db8::1') AND "
      "(network-traffic:src_ref.type = 'domain-name' AND "
      "network-traffic:src_ref.value = 'evil.example') AND "
      "domain-name:resolves_to_refs[*].value = '203.0.113.7' AND "
      "email-message:cc_refs[1].value = 'a@evil.example' AND "
      "email-message:body_multipart[0].body_raw_ref.name = 'O\\'B.doc' AND "
      "file:hashes.'SHA-1' = 'C:\\\\x']");

  const std::vector<Observable> expected = {
      {"ipv6-addr", "value", "2001:db8::1"},
      {"domain-name", "value", "evil.example"},
      {"ipv4-addr", "value", "203.0.113.7"},
      {"email-addr", "value", "a@evil.example"},
      {"file", "name", "O'B.doc"},
      {"file", "hashes.'SHA-1'", "C:\\x"},
  };
  EXPECT_EQ(found, expected);
}

} // namespace
} // namespace m2s
