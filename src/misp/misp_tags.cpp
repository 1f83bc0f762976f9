#include "event_json.hpp"
#include "json_fields.hpp"

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include <string>

namespace m2s::misp_json {

namespace {

void add_tag(const boost::json::object& tag,
             bool local,
             std::vector<MispTag>& tags) {
  MispTag parsed;
  parsed.name = read_string(tag, "name");
  parsed.local = read_bool(tag, "local", local);
  if (!parsed.name.empty()) {
    tags.push_back(std::move(parsed));
  }
}

// Both shapes, one element each: {name, local} or {Tag: {...}, local}.
void read_tag_list(const boost::json::object& owner,
                   std::string_view key,
                   bool wrapped,
                   std::vector<MispTag>& tags) {
  const boost::json::array* list = read_array(owner, key);
  if (list == nullptr) {
    return;
  }

  for (std::size_t i = 0; i < list->size(); ++i) {
    const boost::json::object& item = object_at(*list, i, key);
    try {
      if (!wrapped) {
        add_tag(item, false, tags);
      } else if (const boost::json::object* tag = read_object(item, "Tag")) {
        add_tag(*tag, read_bool(item, "local", false), tags);
      }
    } catch (const JsonFieldError& error) {
      throw error.within(fmt::format("{}[{}]", key, i));
    }
  }
}

} // namespace

std::vector<MispTag> read_tags(const boost::json::object& owner) {
  std::vector<MispTag> tags;
  if (owner.contains("Tag")) {
    read_tag_list(owner, "Tag", false, tags);
  } else if (owner.contains("EventTag")) {
    read_tag_list(owner, "EventTag", true, tags);
  } else if (owner.contains("AttributeTag")) {
    read_tag_list(owner, "AttributeTag", true, tags);
  }
  return tags;
}

} // namespace m2s::misp_json
