#include "mutate.hpp"

#include "event_files.hpp"
#include "misp_values.hpp"
#include "random_source.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace m2s::bench {

namespace {

namespace fs = std::filesystem;

std::int64_t epoch_field(const boost::json::object& event, const char* key) {
  const auto* value = event.if_contains(key);
  if (value != nullptr && value->is_string()) {
    return std::stoll(std::string(value->get_string()));
  }
  return value != nullptr && value->is_int64() ? value->get_int64() : 0;
}

// Every attribute of the event, objects' included, with its object name.
struct AttributeRef {
  boost::json::object* json;
  std::string object_name;
};

std::vector<AttributeRef> attributes_of(boost::json::object& event) {
  std::vector<AttributeRef> out;
  const auto add = [&out](boost::json::object& owner, std::string name) {
    auto* list = owner.if_contains("Attribute");
    if (list == nullptr || !list->is_array()) {
      return;
    }
    for (auto& attribute : list->get_array()) {
      if (auto* fields = attribute.if_object()) {
        out.push_back(AttributeRef{fields, name});
      }
    }
  };
  add(event, "");
  if (auto* objects = event.if_contains("Object")) {
    for (auto& object : objects->get_array()) {
      auto& fields = object.get_object();
      add(fields, std::string(fields.at("name").get_string()));
    }
  }
  return out;
}

std::string text_of(const boost::json::object& json, const char* key) {
  const auto* value = json.if_contains(key);
  return value != nullptr && value->is_string()
             ? std::string(value->get_string())
             : std::string();
}

// Changes `count` distinct attributes of `event` at `when`.
void mutate_event(RandomSource& random,
                  boost::json::object& event,
                  std::int64_t count,
                  std::int64_t when,
                  MutationStats& stats) {
  std::vector<AttributeRef> attributes = attributes_of(event);
  // A partial Fisher-Yates shuffle picks `count` distinct ones.
  for (std::int64_t i = 0; i < count; ++i) {
    const auto at = static_cast<std::size_t>(i);
    const auto other =
        at + random.below(static_cast<std::uint64_t>(attributes.size() - at));
    std::swap(attributes[at], attributes[other]);

    boost::json::object& a = *attributes[at].json;
    const std::string type = text_of(a, "type");
    a["value"] = random_value(random, type);
    a["timestamp"] = std::to_string(when);
    ++stats.attributes_changed;
    const auto* to_ids = a.if_contains("to_ids");
    if (to_ids != nullptr && to_ids->is_bool() && to_ids->get_bool()) {
      stats.indicators_changed += indicators_for(
          type, attributes[at].object_name, text_of(a, "object_relation"));
    }
  }
  event["timestamp"] = std::to_string(when);
  event["publish_timestamp"] = std::to_string(when + 1);
}

} // namespace

MutationStats
mutate_events(const fs::path& dir, double fraction, std::uint64_t seed) {
  RandomSource random(seed);
  const std::vector<fs::path> files = event_files(dir);

  // First pass: sizes, and the newest publish time to move past.
  MutationStats stats;
  std::vector<std::int64_t> sizes;
  std::int64_t newest = 0;
  for (const fs::path& file : files) {
    boost::json::object event = read_event_file(file);
    sizes.push_back(static_cast<std::int64_t>(attributes_of(event).size()));
    stats.attributes_total += sizes.back();
    newest = std::max(newest, epoch_field(event, "publish_timestamp"));
  }

  // Pick events at random until the changes add up to the fraction.
  std::vector<std::size_t> order(files.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  for (std::size_t i = order.size(); i > 1; --i) {
    std::swap(order[i - 1], order[random.below(i)]);
  }
  const auto goal = static_cast<std::int64_t>(
      std::llround(fraction * static_cast<double>(stats.attributes_total)));
  std::vector<std::pair<std::size_t, std::int64_t>> plan; // file, count
  std::int64_t planned = 0;
  for (const std::size_t index : order) {
    if (planned >= goal) {
      break;
    }
    const auto tenth = std::max<std::int64_t>(1, sizes[index] / 10);
    const auto count = std::min({tenth, goal - planned, sizes[index]});
    plan.emplace_back(index, count);
    planned += count;
  }
  std::sort(plan.begin(), plan.end());

  // Second pass: rewrite the picked events, each one second apart.
  std::int64_t when = newest + 600;
  for (const auto& [index, count] : plan) {
    boost::json::object event = read_event_file(files[index]);
    mutate_event(random, event, count, when, stats);
    write_event_file(files[index], event);
    ++stats.events_touched;
    when += 2;
  }
  return stats;
}

} // namespace m2s::bench
