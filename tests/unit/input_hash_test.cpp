// events.input_hash (src/sync/input_hash.hpp): a run skips an event whose
// input hash is the one its last read stored, so the hash must change with
// every field the conversion or the scope reads, and with every setting
// that shapes them; and the converter's version must be raised whenever
// its output changes.

#include "input_hash.hpp"

#include "misp2sentinel/misp/event_parser.hpp"
#include "misp2sentinel/stix/conversion.hpp"
#include "misp2sentinel/util/hash.hpp"
#include "stix_test_support.hpp"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace m2s {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

MispEvent sample_event() {
  MispAttribute in_object = test::make_attribute(
      "ip-dst", "203.0.113.7", "5a611861-5388-4287-834c-04da0a016220");
  in_object.object_uuid = "5a611861-0000-4287-834c-04da0a016221";
  in_object.object_name = "domain-ip";
  in_object.object_relation = "ip";
  in_object.object_meta_category = "network";
  MispEvent event = test::make_event(
      {test::make_attribute("domain", "evil.example"), in_object});
  event.tags.push_back({"tlp:amber", false});
  return event;
}

struct Mutation {
  const char* field;
  std::function<void(MispEvent&)> change;
};

std::vector<Mutation> event_mutations() {
  auto attribute = [](MispEvent& e) -> MispAttribute& {
    return e.attributes.at(1);
  };
  return {
      {"uuid",
       [](MispEvent& e) {
         e.uuid[0] = 'f';
       }},
      {"id",
       [](MispEvent& e) {
         e.id = "202";
       }},
      {"info",
       [](MispEvent& e) {
         e.info += "!";
       }},
      {"date",
       [](MispEvent& e) {
         e.date = "2018-01-19";
       }},
      {"orgc_name",
       [](MispEvent& e) {
         e.orgc_name = "CIRCL";
       }},
      {"orgc_uuid",
       [](MispEvent& e) {
         e.orgc_uuid[0] = 'f';
       }},
      {"published",
       [](MispEvent& e) {
         e.published = !e.published;
       }},
      {"timestamp",
       [](MispEvent& e) {
         ++e.timestamp;
       }},
      {"publish_timestamp",
       [](MispEvent& e) {
         ++e.publish_timestamp;
       }},
      {"threat_level_id",
       [](MispEvent& e) {
         e.threat_level_id = 1;
       }},
      {"tag name",
       [](MispEvent& e) {
         e.tags[0].name = "tlp:red";
       }},
      {"tag local",
       [](MispEvent& e) {
         e.tags[0].local = true;
       }},
      {"tag added",
       [](MispEvent& e) {
         e.tags.push_back({"x", false});
       }},
      {"attribute added",
       [](MispEvent& e) {
         e.attributes.push_back(test::make_attribute("url", "http://x.test"));
       }},
      {"attribute order",
       [](MispEvent& e) {
         std::swap(e.attributes[0], e.attributes[1]);
       }},
      {"attribute uuid",
       [=](MispEvent& e) {
         attribute(e).uuid[0] = 'f';
       }},
      {"attribute type",
       [=](MispEvent& e) {
         attribute(e).type = "ip-src";
       }},
      {"category",
       [=](MispEvent& e) {
         attribute(e).category = "Payload";
       }},
      {"value",
       [=](MispEvent& e) {
         attribute(e).value = "203.0.113.8";
       }},
      {"comment",
       [=](MispEvent& e) {
         attribute(e).comment = "c2";
       }},
      {"to_ids",
       [=](MispEvent& e) {
         attribute(e).to_ids = false;
       }},
      {"deleted",
       [=](MispEvent& e) {
         attribute(e).deleted = true;
       }},
      {"attribute timestamp",
       [=](MispEvent& e) {
         ++attribute(e).timestamp;
       }},
      {"first_seen",
       [=](MispEvent& e) {
         attribute(e).first_seen = "2024-01-01";
       }},
      {"last_seen",
       [=](MispEvent& e) {
         attribute(e).last_seen = "2024-01-01";
       }},
      {"empty first_seen",
       [=](MispEvent& e) {
         attribute(e).first_seen = "";
       }},
      {"attribute tag",
       [=](MispEvent& e) {
         attribute(e).tags.push_back({"x", false});
       }},
      {"object_uuid",
       [=](MispEvent& e) {
         attribute(e).object_uuid = "o";
       }},
      {"object_name",
       [=](MispEvent& e) {
         attribute(e).object_name = "file";
       }},
      {"object_relation",
       [=](MispEvent& e) {
         attribute(e).object_relation = "domain";
       }},
      {"object_meta_category",
       [=](MispEvent& e) {
         attribute(e).object_meta_category = "file";
       }},
      // Moving text between neighbouring fields changes the hash too.
      {"text moved between fields",
       [=](MispEvent& e) {
         attribute(e).object_name += attribute(e).object_relation;
         attribute(e).object_relation.clear();
       }},
  };
}

