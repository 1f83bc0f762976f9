#include "misp2sentinel/misp/event_parser.hpp"

#include "misp2sentinel/util/errors.hpp"

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace m2s {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string data_file(const std::string& name) {
  return read_text(fs::path(M2S_SOURCE_DIR) / "data/misp-events" / name);
}

// The MispError message for `text`, or "no error".
std::string error_of(const std::string& text) {
  try {
    static_cast<void>(parse_events(text, "page 3"));
  } catch (const MispError& error) {
    return error.what();
  }
  return "no error";
}

std::size_t count_object_attributes(const MispEvent& event) {
  return static_cast<std::size_t>(std::count_if(
      event.attributes.begin(),
      event.attributes.end(),
      [](const MispAttribute& a) { return !a.object_uuid.empty(); }));
}

std::size_t count_to_ids(const MispEvent& event) {
  return static_cast<std::size_t>(
      std::count_if(event.attributes.begin(),
                    event.attributes.end(),
                    [](const MispAttribute& a) { return a.to_ids; }));
}

// --- Bad input ---

TEST(EventParser, InvalidJsonGivesOffsetLineAndColumn) {
  EXPECT_EQ(error_of("{\"Event\": x}"),
            "page 3: invalid JSON: syntax error at byte 10 (line 1, "
            "column 11)");
}

TEST(EventParser, InvalidJsonIsAMispError) {
  try {
    static_cast<void>(parse_events("{", "page 3"));
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::misp_error);
  }
}

TEST(EventParser, TruncatedJsonIsIncomplete) {
  const std::string text = "{\"response\": [\n  {\"Event\": {\"uuid\": "
                           "\"a\"}},\n";

  EXPECT_EQ(error_of(text),
            "page 3: invalid JSON: incomplete JSON at byte 43 (line 3, "
            "column 1)");
}

TEST(EventParser, TruncatedRealFileIsIncomplete) {
  const std::string text =
      data_file("eset_malware-ioc__sshdoor_misp-events_borleias.json")
          .substr(0, 1000);

  EXPECT_THAT(error_of(text),
              ::testing::StartsWith(
                  "page 3: invalid JSON: incomplete JSON at byte 1000 "));
}

TEST(EventParser, EmptyTextIsInvalid) {
  EXPECT_EQ(error_of(" \n"), "page 3: invalid JSON: the text is empty");
}

TEST(EventParser, DeepNestingIsRejected) {
  const std::string text = "{\"Event\":{\"uuid\":\"u\",\"x\":"
                           + std::string(70, '[') + std::string(70, ']') + "}}";

  EXPECT_EQ(error_of(text),
            "page 3: invalid JSON: nested deeper than 64 levels at byte 87 "
            "(line 1, column 88)");
}

TEST(EventParser, TopLevelArrayIsNotAnEventShape) {
  EXPECT_EQ(error_of("[]"),
            "page 3: expected {\"response\":[...]}, {\"Event\":...} or an "
            "event object");
}

TEST(EventParser, ResponseObjectIsNotAnEventShape) {
  EXPECT_EQ(error_of("{\"response\": {\"Attribute\": []}}"),
            "page 3: expected {\"response\":[...]}, {\"Event\":...} or an "
            "event object");
}

TEST(EventParser, MispErrorBodyIsNotAnEventShape) {
  EXPECT_EQ(error_of("{\"name\": \"Not Found\", \"message\": \"Not Found\", "
                     "\"url\": \"/events/restSearch\"}"),
            "page 3: expected {\"response\":[...]}, {\"Event\":...} or an "
            "event object");
}

TEST(EventParser, EventThatIsNotAnObjectIsNotAnEventShape) {
  EXPECT_EQ(error_of("{\"Event\": []}"),
            "page 3: expected {\"response\":[...]}, {\"Event\":...} or an "
            "event object");
}

TEST(EventParser, ResponseItemMustHoldAnEvent) {
  EXPECT_EQ(error_of("{\"response\": [{\"Event\": {\"uuid\": \"a\"}}, 1]}"),
            "page 3: response[1]: expected {\"Event\":{...}}");
}

TEST(EventParser, EventWithoutUuidIsAnError) {
  EXPECT_EQ(error_of("{\"response\": [{\"Event\": {\"uuid\": \"a\"}}, "
                     "{\"Event\": {\"info\": \"Second\"}}]}"),
            "page 3: event #1 (info \"Second\") has no uuid");
}

