// `misp2sentinel convert` through the real binary: every bundled real MISP
// event converts, offline and without a config, into a valid STIX bundle
// with the expected indicators per observable type; the request format
// gives the upload bodies a sync would POST; bad files stop the command
// with the documented exit code and a message naming the file.

#include "process.hpp"
#include "temp_dir.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace m2s::testing {
namespace {

using ::testing::HasSubstr;
using TypeCounts = std::map<std::string, int>;

constexpr const char* k_now = "2026-06-01T00:00:00Z";

std::string event_path(const std::string& name) {
  return std::string(M2S_SOURCE_DIR) + "/data/misp-events/" + name;
}

// Indicators per observable type of each bundled event: with the IDS flag
// required (the default), and with --all. Worked out from the event files
// with a separate script applying the rules of the README's "Conversion"
// table, not from this program's output. Three `url` values of long_event
// are no URLs ("107.183.86", "Data/dtl.dat", "Data/glp.uin") and are
// skipped as invalid values.
struct Expected {
  std::string file;
  TypeCounts to_ids_only;
  TypeCounts all;
};

const std::vector<Expected>& expected_counts() {
  static const std::vector<Expected> table = {
      {"MISP_MISP__tests_event.json",
       {{"file", 27}, {"windows-registry-key", 3}},
       {{"file", 33}, {"url", 1}, {"windows-registry-key", 3}}},
      {"MISP_PyMISP__tests_57c4445b-c548-4654-af0b-4be3950d210f.json",
       {{"file", 4}, {"windows-registry-key", 1}},
       {{"file", 4}, {"url", 2}, {"windows-registry-key", 1}}},
      {"MISP_PyMISP__tests_mispevent_testfiles_existing_event.json",
       {{"domain-name", 19}, {"file", 52}, {"ipv4-addr", 12}},
       {{"domain-name", 19}, {"file", 52}, {"ipv4-addr", 12}, {"url", 1}}},
      {"MISP_PyMISP__tests_reportlab_testfiles_galaxy_1.json",
       {{"file", 4}},
       {{"file", 4}, {"url", 1}}},
      {"MISP_PyMISP__tests_reportlab_testfiles_long_event.json",
       {{"domain-name", 12}, {"file", 224}, {"ipv4-addr", 8}, {"url", 11}},
       {{"domain-name", 24},
        {"email-addr", 2},
        {"file", 246},
        {"ipv4-addr", 9},
        {"url", 75}}},
      {"MISP_PyMISP__tests_reportlab_testfiles_mainly_objects_1.json",
       {{"file", 9}},
       {{"file", 27}}},
      {"MISP_PyMISP__tests_reportlab_testfiles_sighting_1.json",
       {{"domain-name", 4}, {"url", 1}},
       {{"domain-name", 4}, {"url", 1}}},
      {"MISP_PyMISP__tests_reportlab_testfiles_to_delete3.json",
       {{"file", 19}, {"ipv4-addr", 43}},
       {{"file", 19},
        {"ipv4-addr", 43},
        {"url", 6},
        {"windows-registry-key", 3}}},
      {"eset_malware-ioc__backdoordiplomacy_misp.event_2021-06-10_"
       "backdoordiplomacy.json",
       {{"file", 66}},
       {{"file", 66}, {"url", 1}}},
      {"eset_malware-ioc__badiis_misp-badiis.json",
       {},
       {{"file", 133}, {"url", 54}}},
      {"eset_malware-ioc__cloudmensis_cloudmensis.misp.json",
       {{"file", 9}},
       {{"file", 12}}},
      {"eset_malware-ioc__dukes_misp-dukes-operation-ghost-event.json",
       {},
       {{"domain-name", 20}, {"file", 18}, {"url", 50}}},
      {"eset_malware-ioc__kryptocibule_misp-kryptocibule.json",
       {},
       {{"domain-name", 67}, {"file", 54}, {"ipv4-addr", 1}, {"url", 1}}},
      {"eset_malware-ioc__machete_misp-machete-event.json",
       {},
       {{"file", 368}, {"ipv4-addr", 6}, {"url", 15}}},
      {"eset_malware-ioc__moustachedbouncer_misp-moustachedbouncer.event.json",
       {{"file", 84}, {"url", 11}},
       {{"domain-name", 6},
        {"email-addr", 4},
        {"file", 178},
        {"ipv4-addr", 11},
        {"url", 11}}},
      {"eset_malware-ioc__mozi_mozi.misp-event.json",
       {{"file", 63}, {"url", 11}},
       {{"file", 63}, {"ipv4-addr", 4}, {"url", 11}}},
      {"eset_malware-ioc__oceanlotus_oceanlotus-wateringhole-2018.misp.event."
       "json",
       {},
       {{"domain-name", 70}, {"file", 2}, {"ipv4-addr", 49}, {"url", 1}}},
      {"eset_malware-ioc__oceanlotus_oceanlotus.misp.event.json",
       {},
       {{"domain-name", 65},
        {"file", 13},
        {"ipv4-addr", 25},
        {"windows-registry-key", 4}}},
      {"eset_malware-ioc__ramsay_misp-ramsay.json",
       {{"file", 51}},
       {{"file", 69}}},
      {"eset_malware-ioc__sednit_2017-05-09_Trump_Attack_on_Syria_IoCs.json",
       {},
       {{"file", 15}, {"windows-registry-key", 1}}},
      {"eset_malware-ioc__sshdoor_misp-events_borleias.json",
       {},
       {{"file", 1}, {"ipv4-addr", 1}}},
      {"eset_malware-ioc__sshdoor_misp-events_coruscant.json",
       {},
       {{"domain-name", 1}, {"file", 2}, {"ipv4-addr", 1}}},
      {"eset_malware-ioc__sshdoor_misp-events_kessel.json",
       {},
       {{"domain-name", 1}, {"file", 3}}},
      {"eset_malware-ioc__telebots_misp-telebots.json",
       {{"file", 66}, {"ipv4-addr", 3}},
       {{"domain-name", 3}, {"file", 66}, {"ipv4-addr", 9}, {"url", 16}}},
      {"eset_malware-ioc__turla_misp-turla-lightneuron-event.json",
       {},
       {{"file", 33}, {"url", 1}}},
      {"eset_malware-ioc__turla_misp-turla-outlook-event.json",
       {},
       {{"file", 8}, {"url", 1}, {"windows-registry-key", 3}}},
      {"eset_malware-ioc__windigo_ebury.misp.json",
       {{"domain-name", 5}, {"file", 174}},
       {{"domain-name", 5}, {"file", 232}, {"ipv4-addr", 10}}},
      {"eset_malware-ioc__winter_vivern_misp-wintervivern.event.json",
       {{"email-addr", 1}, {"file", 3}, {"url", 2}},
       {{"domain-name", 1},
        {"email-addr", 1},
        {"file", 7},
        {"ipv4-addr", 1},
        {"url", 2}}},
      {"eset_malware-ioc__xdspy_misp-xdspy-event.json",
       {},
       {{"domain-name", 29}, {"file", 27}, {"ipv4-addr", 3}, {"url", 1}}},
  };
  return table;
}

class ConvertCommand : public ::testing::Test {
protected:
  ProcessResult convert(std::vector<std::string> args) {
    args.insert(args.begin(), {M2S_BINARY, "convert", "--now", k_now});
    return run_process(args, {}, m_dir.path().string());
  }

