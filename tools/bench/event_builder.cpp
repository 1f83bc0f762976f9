#include "event_builder.hpp"

#include "misp_values.hpp"

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include <array>
#include <string>
#include <string_view>

namespace m2s::bench {

namespace {

struct TagDef {
  int id;
  std::string_view name;
  std::string_view colour;
};

constexpr std::array<TagDef, 6> k_tlp_tags = {{
    {1, "tlp:white", "#ffffff"},
    {2, "tlp:clear", "#ffffff"},
    {3, "tlp:green", "#33ff00"},
    {4, "tlp:amber", "#ffc000"},
    {5, "tlp:amber+strict", "#ffc000"},
    {6, "tlp:red", "#ff0000"},
}};

constexpr std::array<TagDef, 4> k_confidence_tags = {{
    {10, "misp:confidence-level=\"completely-confident\"", "#00ff00"},
    {11, "misp:confidence-level=\"usually-confident\"", "#66ff00"},
    {12, "misp:confidence-level=\"fairly-confident\"", "#ffff00"},
    {13, "misp:confidence-level=\"rarely-confident\"", "#ff6600"},
}};

constexpr std::array<TagDef, 5> k_kill_chain_tags = {{
    {20, "kill-chain:Reconnaissance", "#0088cc"},
    {21, "kill-chain:Delivery", "#0088cc"},
    {22, "kill-chain:Exploitation", "#0088cc"},
    {23, "kill-chain:Command and Control", "#0088cc"},
    {24, "kill-chain:Actions on Objectives", "#0088cc"},
}};

constexpr std::array<TagDef, 6> k_other_tags = {{
    {30, "misp-galaxy:threat-actor=\"Sofacy\"", "#0088cc"},
    {31, "misp-galaxy:malpedia=\"Emotet\"", "#0088cc"},
    {32, "misp-galaxy:mitre-attack-pattern=\"Phishing - T1566\"", "#0088cc"},
    {33, "osint:source-type=\"blog-post\"", "#00223b"},
    {34, "workflow:state=\"complete\"", "#00d8ff"},
    {35, "type:OSINT", "#004646"},
}};

struct Org {
  std::string_view name;
  std::string_view uuid;
};

constexpr std::array<Org, 4> k_orgs = {{
    {"CIRCL", "55f6ea5e-2c60-40e5-964f-47a8950d210f"},
    {"ESET", "55f6ea5f-fd34-43b8-ac1d-40cb950d210f"},
    {"Example CERT", "5d4a1f0e-8a6c-4c1f-9a5e-3b2f6c7d8e9f"},
    {"Bench ISAC", "6a0d7e21-43f5-4b8e-9c2d-1f3e5a7b9c0d"},
}};

constexpr std::array<std::string_view, 8> k_topics = {
    "Emotet distribution",
    "Phishing campaign",
    "Cobalt Strike servers",
    "Ransomware infrastructure",
    "Credential harvesting",
    "Botnet C2",
    "Malspam wave",
    "Exploit kit landing pages"};

boost::json::object tag_json(const TagDef& tag, bool local) {
  return boost::json::object{{"id", std::to_string(tag.id)},
                             {"name", tag.name},
                             {"colour", tag.colour},
                             {"exportable", true},
                             {"user_id", "0"},
                             {"hide_tag", false},
                             {"numerical_value", nullptr},
                             {"is_galaxy", tag.name.starts_with("misp-galaxy")},
                             {"is_custom_galaxy", false},
                             {"local_only", false},
                             {"local", local ? 1 : 0}};
}

boost::json::array event_tags(RandomSource& random) {
  boost::json::array tags;
  // TLP weights: green and amber most common, as on real instances.
  const double tlp = random.unit();
  const std::size_t tlp_index = tlp < 0.2    ? 0
                                : tlp < 0.3  ? 1
                                : tlp < 0.7  ? 2
                                : tlp < 0.92 ? 3
                                : tlp < 0.95 ? 4
                                             : 5;
  tags.push_back(tag_json(k_tlp_tags[tlp_index], false));
  if (random.chance(0.6)) {
    tags.push_back(tag_json(random.pick(k_confidence_tags), false));
  }
  if (random.chance(0.3)) {
    tags.push_back(tag_json(random.pick(k_kill_chain_tags), false));
  }
  if (random.chance(0.5)) {
    tags.push_back(tag_json(random.pick(k_other_tags), false));
  }
  return tags;
}

// About 15% of attributes carry their own tags; a few are local.
void add_attribute_tags(RandomSource& random, boost::json::object& attribute) {
  if (!random.chance(0.15)) {
    return;
  }
  boost::json::array tags;
  const double kind = random.unit();
  if (kind < 0.4) {
    tags.push_back(tag_json(k_tlp_tags[random.chance(0.5) ? 3 : 5], false));
  } else if (kind < 0.7) {
    tags.push_back(tag_json(random.pick(k_confidence_tags), false));
  } else {
    tags.push_back(tag_json(random.pick(k_kill_chain_tags), false));
  }
  if (random.chance(0.1)) {
    tags.push_back(tag_json(k_other_tags[5], true));
  }
  attribute["Tag"] = std::move(tags);
}

// About 30% of all attributes end up with to_ids false: free text always,
// the actionable types a fifth of the time.
bool draw_to_ids(RandomSource& random, std::string_view type) {
  return actionable(type) && !random.chance(0.2);
}

struct AttributeContext {
  std::int64_t event_id = 0;
  std::int64_t event_timestamp = 0;
  std::int64_t object_id = 0; // 0 outside objects
  std::string_view object_name;
};

boost::json::object attribute_json(RandomSource& random,
                                   const AttributeSpec& spec,
                                   const AttributeContext& context,
                                   std::int64_t& next_id,
                                   DataStats& stats) {
  const bool to_ids = draw_to_ids(random, spec.type);
  const std::int64_t timestamp =
      context.event_timestamp - random.between(0, 30 * 86400);

  boost::json::object a;
  a["id"] = std::to_string(next_id++);
  a["type"] = spec.type;
  a["category"] = spec.category;
  a["to_ids"] = to_ids;
  a["uuid"] = random.uuid();
  a["event_id"] = std::to_string(context.event_id);
  a["distribution"] = "5";
  a["timestamp"] = std::to_string(timestamp);
  a["comment"] = random.chance(0.2) ? "seen in sandbox detonation" : "";
  a["sharing_group_id"] = "0";
  a["deleted"] = false;
  a["disable_correlation"] = false;
  a["object_id"] = std::to_string(context.object_id);
  if (spec.object_relation.empty()) {
    a["object_relation"] = nullptr;
  } else {
    a["object_relation"] = spec.object_relation;
  }
  // Only a first_seen: a last_seen in the past would expire the indicator.
  if (random.chance(0.05)) {
    a["first_seen"] = "2023-06-01T00:00:00.000000+00:00";
  } else {
    a["first_seen"] = nullptr;
  }
  a["last_seen"] = nullptr;
  a["value"] = spec.value;
  add_attribute_tags(random, a);

  ++stats.attributes;
  if (!to_ids) {
    ++stats.to_ids_false;
  } else {
    stats.indicators +=
        indicators_for(spec.type, context.object_name, spec.object_relation);
  }
  if (context.object_id != 0) {
    ++stats.in_objects;
  }
  return a;
}

boost::json::object object_json(RandomSource& random,
                                const ObjectSpec& spec,
                                AttributeContext context,
                                std::int64_t& next_id,
                                DataStats& stats) {
  context.object_id = next_id++;
  context.object_name = spec.name;
  boost::json::array attributes;
  for (const AttributeSpec& member : spec.attributes) {
    attributes.push_back(
        attribute_json(random, member, context, next_id, stats));
  }
  return boost::json::object{
      {"id", std::to_string(context.object_id)},
      {"name", spec.name},
      {"meta-category", spec.meta_category},
      {"description", spec.description},
      {"template_uuid", spec.template_uuid},
      {"template_version", "24"},
      {"event_id", std::to_string(context.event_id)},
      {"uuid", random.uuid()},
      {"timestamp", std::to_string(context.event_timestamp)},
      {"distribution", "5"},
      {"sharing_group_id", "0"},
      {"comment", ""},
      {"deleted", false},
      {"first_seen", nullptr},
      {"last_seen", nullptr},
      {"ObjectReference", boost::json::array{}},
      {"Attribute", std::move(attributes)}};
}

std::string iso_date(std::int64_t epoch) {
  // Days to civil date (Howard Hinnant's algorithm), to avoid time zones.
  const std::int64_t z = epoch / 86400 + 719468;
  const std::int64_t era = z / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe =
      (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

} // namespace

boost::json::object build_event(RandomSource& random,
                                const EventPlan& plan,
                                std::int64_t& next_attribute_id,
                                DataStats& stats) {
  const std::int64_t timestamp = plan.publish_timestamp - 30;
  const Org& org = random.pick(k_orgs);
  AttributeContext context{plan.number, timestamp, 0, {}};

  // About a fifth of the attributes sit in objects (2 to 4 each).
  boost::json::array attributes;
  boost::json::array objects;
  std::int64_t left = plan.attributes;
  const std::int64_t in_objects_goal = plan.attributes / 5;
  std::int64_t in_objects = 0;
  while (left > 0) {
    if (in_objects < in_objects_goal && left >= 4) {
      const ObjectSpec spec = random_object(random);
      in_objects += static_cast<std::int64_t>(spec.attributes.size());
      left -= static_cast<std::int64_t>(spec.attributes.size());
      objects.push_back(
          object_json(random, spec, context, next_attribute_id, stats));
      continue;
    }
    attributes.push_back(attribute_json(
        random, random_attribute(random), context, next_attribute_id, stats));
    --left;
  }
  ++stats.events;

  const std::string info =
      std::string(random.pick(k_topics)) + " #" + std::to_string(plan.number);
  const boost::json::object orgc{
      {"id", "2"}, {"name", org.name}, {"uuid", org.uuid}, {"local", true}};
  return boost::json::object{
      {"id", std::to_string(plan.number)},
      {"orgc_id", "2"},
      {"org_id", "2"},
      {"date", iso_date(timestamp)},
      {"threat_level_id", std::to_string(1 + random.below(4))},
      {"info", info},
      {"published", true},
      {"uuid", random.uuid()},
      {"attribute_count", std::to_string(plan.attributes)},
      {"analysis", "2"},
      {"timestamp", std::to_string(timestamp)},
      {"distribution", "1"},
      {"proposal_email_lock", false},
      {"locked", false},
      {"publish_timestamp", std::to_string(plan.publish_timestamp)},
      {"sharing_group_id", "0"},
      {"disable_correlation", false},
      {"extends_uuid", ""},
      {"Org", orgc},
      {"Orgc", orgc},
      {"Attribute", std::move(attributes)},
      {"Object", std::move(objects)},
      {"ShadowAttribute", boost::json::array{}},
      {"RelatedEvent", boost::json::array{}},
      {"Galaxy", boost::json::array{}},
      {"Tag", event_tags(random)}};
}

} // namespace m2s::bench