TEST(EventParser, LongInfoIsShortenedInMessages) {
  const std::string info(100, 'x');

  EXPECT_EQ(
      error_of("{\"Event\": {\"uuid\": null, \"info\": \"" + info + "\"}}"),
      "page 3: event #0 (info \"" + std::string(60, 'x')
          + "...\") has no uuid");
}

TEST(EventParser, BareEventWithoutUuidFromPyMispIsAnError) {
  const std::string path =
      std::string(M2S_SOURCE_DIR)
      + "/tests/data/MISP_PyMISP__tests_mispevent_testfiles_attribute_del.json";

  try {
    static_cast<void>(parse_events(read_text(path), path));
    FAIL() << "no error";
  } catch (const MispError& error) {
    EXPECT_EQ(std::string(error.what()),
              path + ": event #0 (info \"This is a test\") has no uuid");
  }
}

TEST(EventParser, NonNumericTimestampNamesTheField) {
  EXPECT_EQ(error_of("{\"Event\": {\"uuid\": \"u\", \"Attribute\": "
                     "[{\"uuid\": \"a\"}, {\"timestamp\": \"abc\"}]}}"),
            "page 3: event #0 (uuid u): Attribute[1].timestamp: expected an "
            "integer or a numeric string, got \"abc\"");
}

TEST(EventParser, BadBooleanInObjectAttributeNamesTheField) {
  EXPECT_EQ(error_of("{\"Event\": {\"uuid\": \"u\", \"Object\": [{}, "
                     "{\"Attribute\": [{\"to_ids\": \"yes\"}]}]}}"),
            "page 3: event #0 (uuid u): Object[1].Attribute[0].to_ids: "
            "expected a boolean (true/false, 0/1, \"0\"/\"1\"), got \"yes\"");
}

TEST(EventParser, TagLocalOtherThanZeroOrOneIsAnError) {
  EXPECT_EQ(error_of("{\"uuid\": \"u\", \"Tag\": [{\"name\": \"x\", "
                     "\"local\": 2}]}"),
            "page 3: event #0 (uuid u): Tag[0].local: expected a boolean "
            "(true/false, 0/1, \"0\"/\"1\"), got a number");
}

TEST(EventParser, AttributeListThatIsAnObjectIsAnError) {
  EXPECT_EQ(error_of("{\"uuid\": \"u\", \"Attribute\": {}}"),
            "page 3: event #0 (uuid u): Attribute: expected an array, got "
            "an object");
}

TEST(EventParser, ArrayValueIsAnError) {
  EXPECT_EQ(error_of("{\"uuid\": \"u\", \"Attribute\": [{\"value\": [1]}]}"),
            "page 3: event #0 (uuid u): Attribute[0].value: expected a "
            "string, got an array");
}

TEST(EventParser, LongStringsAreShortenedInMessages) {
  EXPECT_EQ(error_of("{\"uuid\": \"u\", \"timestamp\": \""
                     + std::string(50, '9') + "x\"}"),
            "page 3: event #0 (uuid u): timestamp: expected an integer or a "
            "numeric string, got \""
                + std::string(40, '9') + "...\"");
}

TEST(EventParser, AttributeThatIsNotAnObjectIsAnError) {
  EXPECT_EQ(error_of("{\"uuid\": \"u\", \"Attribute\": [\"1.2.3.4\"]}"),
            "page 3: event #0 (uuid u): Attribute[0]: expected an object, "
            "got \"1.2.3.4\"");
}

TEST(EventParser, OrgcWithBadNameIsAnError) {
  EXPECT_EQ(error_of("{\"uuid\": \"u\", \"Orgc\": {\"name\": true}}"),
            "page 3: event #0 (uuid u): Orgc.name: expected a string, got a "
            "boolean");
}

// --- The three wrappers, on real files ---