TEST(InputHash, SameEventAndSettingsGiveTheSameHash) {
  const Config config;

  EXPECT_EQ(event_input_hash(sample_event(), config),
            event_input_hash(sample_event(), config));
  EXPECT_EQ(event_input_hash(sample_event(), config).size(), 64u);
}

TEST(InputHash, EveryFieldOfTheEventChangesIt) {
  const Config config;
  const std::string before = event_input_hash(sample_event(), config);

  std::set<std::string> hashes{before};
  for (const Mutation& mutation : event_mutations()) {
    MispEvent changed = sample_event();
    mutation.change(changed);

    const std::string after = event_input_hash(changed, config);

    EXPECT_NE(after, before) << mutation.field;
    hashes.insert(after);
  }
  EXPECT_EQ(hashes.size(), event_mutations().size() + 1);
}

TEST(InputHash, EverySettingThatShapesIndicatorsChangesIt) {
  const std::vector<std::pair<const char*, std::function<void(Config&)>>>
      settings = {
          {"published",
           [](Config& c) {
             c.misp.filters.published = false;
           }},
          {"to_ids",
           [](Config& c) {
             c.misp.filters.to_ids = false;
           }},
          {"tags",
           [](Config& c) {
             c.misp.filters.tags = {"tlp:%"};
           }},
          {"not_tags",
           [](Config& c) {
             c.misp.filters.not_tags = {"x"};
           }},
          {"enforce_warninglist",
           [](Config& c) {
             c.misp.filters.enforce_warninglist = false;
           }},
          {"misp url",
           [](Config& c) {
             c.misp.url = "https://m.test";
           }},
          {"default_confidence",
           [](Config& c) {
             c.indicators.default_confidence = 80;
           }},
          {"days_to_expire",
           [](Config& c) {
             c.indicators.days_to_expire = 51;
           }},
          {"refresh_before_days",
           [](Config& c) {
             c.indicators.refresh_before_days = 8;
           }},
          {"expire_from",
           [](Config& c) {
             c.indicators.expire_from = ExpireFrom::valid_from;
           }},
          {"days_to_expire_by_type",
           [](Config& c) {
             c.indicators.days_to_expire_by_type["url"] = 400;
           }},
          {"default_tlp",
           [](Config& c) {
             c.indicators.default_tlp = "tlp:green";
           }},
          {"ignore_local_tags",
           [](Config& c) {
             c.indicators.ignore_local_tags = false;
           }},
          {"allowed_tag_prefixes",
           [](Config& c) {
             c.indicators.allowed_tag_prefixes = {"misp"};
           }},
      };
  const std::string before = event_input_hash(sample_event(), Config{});

  for (const auto& [name, change] : settings) {
    Config config;
    change(config);

    EXPECT_NE(event_input_hash(sample_event(), config), before) << name;
  }
}

TEST(InputHash, SettingsOutsideTheConversionLeaveItAlone) {
  const std::string before = event_input_hash(sample_event(), Config{});
  Config config;
  config.sentinel.batch_size = 10;
  config.sentinel.workspace_id = "other";
  config.misp.page_size = 10;
  config.state.lookback_seconds = 60;
  config.log.level = "debug";

  EXPECT_EQ(event_input_hash(sample_event(), config), before);
}

// The drafts of every bundled real event, as one hash. When this test
// fails, the converter's output changed: raise k_conversion_version in
// src/sync/input_hash.hpp (stores then convert every event again once)
// and put the new version and hash below.
TEST(InputHash, ConversionVersionIsRaisedWhenTheOutputChanges) {
  ConversionOptions options;
  options.require_to_ids = false;
  options.misp_url = "https://misp.example.org";
  Sha256 hash;
  std::size_t drafts = 0;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::string(M2S_SOURCE_DIR) + "/data/misp-events")) {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  for (const auto& path : files) {
    for (const MispEvent& event :
         parse_events(read_text(path), path.string())) {
      for (const IndicatorDraft& d : convert_event(event, options).indicators) {
        hash.update(d.attribute_uuid + "|" + d.component + "|"
                    + d.observable_type + "|" + d.value + "|" + d.pattern + "|"
                    + std::to_string(d.valid_from_epoch) + "|"
                    + std::to_string(d.last_seen_epoch.value_or(-1)) + "|"
                    + boost::json::serialize(d.stix) + "\n");
        ++drafts;
      }
    }
  }

  EXPECT_GT(drafts, 1000u);
  EXPECT_EQ(k_conversion_version, 1);
  EXPECT_EQ(hash.hex_digest(),
            "3525ff53cda31566bfab53d87741b4d134729be3e225ec4fb9f53d1a07246477");
}

} // namespace
} // namespace m2s