  TempDir m_dir;
};

// A single comparison with a correctly escaped literal (only \\ and \'),
// as Sentinel indexes it.
bool single_comparison(const std::string& pattern) {
  static const std::regex form(
      R"(\[[a-z0-9-]+:[A-Za-z0-9_.'/-]+ = '([^'\\]|\\['\\])*'\])");
  return std::regex_match(pattern, form);
}

// The objects of a bundle, after checking its envelope and that every
// object is an indicator with its own id and a single-comparison pattern.
boost::json::array bundle_objects(const std::string& text) {
  boost::json::value root;
  EXPECT_NO_THROW(root = boost::json::parse(text)) << text.substr(0, 200);
  if (!root.is_object()) {
    return {};
  }
  const auto& bundle = root.as_object();
  EXPECT_EQ(bundle.at("type"), "bundle");
  EXPECT_TRUE(bundle.at("id").as_string().starts_with("bundle--"));

  std::set<std::string> ids;
  const boost::json::array& objects = bundle.at("objects").as_array();
  for (const auto& value : objects) {
    const auto& object = value.as_object();
    EXPECT_EQ(object.at("type"), "indicator");
    EXPECT_EQ(object.at("spec_version"), "2.1");
    EXPECT_TRUE(ids.insert(std::string(object.at("id").as_string())).second)
        << object.at("id");
    const std::string pattern(object.at("pattern").as_string());
    EXPECT_TRUE(single_comparison(pattern)) << pattern;
    EXPECT_EQ(object.at("created"), "2026-06-01T00:00:00.000Z");
    EXPECT_EQ(object.at("modified"), "2026-06-01T00:00:00.000Z");
    EXPECT_TRUE(object.contains("valid_until"));
  }
  return objects;
}

// The observable type of each indicator, from its pattern.
TypeCounts type_counts(const boost::json::array& objects) {
  TypeCounts counts;
  for (const auto& object : objects) {
    const std::string pattern(object.at("pattern").as_string());
    ++counts[pattern.substr(1, pattern.find(':') - 1)];
  }
  return counts;
}

TEST_F(ConvertCommand, EveryBundledEventConverts) {
  ASSERT_EQ(expected_counts().size(), 29U);
  for (const Expected& expected : expected_counts()) {
    SCOPED_TRACE(expected.file);
    for (const bool all : {false, true}) {
      const ProcessResult run =
          convert({all ? "--all" : "--to-ids-only", event_path(expected.file)});

      ASSERT_EQ(run.exit_code, 0) << run.err;
      EXPECT_EQ(type_counts(bundle_objects(run.out)),
                all ? expected.all : expected.to_ids_only);
      // One summary line, naming the file, with the skips per reason.
      EXPECT_THAT(run.err, HasSubstr(event_path(expected.file) + ": 1 event"));
      EXPECT_THAT(run.err, HasSubstr("; skipped "));
    }
  }
}

TEST_F(ConvertCommand, SkipSummaryCountsEachReason) {
  const ProcessResult run = convert(
      {"--all",
       event_path("MISP_PyMISP__tests_reportlab_testfiles_long_event.json")});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err,
              HasSubstr("1 event(s), 370 attribute(s): 356 indicator(s)"));
  EXPECT_THAT(run.err,
              HasSubstr("skipped 14 (context only: 4, invalid value: 3, "
                        "not matchable: 5, rule language: 2)"));
}