// Expected counts computed once with python3 from the same file:
// json.load, then len(Event["Attribute"]) + sum(len(o["Attribute"]) for o
// in Event["Object"]), and sum(a["to_ids"]) over those.
TEST(EventParser, EventWrapperFile) {
  const auto events = parse_events(
      data_file("eset_malware-ioc__sshdoor_misp-events_borleias.json"),
      "borleias");

  ASSERT_EQ(events.size(), 1U);
  const MispEvent& event = events[0];
  EXPECT_EQ(event.uuid, "5bbe5659-4794-490a-bb44-7ec50a016219");
  EXPECT_EQ(event.id, "277");
  EXPECT_EQ(event.info, "SSHDoor : Borleias");
  EXPECT_EQ(event.date, "2018-10-10");
  EXPECT_EQ(event.orgc_name, "ESET");
  EXPECT_EQ(event.orgc_uuid, "55f6ea5e-51ac-4344-bc8c-4170950d210f");
  EXPECT_FALSE(event.published);
  EXPECT_EQ(event.timestamp, 1539269995);
  EXPECT_EQ(event.publish_timestamp, 0);
  EXPECT_EQ(event.threat_level_id, 4);
  ASSERT_EQ(event.tags.size(), 1U);
  EXPECT_EQ(event.tags[0].name, "SSHDoor");
  EXPECT_FALSE(event.tags[0].local);
  ASSERT_EQ(event.attributes.size(), 3U);
  const MispAttribute& first = event.attributes[0];
  EXPECT_EQ(first.uuid, "5bbe567e-a8d4-4a8c-ae53-01550a016219");
  EXPECT_EQ(first.type, "ip-dst|port");
  EXPECT_EQ(first.category, "Network activity");
  EXPECT_EQ(first.value, "94.75.207.3|35247");
  EXPECT_EQ(first.comment, "");
  EXPECT_FALSE(first.to_ids);
  EXPECT_FALSE(first.deleted);
  EXPECT_EQ(first.timestamp, 1539200881);
  EXPECT_EQ(first.first_seen, std::nullopt);
  EXPECT_EQ(first.last_seen, std::nullopt);
  EXPECT_TRUE(first.tags.empty());
  EXPECT_EQ(first.object_uuid, "");
  EXPECT_EQ(first.object_relation, "");
}

TEST(EventParser, ResponseWrapperFile) {
  const auto events = parse_events(
      data_file("eset_malware-ioc__oceanlotus_oceanlotus.misp.event.json"),
      "oceanlotus");

  ASSERT_EQ(events.size(), 1U);
  const MispEvent& event = events[0];
  EXPECT_EQ(event.uuid, "5a610659-d718-4a1f-b020-04d80a016219");
  EXPECT_EQ(event.info, "OceanLotus: rastls");
  EXPECT_EQ(event.timestamp, 1521226434);
  EXPECT_EQ(event.threat_level_id, 1);
  ASSERT_EQ(event.tags.size(), 2U);
  EXPECT_EQ(event.tags[0].name, "misp-galaxy:threat-actor=\"APT32\"");
  EXPECT_EQ(event.tags[1].name, "OceanLotus");
  EXPECT_EQ(event.attributes.size(), 111U);
  EXPECT_EQ(count_object_attributes(event), 0U);
  EXPECT_EQ(count_to_ids(event), 0U);
  EXPECT_EQ(event.attributes[0].uuid, "5a610794-3ea8-43a2-b7b9-04d70a016219");
  EXPECT_EQ(event.attributes[0].value, "Win32/TrojanDropper.Agent.RUI");
}

TEST(EventParser, BareEventFileWithObjects) {
  const auto events = parse_events(
      data_file("MISP_PyMISP__tests_mispevent_testfiles_existing_event.json"),
      "existing_event");

  ASSERT_EQ(events.size(), 1U);
  const MispEvent& event = events[0];
  EXPECT_EQ(event.uuid, "5a3c2fcd-8328-42bb-a95e-4f4402de0b81");
  EXPECT_EQ(event.orgc_name, "CIRCL");
  EXPECT_EQ(event.tags.size(), 18U);
  EXPECT_EQ(event.tags[0].name, "tlp:white");
  // 9 attributes of the event, then 113 from its 49 objects.
  EXPECT_EQ(event.attributes.size(), 122U);
  EXPECT_EQ(count_object_attributes(event), 113U);
  EXPECT_EQ(count_to_ids(event), 83U);

  const MispAttribute& standalone = event.attributes[0];
  EXPECT_EQ(standalone.uuid, "5a3c2fda-78f4-44b7-8366-46da02de0b81");
  EXPECT_EQ(standalone.type, "link");
  ASSERT_EQ(standalone.tags.size(), 2U);
  EXPECT_EQ(standalone.tags[0].name, "osint:source-type=\"blog-post\"");

  const MispAttribute& in_object = event.attributes[9];
  EXPECT_EQ(in_object.uuid, "5a3cd5b6-2850-435f-bd0d-4c62950d210f");
  EXPECT_EQ(in_object.type, "filename");
  EXPECT_EQ(in_object.value, "Bulletin.doc");
  EXPECT_TRUE(in_object.to_ids);
  EXPECT_EQ(in_object.timestamp, 1513936310);
  EXPECT_EQ(in_object.object_uuid, "5a3cd5b6-9568-4342-b2ab-4c62950d210f");
  EXPECT_EQ(in_object.object_name, "file");
  EXPECT_EQ(in_object.object_relation, "filename");
  EXPECT_EQ(in_object.object_meta_category, "file");
}

