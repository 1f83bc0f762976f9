#include "misp_tags.hpp"

#include "json_util.hpp"
#include "text_util.hpp"

#include <algorithm>

namespace m2s::sandbox {

namespace {

// A plain entry: "!x" goes to none_of, anything else to `positive`.
void add_entry(std::string_view entry,
               std::vector<std::string>& positive,
               TagFilter& filter) {
  entry = trim(entry);
  if (entry.empty()) {
    return;
  }
  if (entry.front() == '!') {
    filter.none_of.emplace_back(entry.substr(1));
  } else {
    positive.emplace_back(entry);
  }
}

void add_string(std::string_view text, TagFilter& filter) {
  if (text.find("&&") == std::string_view::npos) {
    add_entry(text, filter.any_of, filter);
    return;
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t split = text.find("&&", start);
    add_entry(text.substr(start, split - start), filter.all_of, filter);
    if (split == std::string_view::npos) {
      return;
    }
    start = split + 2;
  }
}

// A string or a list of strings into `out`; false for anything else.
bool read_names(const boost::json::value& value,
                std::vector<std::string>& out) {
  if (const auto* text = value.if_string()) {
    out.emplace_back(*text);
    return true;
  }
  const auto* list = value.if_array();
  if (list == nullptr) {
    return false;
  }
  for (const auto& item : *list) {
    if (!item.is_string()) {
      return false;
    }
    out.emplace_back(item.get_string());
  }
  return true;
}

std::optional<TagFilter> parse_dict(const boost::json::object& dict) {
  TagFilter filter;
  for (const auto& [key, value] : dict) {
    const std::string name = to_lower(std::string_view(key));
    std::vector<std::string>* target = nullptr;
    if (name == "or") {
      target = &filter.any_of;
    } else if (name == "and") {
      target = &filter.all_of;
    } else if (name == "not") {
      target = &filter.none_of;
    }
    if (target == nullptr || !read_names(value, *target)) {
      return std::nullopt;
    }
  }
  filter.strip_attributes = !filter.none_of.empty();
  return filter;
}

void append_tags(const boost::json::value* tags,
                 std::vector<std::string>& out) {
  auto names = tag_names(tags);
  out.insert(out.end(), names.begin(), names.end());
}

void append_attribute_tags(const boost::json::value* attributes,
                           std::vector<std::string>& out) {
  const auto* list = attributes != nullptr ? attributes->if_array() : nullptr;
  if (list == nullptr) {
    return;
  }
  for (const auto& attribute : *list) {
    if (const auto* fields = attribute.if_object()) {
      append_tags(fields->if_contains("Tag"), out);
    }
  }
}

} // namespace

std::optional<TagFilter> parse_tag_filter(const boost::json::value& value) {
  if (value.is_null()) {
    return TagFilter{};
  }
  if (const auto* dict = value.if_object()) {
    return parse_dict(*dict);
  }

  TagFilter filter;
  if (const auto* text = value.if_string()) {
    add_string(std::string_view(text->data(), text->size()), filter);
    return filter;
  }
  const auto* list = value.if_array();
  if (list == nullptr) {
    return std::nullopt;
  }
  for (const auto& item : *list) {
    if (!item.is_string()) {
      return std::nullopt;
    }
    const auto& text = item.get_string();
    add_entry(
        std::string_view(text.data(), text.size()), filter.any_of, filter);
  }
  return filter;
}

std::vector<std::string> tag_names(const boost::json::value* tags) {
  std::vector<std::string> names;
  const auto* list = tags != nullptr ? tags->if_array() : nullptr;
  if (list == nullptr) {
    return names;
  }
  for (const auto& tag : *list) {
    if (const auto* fields = tag.if_object()) {
      if (const auto name = string_member(*fields, "name")) {
        names.emplace_back(*name);
      }
    }
  }
  return names;
}

EventTags collect_tags(const boost::json::object& event) {
  EventTags tags;
  tags.event_level = tag_names(event.if_contains("Tag"));
  tags.anywhere = tags.event_level;
  append_attribute_tags(event.if_contains("Attribute"), tags.anywhere);

  const auto* objects = event.if_contains("Object");
  if (const auto* list = objects != nullptr ? objects->if_array() : nullptr) {
    for (const auto& object : *list) {
      if (const auto* fields = object.if_object()) {
        append_attribute_tags(fields->if_contains("Attribute"), tags.anywhere);
      }
    }
  }
  return tags;
}

bool any_tag_matches(const std::vector<std::string>& patterns,
                     const std::vector<std::string>& names) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const auto& p) {
    return std::any_of(names.begin(), names.end(), [&](const auto& name) {
      return like_match(p, name);
    });
  });
}

bool tag_filter_selects(const TagFilter& filter,
                        const EventTags& tags,
                        bool event_level_only) {
  const auto& scope = event_level_only ? tags.event_level : tags.anywhere;
  if (!filter.any_of.empty() && !any_tag_matches(filter.any_of, scope)) {
    return false;
  }
  for (const auto& required : filter.all_of) {
    if (!any_tag_matches({required}, scope)) {
      return false;
    }
  }
  return !any_tag_matches(filter.none_of, tags.event_level);
}

} // namespace m2s::sandbox
