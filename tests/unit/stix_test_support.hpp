#pragma once

// --- Helpers shared by the stix_*_test.cpp suites ---
//
// Hand-built MISP events, a reader for real MISP event files (the JSON
// parser of the misp module is not used, so these tests stand alone), and
// an independent reader for the literal of a single-comparison pattern.

#include "misp2sentinel/misp/event.hpp"
#include "misp2sentinel/stix/conversion.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace m2s::test {

inline constexpr const char* k_event_uuid =
    "5a610659-d718-4a1f-b020-04d80a016219";
inline constexpr const char* k_attribute_uuid =
    "5a611861-5388-4287-834c-04da0a016219";
inline constexpr const char* k_orgc_uuid =
    "55f6ea5e-51ac-4344-bc8c-4170950d210f";
inline constexpr std::int64_t k_attribute_timestamp = 1603642920;
inline constexpr std::int64_t k_event_timestamp = 1521226434;

inline MispAttribute make_attribute(std::string type,
                                    std::string value,
                                    std::string uuid = k_attribute_uuid) {
  MispAttribute attribute;
  attribute.uuid = std::move(uuid);
  attribute.type = std::move(type);
  attribute.category = "Network activity";
  attribute.value = std::move(value);
  attribute.to_ids = true;
  attribute.timestamp = k_attribute_timestamp;
  return attribute;
}

inline MispEvent make_event(std::vector<MispAttribute> attributes) {
  MispEvent event;
  event.uuid = k_event_uuid;
  event.id = "201";
  event.info = "OceanLotus: rastls";
  event.date = "2018-01-18";
  event.orgc_name = "ESET";
  event.orgc_uuid = k_orgc_uuid;
  event.timestamp = k_event_timestamp;
  event.attributes = std::move(attributes);
  return event;
}

inline EventConversion convert_one(MispAttribute attribute,
                                   const ConversionOptions& options = {}) {
  return convert_event(make_event({std::move(attribute)}), options);
}

// The unescaped literal of "[path = '<literal>']", or nullopt when the
// pattern is not of that form or the literal is not validly escaped (a
// lone backslash or an unescaped quote).
inline std::optional<std::string> pattern_literal(const std::string& pattern) {
  const std::string opener = " = '";
  const auto start = pattern.find(opener);
  if (pattern.empty() || pattern.front() != '[' || start == std::string::npos
      || !pattern.ends_with("']")) {
    return std::nullopt;
  }

  const std::string literal = pattern.substr(
      start + opener.size(), pattern.size() - start - opener.size() - 2);
  std::string value;
  for (std::size_t i = 0; i < literal.size(); ++i) {
    if (literal[i] == '\'') {
      return std::nullopt;
    }
    if (literal[i] == '\\') {
      if (i + 1 == literal.size()
          || (literal[i + 1] != '\\' && literal[i + 1] != '\'')) {
        return std::nullopt;
      }
      ++i;
    }
    value += literal[i];
  }
  return value;
}

namespace detail {

inline std::int64_t json_int(const boost::json::value& value) {
  if (value.is_string()) {
    return std::stoll(std::string(value.as_string()));
  }
  return value.to_number<std::int64_t>();
}

inline std::string json_string(const boost::json::object& object,
                               const char* key) {
  const auto* found = object.if_contains(key);
  if (found == nullptr || !found->is_string()) {
    return {};
  }
  return std::string(found->as_string());
}

inline bool json_bool(const boost::json::object& object, const char* key) {
  const auto* found = object.if_contains(key);
  if (found == nullptr) {
    return false;
  }
  if (found->is_bool()) {
    return found->as_bool();
  }
  if (found->is_string()) {
    return found->as_string() == "1" || found->as_string() == "true";
  }
  return found->to_number<std::int64_t>() != 0;
}

inline std::vector<MispTag> json_tags(const boost::json::object& object) {
  std::vector<MispTag> tags;
  if (const auto* list = object.if_contains("Tag")) {
    for (const auto& tag : list->as_array()) {
      const auto& fields = tag.as_object();
      tags.push_back(
          MispTag{json_string(fields, "name"), json_bool(fields, "local")});
    }
  }
  return tags;
}

inline std::optional<std::string> json_optional(const boost::json::object& o,
                                                const char* key) {
  const auto* found = o.if_contains(key);
  if (found == nullptr || !found->is_string()) {
    return std::nullopt;
  }
  return std::string(found->as_string());
}

inline MispAttribute json_attribute(const boost::json::object& object) {
  MispAttribute attribute;
  attribute.uuid = json_string(object, "uuid");
  attribute.type = json_string(object, "type");
  attribute.category = json_string(object, "category");
  attribute.value = json_string(object, "value");
  attribute.comment = json_string(object, "comment");
  attribute.to_ids = json_bool(object, "to_ids");
  attribute.deleted = json_bool(object, "deleted");
  attribute.timestamp = json_int(object.at("timestamp"));
  attribute.first_seen = json_optional(object, "first_seen");
  attribute.last_seen = json_optional(object, "last_seen");
  attribute.tags = json_tags(object);
  return attribute;
}

} // namespace detail

// A MISP event file ({"Event": ...}, {"response": [{"Event": ...}]} or a
// bare event) read by hand into the model, objects flattened.
inline MispEvent load_event_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    throw std::runtime_error("cannot open " + path);
  }
  std::stringstream text;
  text << file.rdbuf();
  const boost::json::value root = boost::json::parse(text.str());
  const boost::json::object* wrapper = &root.as_object();
  if (const auto* response = wrapper->if_contains("response")) {
    wrapper = &response->as_array().at(0).as_object();
  }
  const boost::json::object& json = wrapper->contains("Event")
                                        ? wrapper->at("Event").as_object()
                                        : *wrapper;

  MispEvent event;
  event.uuid = detail::json_string(json, "uuid");
  event.id = detail::json_string(json, "id");
  event.info = detail::json_string(json, "info");
  event.date = detail::json_string(json, "date");
  event.timestamp = detail::json_int(json.at("timestamp"));
  const auto& orgc = json.at("Orgc").as_object();
  event.orgc_name = detail::json_string(orgc, "name");
  event.orgc_uuid = detail::json_string(orgc, "uuid");
  event.tags = detail::json_tags(json);
  const boost::json::array none;
  const auto* attributes = json.if_contains("Attribute");
  for (const auto& attribute :
       attributes == nullptr ? none : attributes->as_array()) {
    event.attributes.push_back(detail::json_attribute(attribute.as_object()));
  }
  const auto* objects = json.if_contains("Object");
  for (const auto& object_value :
       objects == nullptr ? none : objects->as_array()) {
    const auto& object = object_value.as_object();
    for (const auto& attribute : object.at("Attribute").as_array()) {
      MispAttribute flat = detail::json_attribute(attribute.as_object());
      flat.deleted = flat.deleted || detail::json_bool(object, "deleted");
      flat.object_uuid = detail::json_string(object, "uuid");
      flat.object_name = detail::json_string(object, "name");
      flat.object_relation =
          detail::json_string(attribute.as_object(), "object_relation");
      flat.object_meta_category = detail::json_string(object, "meta-category");
      event.attributes.push_back(std::move(flat));
    }
  }
  return event;
}

} // namespace m2s::test