TEST(EventParser, ResponseWrapperFileWithManyObjects) {
  const auto events = parse_events(
      data_file("eset_malware-ioc__windigo_ebury.misp.json"), "ebury");

  ASSERT_EQ(events.size(), 1U);
  const MispEvent& event = events[0];
  EXPECT_EQ(event.uuid, "13cb1207-0674-4a54-a999-df5ff8e35c1a");
  EXPECT_TRUE(event.published);
  EXPECT_EQ(event.publish_timestamp, 1715103708);
  EXPECT_EQ(event.tags.size(), 58U);
  // 1 attribute of the event, then 419 from its 127 objects.
  EXPECT_EQ(event.attributes.size(), 420U);
  EXPECT_EQ(count_object_attributes(event), 419U);
  EXPECT_EQ(count_to_ids(event), 198U);
  EXPECT_EQ(event.attributes[1].type, "text");
  EXPECT_EQ(event.attributes[1].value, "ESET");
  EXPECT_EQ(event.attributes[1].object_name, "av-signature");
  EXPECT_EQ(event.attributes[1].object_relation, "software");
  EXPECT_EQ(event.attributes[1].object_meta_category, "misc");
}

TEST(EventParser, FirstSeenIsKeptAsWritten) {
  const auto events = parse_events(
      data_file(
          "eset_malware-ioc__moustachedbouncer_misp-moustachedbouncer.event."
          "json"),
      "moustachedbouncer");

  ASSERT_EQ(events.size(), 1U);
  ASSERT_EQ(events[0].attributes.size(), 340U);
  const MispAttribute& attribute = events[0].attributes[327];
  EXPECT_EQ(attribute.uuid, "cffcc952-1960-4ef0-a9a7-f86f5b4b22a9");
  EXPECT_EQ(attribute.first_seen, "2022-07-05T00:00:00.000000+00:00");
  EXPECT_EQ(attribute.last_seen, std::nullopt);
}

// Totals computed once with python3 over data/misp-events/*.json: 29 files,
// one event each, 3199 attributes including object attributes.
TEST(EventParser, EveryDataFileParses) {
  std::size_t files = 0;
  std::size_t events = 0;
  std::size_t attributes = 0;

  for (const auto& entry :
       fs::directory_iterator(fs::path(M2S_SOURCE_DIR) / "data/misp-events")) {
    const auto parsed =
        parse_events(read_text(entry.path()), entry.path().string());
    ++files;
    events += parsed.size();
    for (const MispEvent& event : parsed) {
      EXPECT_FALSE(event.uuid.empty()) << entry.path();
      attributes += event.attributes.size();
    }
  }

  EXPECT_EQ(files, 29U);
  EXPECT_EQ(events, 29U);
  EXPECT_EQ(attributes, 3199U);
}

// --- Lenient field forms ---

TEST(EventParser, EmptyResponseIsZeroEvents) {
  EXPECT_TRUE(parse_events("{\"response\": []}", "page 3").empty());
}

TEST(EventParser, ResponseOfSeveralEventsKeepsOrder) {
  const auto events =
      parse_events("{\"response\": [{\"Event\": {\"uuid\": \"a\"}}, "
                   "{\"Event\": {\"uuid\": \"b\"}}, {\"uuid\": \"c\"}]}",
                   "page 3");

  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[0].uuid, "a");
  EXPECT_EQ(events[1].uuid, "b");
  EXPECT_EQ(events[2].uuid, "c");
}

