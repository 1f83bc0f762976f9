#include "misp_search.hpp"

#include "json_util.hpp"
#include "text_util.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

namespace m2s::sandbox {

namespace {

struct AttributeRules {
  DeletedMode deleted = DeletedMode::hide;
  std::optional<bool> to_ids;
  const std::vector<std::string>* strip_tags = nullptr;
  const Warninglist* warninglist = nullptr;
};

bool within(const TimeBound& bound, std::int64_t value) {
  return value >= bound.from && (!bound.to || value <= *bound.to);
}

bool id_matches(const IdFilter& filter, const std::vector<std::string>& keys) {
  const auto hit = [&keys](const std::string& wanted) {
    return std::find(keys.begin(), keys.end(), wanted) != keys.end();
  };
  if (!filter.include.empty()
      && std::none_of(filter.include.begin(), filter.include.end(), hit)) {
    return false;
  }
  return std::none_of(filter.exclude.begin(), filter.exclude.end(), hit);
}

void add_uuids(const boost::json::value* attributes,
               std::vector<std::string>& out) {
  const auto* list = attributes != nullptr ? attributes->if_array() : nullptr;
  if (list == nullptr) {
    return;
  }
  for (const auto& attribute : *list) {
    if (const auto* fields = attribute.if_object()) {
      if (const auto uuid = string_member(*fields, "uuid")) {
        out.push_back(to_lower(*uuid));
      }
    }
  }
}

// The event uuid and every attribute uuid, for the `uuid` filter.
std::vector<std::string> all_uuids(const MispEvent& event) {
  std::vector<std::string> uuids{to_lower(event.uuid)};
  add_uuids(event.json->if_contains("Attribute"), uuids);
  const auto* objects = event.json->if_contains("Object");
  if (const auto* list = objects != nullptr ? objects->if_array() : nullptr) {
    for (const auto& object : *list) {
      if (const auto* fields = object.if_object()) {
        add_uuids(fields->if_contains("Attribute"), uuids);
      }
    }
  }
  return uuids;
}

bool selected(const MispEvent& event, const SearchQuery& query) {
  if (query.published
      && std::find(
             query.published->begin(), query.published->end(), event.published)
             == query.published->end()) {
    return false;
  }
  if (query.timestamp && !within(*query.timestamp, event.timestamp)) {
    return false;
  }
  if (query.publish_timestamp
      && !within(*query.publish_timestamp, event.publish_timestamp)) {
    return false;
  }
  if (!query.eventid.empty()
      && !id_matches(query.eventid,
                     {std::to_string(event.id), to_lower(event.uuid)})) {
    return false;
  }
  if (!query.uuid.empty() && !id_matches(query.uuid, all_uuids(event))) {
    return false;
  }
  if (query.tags.empty() && query.event_tags.empty()) {
    return true;
  }
  const auto tags = collect_tags(*event.json);
  return tag_filter_selects(query.tags, tags, false)
         && tag_filter_selects(query.event_tags, tags, true);
}

bool keep_attribute(const boost::json::object& attribute,
                    const AttributeRules& rules) {
  const bool deleted =
      lenient_bool(attribute.if_contains("deleted")).value_or(false);
  switch (rules.deleted) {
  case DeletedMode::hide:
    if (deleted) {
      return false;
    }
    break;
  case DeletedMode::only:
    if (!deleted) {
      return false;
    }
    break;
  case DeletedMode::include:
    break;
  }

  if (rules.to_ids
      && lenient_bool(attribute.if_contains("to_ids")).value_or(false)
             != *rules.to_ids) {
    return false;
  }
  if (rules.strip_tags != nullptr
      && any_tag_matches(*rules.strip_tags,
                         tag_names(attribute.if_contains("Tag")))) {
    return false;
  }
  if (rules.warninglist != nullptr) {
    const auto value = string_member(attribute, "value");
    if (value && warninglisted(*rules.warninglist, *value)) {
      return false;
    }
  }
  return true;
}

// Filters holder["Attribute"] in place; returns how many are left.
std::size_t filter_attribute_list(boost::json::object& holder,
                                  const AttributeRules& rules) {
  auto* member = holder.if_contains("Attribute");
  if (member == nullptr || !member->is_array()) {
    return 0;
  }
  boost::json::array kept;
  for (auto& attribute : member->get_array()) {
    const auto* fields = attribute.if_object();
    if (fields != nullptr && keep_attribute(*fields, rules)) {
      kept.push_back(std::move(attribute));
    }
  }
  *member = std::move(kept);
  return member->get_array().size();
}

bool has_attributes(const boost::json::object& holder) {
  const auto* member = holder.if_contains("Attribute");
  return member != nullptr && member->is_array()
         && !member->get_array().empty();
}

// Filters the attributes of every object; drops deleted objects (unless
// asked for) and objects left empty. Returns the attributes left.
std::size_t filter_objects(boost::json::object& event,
                           const AttributeRules& rules) {
  auto* member = event.if_contains("Object");
  if (member == nullptr || !member->is_array()) {
    return 0;
  }
  std::size_t left = 0;
  boost::json::array kept;
  for (auto& object : member->get_array()) {
    auto* fields = object.if_object();
    if (fields == nullptr) {
      continue;
    }
    const bool deleted =
        lenient_bool(fields->if_contains("deleted")).value_or(false);
    if (deleted && rules.deleted == DeletedMode::hide) {
      continue;
    }
    const bool had = has_attributes(*fields);
    const std::size_t count = filter_attribute_list(*fields, rules);
    if (had && count == 0) {
      continue;
    }
    left += count;
    kept.push_back(std::move(object));
  }
  *member = std::move(kept);
  return left;
}

// Filters `event` (a copy) in place. False when it must be dropped.
bool filter_event(boost::json::object& event,
                  const SearchQuery& query,
                  const Warninglist& warninglist) {
  AttributeRules rules;
  rules.deleted = query.deleted;
  rules.to_ids = query.to_ids;
  if (query.tags.strip_attributes) {
    rules.strip_tags = &query.tags.none_of;
  }
  if (query.enforce_warninglist && !warninglist.empty()) {
    rules.warninglist = &warninglist;
  }

  const std::size_t left =
      filter_attribute_list(event, rules) + filter_objects(event, rules);
  const bool needs_attributes =
      query.to_ids.has_value() || query.deleted == DeletedMode::only;
  if (needs_attributes && left == 0) {
    return false;
  }

  if (query.metadata) {
    for (const char* key :
         {"Attribute", "Object", "ShadowAttribute", "EventReport"}) {
      event.erase(key);
    }
  }
  return true;
}

std::int64_t order_key(const MispEvent& event, OrderField field) {
  switch (field) {
  case OrderField::id:
    return event.id;
  case OrderField::timestamp:
    return event.timestamp;
  case OrderField::publish_timestamp:
    return event.publish_timestamp;
  }
  return event.id;
}

void order_events(std::vector<const MispEvent*>& events,
                  const SearchQuery& query) {
  std::stable_sort(events.begin(),
                   events.end(),
                   [&query](const MispEvent* a, const MispEvent* b) {
                     const auto ka = order_key(*a, query.order);
                     const auto kb = order_key(*b, query.order);
                     if (ka != kb) {
                       return query.descending ? ka > kb : ka < kb;
                     }
                     return a->id < b->id;
                   });
}

// The [start, end) of the requested page among `total` matches.
std::pair<std::size_t, std::size_t> page_bounds(const SearchQuery& query,
                                                std::size_t total) {
  if (query.limit <= 0) {
    return {0, total};
  }
  const auto start = std::min<std::size_t>(
      total, static_cast<std::size_t>((query.page - 1) * query.limit));
  const auto end = std::min<std::size_t>(
      total, start + static_cast<std::size_t>(query.limit));
  return {start, end};
}

} // namespace

SearchResult run_search(const std::vector<MispEvent>& events,
                        const SearchQuery& query,
                        const Warninglist& warninglist,
                        SearchScope scope) {
  std::vector<const MispEvent*> chosen;
  for (const auto& event : events) {
    if (selected(event, query)) {
      chosen.push_back(&event);
    }
  }
  order_events(chosen, query);

  // Filtering keeps the order; it can drop whole events only when the
  // query needs attributes. Otherwise page first and copy just the page:
  // copying every event per request is what made million-attribute
  // benchmarks slow.
  const bool filtering = scope == SearchScope::events;
  const bool may_drop =
      filtering
      && (query.to_ids.has_value() || query.deleted == DeletedMode::only);
  std::vector<FoundEvent> found;
  std::size_t first = 0;
  std::size_t last = chosen.size();
  if (!may_drop) {
    std::tie(first, last) = page_bounds(query, chosen.size());
  }
  for (std::size_t i = first; i < last; ++i) {
    FoundEvent hit{*chosen[i], {}};
    if (filtering) {
      hit.json = *chosen[i]->json;
      if (!filter_event(hit.json, query, warninglist)) {
        continue;
      }
    }
    found.push_back(std::move(hit));
  }

  SearchResult result;
  if (!may_drop) {
    result.total = chosen.size();
    result.events = std::move(found);
    return result;
  }
  result.total = found.size();
  const auto [start, end] = page_bounds(query, found.size());
  for (std::size_t i = start; i < end; ++i) {
    result.events.push_back(std::move(found[i]));
  }
  return result;
}

} // namespace m2s::sandbox
