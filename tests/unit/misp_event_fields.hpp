#pragma once

// --- Every field of parsed MISP events, by name, for comparisons ---
//
// Two readings of one document are the same when these lists are equal;
// a difference names the field ("event[0].attributes[3].tags[1].local").

#include "misp2sentinel/misp/event_parser.hpp"

#include <string>
#include <utility>
#include <vector>

namespace m2s::test {

using NamedFields = std::vector<std::pair<std::string, std::string>>;

// Adds `value` as "<owner>.<field>".
inline auto field_adder(NamedFields& fields, const std::string& owner) {
  return [&fields, owner](const char* field, std::string value) {
    fields.emplace_back(owner + "." + field, std::move(value));
  };
}

inline std::string flag_text(bool flag) {
  return flag ? "true" : "false";
}

inline void add_tags(NamedFields& fields,
                     const std::string& owner,
                     const std::vector<MispTag>& tags) {
  fields.emplace_back(owner + ".tags.size", std::to_string(tags.size()));
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const std::string name = owner + ".tags[" + std::to_string(i) + "]";
    fields.emplace_back(name + ".name", tags[i].name);
    fields.emplace_back(name + ".local", flag_text(tags[i].local));
  }
}

inline std::string optional_text(const std::optional<std::string>& text) {
  return text ? "\"" + *text + "\"" : "nullopt";
}

inline void add_attribute(NamedFields& fields,
                          const std::string& name,
                          const MispAttribute& a) {
  const auto add = field_adder(fields, name);
  add("uuid", a.uuid);
  add("type", a.type);
  add("category", a.category);
  add("value", a.value);
  add("comment", a.comment);
  add("to_ids", flag_text(a.to_ids));
  add("deleted", flag_text(a.deleted));
  add("timestamp", std::to_string(a.timestamp));
  add("first_seen", optional_text(a.first_seen));
  add("last_seen", optional_text(a.last_seen));
  add("object_uuid", a.object_uuid);
  add("object_name", a.object_name);
  add("object_relation", a.object_relation);
  add("object_meta_category", a.object_meta_category);
  add_tags(fields, name, a.tags);
}

inline NamedFields event_fields(const std::vector<MispEvent>& events) {
  NamedFields fields;
  fields.emplace_back("events.size", std::to_string(events.size()));
  for (std::size_t i = 0; i < events.size(); ++i) {
    const MispEvent& e = events[i];
    const std::string name = "event[" + std::to_string(i) + "]";
    const auto add = field_adder(fields, name);
    add("uuid", e.uuid);
    add("id", e.id);
    add("info", e.info);
    add("date", e.date);
    add("orgc_name", e.orgc_name);
    add("orgc_uuid", e.orgc_uuid);
    add("published", flag_text(e.published));
    add("timestamp", std::to_string(e.timestamp));
    add("publish_timestamp", std::to_string(e.publish_timestamp));
    add("threat_level_id", std::to_string(e.threat_level_id));
    add_tags(fields, name, e.tags);
    add("attributes.size", std::to_string(e.attributes.size()));
    for (std::size_t j = 0; j < e.attributes.size(); ++j) {
      add_attribute(fields,
                    name + ".attributes[" + std::to_string(j) + "]",
                    e.attributes[j]);
    }
  }
  return fields;
}

inline NamedFields
failure_fields(const std::vector<EventParseFailure>& failures) {
  NamedFields fields;
  fields.emplace_back("failures.size", std::to_string(failures.size()));
  for (std::size_t i = 0; i < failures.size(); ++i) {
    const std::string name = "failure[" + std::to_string(i) + "]";
    fields.emplace_back(name + ".index", std::to_string(failures[i].index));
    fields.emplace_back(name + ".uuid", failures[i].uuid);
    fields.emplace_back(name + ".message", failures[i].message);
  }
  return fields;
}

// The first field where `a` and `b` differ, or "" when they are equal.
inline std::string first_difference(const NamedFields& a,
                                    const NamedFields& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] != b[i]) {
      return a[i].first + ": " + a[i].second + " | " + b[i].first + ": "
             + b[i].second;
    }
  }
  if (a.size() != b.size()) {
    return "one has " + std::to_string(a.size()) + " fields, the other "
           + std::to_string(b.size());
  }
  return "";
}

} // namespace m2s::test