TEST(EventParser, NumbersAsStringsAndStringsAsNumbers) {
  const auto events = parse_events(R"({"Event": {
    "uuid": "u", "id": 351, "timestamp": "1700000000",
    "publish_timestamp": 1700000100, "threat_level_id": "2",
    "published": "1",
    "Attribute": [
      {"uuid": "a1", "timestamp": 1600000000, "to_ids": 1, "deleted": "0",
       "value": 8080},
      {"uuid": "a2", "timestamp": "1600000001", "to_ids": "true",
       "deleted": 1},
      {"uuid": "a3", "timestamp": 1.6e9, "to_ids": "0", "deleted": false}
    ]}})",
                                   "page 3");

  ASSERT_EQ(events.size(), 1U);
  const MispEvent& event = events[0];
  EXPECT_EQ(event.id, "351");
  EXPECT_EQ(event.timestamp, 1700000000);
  EXPECT_EQ(event.publish_timestamp, 1700000100);
  EXPECT_EQ(event.threat_level_id, 2);
  EXPECT_TRUE(event.published);
  ASSERT_EQ(event.attributes.size(), 3U);
  EXPECT_EQ(event.attributes[0].timestamp, 1600000000);
  EXPECT_TRUE(event.attributes[0].to_ids);
  EXPECT_FALSE(event.attributes[0].deleted);
  EXPECT_EQ(event.attributes[0].value, "8080");
  EXPECT_EQ(event.attributes[1].timestamp, 1600000001);
  EXPECT_TRUE(event.attributes[1].to_ids);
  EXPECT_TRUE(event.attributes[1].deleted);
  EXPECT_EQ(event.attributes[2].timestamp, 1600000000);
  EXPECT_FALSE(event.attributes[2].to_ids);
}

TEST(EventParser, NullAndMissingFieldsTakeDefaults) {
  const auto events = parse_events(R"({"Event": {
    "uuid": "u", "id": null, "info": null, "date": null, "Orgc": null,
    "published": null, "timestamp": null, "publish_timestamp": "",
    "threat_level_id": null, "Tag": null, "Object": null,
    "Attribute": [
      {"uuid": "a", "type": null, "category": null, "value": null,
       "comment": null, "to_ids": null, "deleted": null, "timestamp": null,
       "first_seen": null, "last_seen": "", "Tag": null},
      {"uuid": "b"}
    ]}})",
                                   "page 3");

  ASSERT_EQ(events.size(), 1U);
  const MispEvent& event = events[0];
  EXPECT_EQ(event.id, "");
  EXPECT_EQ(event.info, "");
  EXPECT_EQ(event.date, "");
  EXPECT_EQ(event.orgc_name, "");
  EXPECT_EQ(event.orgc_uuid, "");
  EXPECT_FALSE(event.published);
  EXPECT_EQ(event.timestamp, 0);
  EXPECT_EQ(event.publish_timestamp, 0);
  EXPECT_EQ(event.threat_level_id, 4);
  EXPECT_TRUE(event.tags.empty());
  ASSERT_EQ(event.attributes.size(), 2U);
  for (const MispAttribute& attribute : event.attributes) {
    EXPECT_EQ(attribute.type, "");
    EXPECT_EQ(attribute.value, "");
    EXPECT_EQ(attribute.comment, "");
    EXPECT_FALSE(attribute.to_ids);
    EXPECT_FALSE(attribute.deleted);
    EXPECT_EQ(attribute.timestamp, 0);
    EXPECT_EQ(attribute.first_seen, std::nullopt);
    EXPECT_EQ(attribute.last_seen, std::nullopt);
    EXPECT_TRUE(attribute.tags.empty());
  }
}

TEST(EventParser, AttributeWithoutUuidIsKeptWithEmptyUuid) {
  const auto events = parse_events(
      R"({"uuid": "u", "Attribute": [{"type": "ip-dst", "value": "1.2.3.4"},
                                     {"uuid": "b", "type": "url"}]})",
      "page 3");

  ASSERT_EQ(events.size(), 1U);
  ASSERT_EQ(events[0].attributes.size(), 2U);
  EXPECT_EQ(events[0].attributes[0].uuid, "");
  EXPECT_EQ(events[0].attributes[0].value, "1.2.3.4");
  EXPECT_EQ(events[0].attributes[1].uuid, "b");
}

TEST(EventParser, TagsWithLocalFlagsInAllForms) {
  const auto events = parse_events(R"({"uuid": "u",
    "Tag": [{"name": "tlp:green", "local": 0}, {"name": "mine", "local": 1},
            {"name": "b", "local": true}, {"name": ""}, {"id": "7"}],
    "Attribute": [{"uuid": "a",
      "Tag": [{"name": "kill-chain:Delivery", "local": false}]}]})",
                                   "page 3");

  ASSERT_EQ(events.size(), 1U);
  const std::vector<MispTag>& tags = events[0].tags;
  ASSERT_EQ(tags.size(), 3U);
  EXPECT_EQ(tags[0].name, "tlp:green");
  EXPECT_FALSE(tags[0].local);
  EXPECT_EQ(tags[1].name, "mine");
  EXPECT_TRUE(tags[1].local);
  EXPECT_EQ(tags[2].name, "b");
  EXPECT_TRUE(tags[2].local);
  ASSERT_EQ(events[0].attributes[0].tags.size(), 1U);
  EXPECT_EQ(events[0].attributes[0].tags[0].name, "kill-chain:Delivery");
  EXPECT_FALSE(events[0].attributes[0].tags[0].local);
}