TEST_F(ConvertCommand, SeveralFilesGiveOneBundleAndATotal) {
  const ProcessResult run =
      convert({event_path("MISP_MISP__tests_event.json"),
               event_path("eset_malware-ioc__telebots_misp-telebots.json")});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(type_counts(bundle_objects(run.out)),
            (TypeCounts{
                {"file", 93}, {"ipv4-addr", 3}, {"windows-registry-key", 3}}));
  EXPECT_THAT(run.err, HasSubstr("total of 2 files: 2 event(s)"));
}

// A restSearch page holds several events; each is converted.
TEST_F(ConvertCommand, RestSearchPageWithSeveralEvents) {
  boost::json::array events;
  for (const char* name :
       {"MISP_MISP__tests_event.json",
        "eset_malware-ioc__telebots_misp-telebots.json",
        "MISP_PyMISP__tests_mispevent_testfiles_existing_event.json"}) {
    auto document = boost::json::parse(read_file(event_path(name)));
    auto& object = document.as_object();
    if (const auto* response = object.if_contains("response")) {
      events.emplace_back(response->as_array().at(0));
    } else if (object.contains("Event")) {
      events.emplace_back(object);
    } else {
      events.emplace_back(boost::json::object{{"Event", object}});
    }
  }
  const std::string page = m_dir.file("page.json");
  write_file(page,
             boost::json::serialize(
                 boost::json::object{{"response", std::move(events)}}));

  const ProcessResult run = convert({page});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(type_counts(bundle_objects(run.out)),
            (TypeCounts{{"domain-name", 19},
                        {"file", 145},
                        {"ipv4-addr", 15},
                        {"windows-registry-key", 3}}));
  EXPECT_THAT(run.err, HasSubstr(page + ": 3 event(s)"));
}

TEST_F(ConvertCommand, SameInputAndTimeGiveTheSameBytes) {
  const std::string file = event_path("MISP_MISP__tests_event.json");

  const ProcessResult first = convert({file});
  const ProcessResult second = convert({file});

  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, second.out);
}

