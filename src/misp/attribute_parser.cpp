#include "event_json.hpp"
#include "json_fields.hpp"

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include <string>

namespace m2s::misp_json {

namespace {

// The object context of a flattened attribute.
struct ObjectContext {
  std::string uuid;
  std::string name;
  std::string meta_category;
  bool deleted = false;
};

// A missing uuid is kept as "": one odd attribute must not block its
// event; the converter skips it and counts it ("missing uuid").
MispAttribute read_attribute(const boost::json::object& json) {
  MispAttribute attribute;
  attribute.uuid = read_string(json, "uuid");
  attribute.type = read_string(json, "type");
  attribute.category = read_string(json, "category");
  attribute.value = read_string(json, "value");
  attribute.comment = read_string(json, "comment");
  attribute.to_ids = read_bool(json, "to_ids", false);
  attribute.deleted = read_bool(json, "deleted", false);
  attribute.timestamp = read_epoch_seconds(json, "timestamp");
  attribute.first_seen = read_optional_string(json, "first_seen");
  attribute.last_seen = read_optional_string(json, "last_seen");
  attribute.tags = read_tags(json);
  return attribute;
}

void read_attribute_list(const boost::json::object& owner,
                         const ObjectContext* object,
                         std::vector<MispAttribute>& out) {
  const boost::json::array* list = read_array(owner, "Attribute");
  if (list == nullptr) {
    return;
  }

  for (std::size_t i = 0; i < list->size(); ++i) {
    const boost::json::object& json = object_at(*list, i, "Attribute");
    MispAttribute attribute;
    try {
      attribute = read_attribute(json);
      if (object != nullptr) {
        attribute.object_relation = read_string(json, "object_relation");
      }
    } catch (const JsonFieldError& error) {
      throw error.within(fmt::format("Attribute[{}]", i));
    }

    if (object != nullptr) {
      attribute.object_uuid = object->uuid;
      attribute.object_name = object->name;
      attribute.object_meta_category = object->meta_category;
      attribute.deleted = attribute.deleted || object->deleted;
    }
    out.push_back(std::move(attribute));
  }
}

void read_misp_object(const boost::json::object& json,
                      std::vector<MispAttribute>& out) {
  ObjectContext object;
  object.uuid = read_string(json, "uuid");
  object.name = read_string(json, "name");
  object.meta_category = read_string(json, "meta-category");
  object.deleted = read_bool(json, "deleted", false);
  read_attribute_list(json, &object, out);
}

} // namespace

std::vector<MispAttribute> read_attributes(const boost::json::object& event) {
  std::vector<MispAttribute> attributes;
  read_attribute_list(event, nullptr, attributes);

  const boost::json::array* objects = read_array(event, "Object");
  if (objects == nullptr) {
    return attributes;
  }

  for (std::size_t i = 0; i < objects->size(); ++i) {
    const boost::json::object& json = object_at(*objects, i, "Object");
    try {
      read_misp_object(json, attributes);
    } catch (const JsonFieldError& error) {
      throw error.within(fmt::format("Object[{}]", i));
    }
  }
  return attributes;
}

} // namespace m2s::misp_json