TEST(EventParser, WrappedEventTagAndAttributeTagForms) {
  const auto events = parse_events(R"({"uuid": "u",
    "EventTag": [{"local": 1, "Tag": {"name": "internal"}},
                 {"local": "0", "Tag": {"name": "tlp:amber"}}],
    "Attribute": [{"uuid": "a",
      "AttributeTag": [{"local": false, "Tag": {"name": "x"}}]}]})",
                                   "page 3");

  ASSERT_EQ(events.size(), 1U);
  const std::vector<MispTag>& tags = events[0].tags;
  ASSERT_EQ(tags.size(), 2U);
  EXPECT_EQ(tags[0].name, "internal");
  EXPECT_TRUE(tags[0].local);
  EXPECT_EQ(tags[1].name, "tlp:amber");
  EXPECT_FALSE(tags[1].local);
  ASSERT_EQ(events[0].attributes[0].tags.size(), 1U);
  EXPECT_EQ(events[0].attributes[0].tags[0].name, "x");
}

TEST(EventParser, DeletedObjectMarksItsAttributesDeleted) {
  const auto events = parse_events(R"({"uuid": "u",
    "Attribute": [{"uuid": "plain", "deleted": false}],
    "Object": [
      {"uuid": "o1", "name": "domain-ip", "meta-category": "network",
       "deleted": true,
       "Attribute": [{"uuid": "d", "object_relation": "domain",
                      "deleted": false},
                     {"uuid": "i", "object_relation": "ip"}]},
      {"uuid": "o2", "name": "file", "meta-category": "file",
       "deleted": "0",
       "Attribute": [{"uuid": "s", "object_relation": "sha256",
                      "deleted": true},
                     {"uuid": "f", "object_relation": "filename"}]}]})",
                                   "page 3");

  ASSERT_EQ(events.size(), 1U);
  const std::vector<MispAttribute>& attributes = events[0].attributes;
  ASSERT_EQ(attributes.size(), 5U);
  EXPECT_EQ(attributes[0].uuid, "plain");
  EXPECT_FALSE(attributes[0].deleted);
  EXPECT_EQ(attributes[1].uuid, "d");
  EXPECT_TRUE(attributes[1].deleted);
  EXPECT_EQ(attributes[1].object_uuid, "o1");
  EXPECT_EQ(attributes[1].object_name, "domain-ip");
  EXPECT_EQ(attributes[1].object_relation, "domain");
  EXPECT_EQ(attributes[1].object_meta_category, "network");
  EXPECT_EQ(attributes[2].uuid, "i");
  EXPECT_TRUE(attributes[2].deleted);
  EXPECT_EQ(attributes[2].object_relation, "ip");
  EXPECT_EQ(attributes[3].uuid, "s");
  EXPECT_TRUE(attributes[3].deleted);
  EXPECT_EQ(attributes[3].object_uuid, "o2");
  EXPECT_EQ(attributes[4].uuid, "f");
  EXPECT_FALSE(attributes[4].deleted);
  EXPECT_EQ(attributes[4].object_relation, "filename");
}

TEST(EventParser, StandaloneAttributeIgnoresObjectRelation) {
  const auto events = parse_events(
      R"({"uuid": "u", "Attribute": [{"uuid": "a",
          "object_relation": "ip"}]})",
      "page 3");

  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].attributes[0].object_relation, "");
}

TEST(EventParser, TrailingCommasAreAccepted) {
  const auto events = parse_events(
      "{\"Event\": {\"uuid\": \"u\", \"Attribute\": [{\"uuid\": \"a\",},],},}",
      "page 3");

  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].attributes.size(), 1U);
}