// The bodies a sync POSTs: 100 objects each, one body a line.
TEST_F(ConvertCommand, RequestFormatGivesTheUploadBodies) {
  const std::string file =
      event_path("MISP_PyMISP__tests_reportlab_testfiles_long_event.json");
  const ProcessResult bundle = convert({"--all", file});
  const boost::json::array objects = bundle_objects(bundle.out);
  ASSERT_EQ(objects.size(), 356U);

  for (const char* api : {"stix-objects", "upload-indicators"}) {
    SCOPED_TRACE(api);
    const ProcessResult run = convert({"--all",
                                       "--format",
                                       "request",
                                       "--api",
                                       api,
                                       "--source-system",
                                       "Our MISP",
                                       file});
    ASSERT_EQ(run.exit_code, 0) << run.err;

    const char* key =
        std::string(api) == "stix-objects" ? "stixobjects" : "value";
    std::vector<std::size_t> sizes;
    boost::json::array sent;
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) {
      const auto body = boost::json::parse(line).as_object();
      EXPECT_EQ(body.size(), 2U);
      EXPECT_EQ(body.at("sourcesystem"), "Our MISP");
      const auto& list = body.at(key).as_array();
      sizes.push_back(list.size());
      sent.insert(sent.end(), list.begin(), list.end());
    }
    EXPECT_EQ(sizes, (std::vector<std::size_t>{100, 100, 100, 56}));
    EXPECT_EQ(sent, objects);
  }
}

TEST_F(ConvertCommand, OptionsReachTheIndicators) {
  const ProcessResult run = convert(
      {"--confidence",
       "80",
       "--tlp",
       "tlp:amber",
       "--misp-url",
       "https://misp.example.org/",
       event_path("eset_malware-ioc__sshdoor_misp-events_borleias.json"),
       "--all"});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  const boost::json::array objects = bundle_objects(run.out);
  ASSERT_EQ(objects.size(), 2U);
  for (const auto& value : objects) {
    const auto& object = value.as_object();
    EXPECT_EQ(object.at("confidence"), 80);
    EXPECT_EQ(object.at("object_marking_refs"),
              boost::json::array{"marking-definition--f88d31f6-486f-44da-b317-"
                                 "01333bde0b82"});
    EXPECT_EQ(
        object.at("external_references").as_array().at(0).as_object().at("url"),
        "https://misp.example.org/events/view/"
        "5bbe5659-4794-490a-bb44-7ec50a016219");
  }
}

// An indicator whose valid_until is already past is not sent; the summary
// counts it.
TEST_F(ConvertCommand, ExpiredIndicatorsAreCountedNotPrinted) {
  const ProcessResult run =
      convert({"--expire-from",
               "valid_from",
               "--days-to-expire",
               "30",
               event_path("MISP_MISP__tests_event.json")});

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(bundle_objects(run.out).empty());
  EXPECT_THAT(run.err,
              HasSubstr("0 indicator(s); skipped 38 (expired: 30, "
                        "to_ids is false: 8)"));
}

TEST_F(ConvertCommand, NeedsNoConfig) {
  const ProcessResult run =
      convert({"--config",
               m_dir.file("no-such-config.toml"),
               event_path("MISP_MISP__tests_event.json")});

  EXPECT_EQ(run.exit_code, 0) << run.err;
}

TEST_F(ConvertCommand, MissingFileExitsTwoNamingIt) {
  const std::string missing = m_dir.file("missing.json");

  const ProcessResult run =
      convert({event_path("MISP_MISP__tests_event.json"), missing});

  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr(missing));
  EXPECT_THAT(run.err, HasSubstr("No such file"));
  EXPECT_EQ(run.out, "");
}

TEST_F(ConvertCommand, MalformedFileExitsThreeNamingIt) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"truncated.json", R"({"Event":{"uuid":"x","Attribute":[)"},
      {"not-an-event.json", "[1, 2, 3]"},
      {"no-uuid.json", R"({"Event":{"info":"no uuid"}})"},
  };
  for (const auto& [name, text] : cases) {
    SCOPED_TRACE(name);
    const std::string path = m_dir.file(name);
    write_file(path, text);

    const ProcessResult run = convert({path});

    EXPECT_EQ(run.exit_code, 3);
    EXPECT_THAT(run.err, HasSubstr(path));
    EXPECT_EQ(run.out, "");
  }
}

TEST_F(ConvertCommand, BadOptionsExitTwo) {
  const std::string file = event_path("MISP_MISP__tests_event.json");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--tlp", "tlp:purple", file},
        std::vector<std::string>{"--format", "csv", file},
        std::vector<std::string>{"--now", "yesterday", file},
        std::vector<std::string>{"--confidence", "101", file}}) {
    SCOPED_TRACE(args.at(0));
    const ProcessResult run = convert(args);

    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_EQ(run.out, "");
  }
}

} // namespace
} // namespace m2s::testing