// MISP's attribute_count only makes room for the attributes: whatever it
// holds, the event reads the same and keeps no great spare room.
TEST(EventParser, AttributeCountIsOnlyAHint) {
  const std::string attributes =
      R"("Attribute": [{"uuid": "a"}, {"uuid": "b"}],)"
      R"( "Object": [{"uuid": "o", "Attribute": [{"uuid": "c"}]}])";
  const auto expected =
      parse_events("{\"uuid\": \"u\", " + attributes + "}", "page 3");

  for (const char* count : {"3",
                            "1",
                            "0",
                            "-5",
                            "\"x\"",
                            "1e30",
                            "[7]",
                            "{}",
                            "null",
                            "99999999999",
                            "\"200000\""}) {
    const auto events =
        parse_events(std::string("{\"uuid\": \"u\", ") + "\"attribute_count\": "
                         + count + ", " + attributes + "}",
                     "page 3");
    ASSERT_EQ(events.size(), 1U) << count;
    ASSERT_EQ(events[0].attributes.size(), 3U) << count;
    EXPECT_EQ(events[0].attributes[2].object_uuid, "o") << count;
    EXPECT_LE(events[0].attributes.capacity(), 64U + 2 * 3) << count;
    EXPECT_EQ(events[0].attributes[0].uuid, expected[0].attributes[0].uuid);
  }
}

// --- Repeated keys and key order ---
//
// Boost.JSON's DOM keeps the last of repeated keys; the DOM reader then
// checked fields in a fixed order. The streaming reader keeps both rules.

TEST(EventParser, RepeatedKeyTakesItsLastValue) {
  const auto events =
      parse_events(R"({"uuid": "u", "timestamp": "soon", "timestamp": 5,)"
                   R"( "info": "first", "info": "last"})",
                   "page 3");

  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].timestamp, 5);
  EXPECT_EQ(events[0].info, "last");
  EXPECT_EQ(error_of(R"({"uuid": "u", "timestamp": 5, "timestamp": "soon"})"),
            "page 3: event #0 (uuid u): timestamp: expected an integer or a "
            "numeric string, got \"soon\"");
}

TEST(EventParser, RepeatedNullGivesTheDefaultAgain) {
  const auto events = parse_events(
      R"({"uuid": "u", "threat_level_id": 1, "threat_level_id": null,)"
      R"( "Orgc": {"name": "x"}, "Orgc": null})",
      "page 3");

  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].threat_level_id, 4);
  EXPECT_EQ(events[0].orgc_name, "");
}

TEST(EventParser, RepeatedListsKeepTheLast) {
  const auto events = parse_events(
      R"({"uuid": "u", "Attribute": [{"uuid": "a1"}, {"uuid": "a2"}],)"
      R"( "Object": [{"uuid": "o1", "Attribute": [{"uuid": "oa1"}]}],)"
      R"( "Attribute": [{"uuid": "a3"}], "Tag": [{"name": "t1"}],)"
      R"( "Object": [{"uuid": "o2", "Attribute": [{"uuid": "x"}],)"
      R"( "Attribute": [{"uuid": "oa2"}]}], "Tag": [{"name": "t2"}]})",
      "page 3");

  ASSERT_EQ(events.size(), 1U);
  const auto& attributes = events[0].attributes;
  ASSERT_EQ(attributes.size(), 2U);
  EXPECT_EQ(attributes[0].uuid, "a3");
  EXPECT_EQ(attributes[1].uuid, "oa2");
  EXPECT_EQ(attributes[1].object_uuid, "o2");
  ASSERT_EQ(events[0].tags.size(), 1U);
  EXPECT_EQ(events[0].tags[0].name, "t2");
}

TEST(EventParser, RepeatedListReplacesAnEarlierBadOne) {
  const auto events =
      parse_events(R"({"uuid": "u", "Attribute": [{"to_ids": "maybe"}],)"
                   R"( "Attribute": [{"uuid": "a"}]})",
                   "page 3");

  ASSERT_EQ(events.size(), 1U);
  ASSERT_EQ(events[0].attributes.size(), 1U);
  EXPECT_EQ(events[0].attributes[0].uuid, "a");
}

TEST(EventParser, RepeatedEventOrResponseKeepsTheLast) {
  auto events = parse_events(
      R"({"Event": {"uuid": "first"}, "Event": {"uuid": "last"}})", "page 3");
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].uuid, "last");

  events = parse_events(R"({"response": [{"Event": {"uuid": "a"}}],)"
                        R"( "response": [{"uuid": "b"}, {"uuid": "c"}]})",
                        "page 3");
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].uuid, "b");
}

TEST(EventParser, ResponseDecidesWhereverItComes) {
  const auto events = parse_events(
      R"({"uuid": "bare", "Attribute": [], "Event": {"uuid": "wrapped"},)"
      R"( "response": [{"Event": {"uuid": "listed"}}]})",
      "page 3");

  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].uuid, "listed");
}

TEST(EventParser, EventDecidesOverTheWrappersOwnFields) {
  const auto events = parse_events(
      R"({"uuid": "bare", "timestamp": "never", "Event": {"uuid": "w"}})",
      "page 3");

  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].uuid, "w");
  EXPECT_EQ(error_of(R"({"Event": {"uuid": "w"}, "response": 7})"),
            "page 3: expected {\"response\":[...]}, {\"Event\":...} or an "
            "event object");
}

TEST(EventParser, ResponseItemEventDecidesOverTheItem) {
  EXPECT_EQ(error_of(R"({"response": [{"uuid": "bare", "Event": null}]})"),
            "page 3: response[0]: expected {\"Event\":{...}}");
  EXPECT_EQ(error_of(R"({"response": [{"Event": {}, "uuid": "bare"}]})"),
            "page 3: event #0 (info \"\") has no uuid");
}

TEST(EventParser, ObjectsBeforeAttributesStillComeAfter) {
  const auto events =
      parse_events(R"({"uuid": "u", "Object": [{"Attribute": [{"uuid": "oa"}],)"
                   R"( "uuid": "o", "name": "file", "deleted": true}],)"
                   R"( "Attribute": [{"uuid": "a"}]})",
                   "page 3");

  ASSERT_EQ(events.size(), 1U);
  const auto& attributes = events[0].attributes;
  ASSERT_EQ(attributes.size(), 2U);
  EXPECT_EQ(attributes[0].uuid, "a");
  EXPECT_EQ(attributes[0].object_uuid, "");
  EXPECT_EQ(attributes[1].uuid, "oa");
  EXPECT_EQ(attributes[1].object_uuid, "o");
  EXPECT_EQ(attributes[1].object_name, "file");
  EXPECT_TRUE(attributes[1].deleted);
}

TEST(EventParser, TagKeyDecidesEvenWhenNullOrLast) {
  auto events = parse_events(
      R"({"uuid": "u", "EventTag": [{"Tag": {"name": "e"}, "local": 1}],)"
      R"( "Tag": [{"name": "t"}]})",
      "page 3");
  ASSERT_EQ(events[0].tags.size(), 1U);
  EXPECT_EQ(events[0].tags[0].name, "t");

  events = parse_events(
      R"({"uuid": "u", "Tag": null, "EventTag": [{"Tag": {"name": "e"}}]})",
      "page 3");
  EXPECT_TRUE(events[0].tags.empty());

  events =
      parse_events(R"({"uuid": "u", "EventTag": "unread", "Tag": [],)"
                   R"( "AttributeTag": [{"local": 1, "Tag": {"name": "a"}}]})",
                   "page 3");
  EXPECT_TRUE(events[0].tags.empty());
}

TEST(EventParser, WrappedTagLocalMayFollowItsTag) {
  const auto events = parse_events(
      R"({"uuid": "u", "EventTag": [{"Tag": {"name": "x"}, "local": "1"},)"
      R"( {"Tag": {"name": "y", "local": false}, "local": 1}]})",
      "page 3");

  ASSERT_EQ(events[0].tags.size(), 2U);
  EXPECT_TRUE(events[0].tags[0].local);
  EXPECT_FALSE(events[0].tags[1].local);
}

TEST(EventParser, FirstFieldCheckedIsReportedNotFirstInTheText) {
  EXPECT_EQ(error_of(R"({"uuid": "u", "Attribute": [{"timestamp": "x"}],)"
                     R"( "threat_level_id": "high", "id": []})"),
            "page 3: event #0 (uuid u): id: expected a string, got an array");
  EXPECT_EQ(error_of(R"({"uuid": "u", "Attribute": [{"value": {},)"
                     R"( "to_ids": "x", "uuid": 5.5}]})"),
            "page 3: event #0 (uuid u): Attribute[0].uuid: expected a "
            "string, got a number");
  EXPECT_EQ(error_of(R"({"info": [], "uuid": 7})"),
            "page 3: event #0: uuid: expected a string, got a number");
}

TEST(EventParser, ParseEventReadsOneEventObject) {
  const boost::json::value document = boost::json::parse(
      R"({"uuid": "u", "info": "one", "Attribute": [{"uuid": "a"}]})");

  const MispEvent event = parse_event(document.get_object(), "file.json");

  EXPECT_EQ(event.uuid, "u");
  EXPECT_EQ(event.info, "one");
  EXPECT_EQ(event.attributes.size(), 1U);
}

} // namespace
} // namespace m2s
