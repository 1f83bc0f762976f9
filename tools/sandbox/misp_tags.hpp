#pragma once

// --- MISP's "tags" search filter ---
//
// Forms accepted: "tag", "!tag", "a&&b", ["a", "!b"], and
// {"OR": [...], "AND": [...], "NOT": [...]} (each a string or a list).
// Names match case-insensitively; '%' is a wildcard (tlp:%).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace m2s::sandbox {

struct TagFilter {
  // The event is selected if one of these is on the event or on any of its
  // attributes (object attributes included).
  std::vector<std::string> any_of;
  // ... and all of these are, each on the event or an attribute.
  std::vector<std::string> all_of;
  // Events carrying one of these at event level are excluded.
  std::vector<std::string> none_of;
  // The dict form's NOT also strips attributes carrying such a tag from
  // the events returned (MISP keys that on tags.NOT only).
  bool strip_attributes = false;

  [[nodiscard]] bool empty() const {
    return any_of.empty() && all_of.empty() && none_of.empty();
  }
};

// nullopt when `value` is none of the accepted forms.
[[nodiscard]] std::optional<TagFilter>
parse_tag_filter(const boost::json::value& value);

// The names in a MISP "Tag" list ([{"name": ...}, ...]); empty for null.
[[nodiscard]] std::vector<std::string>
tag_names(const boost::json::value* tags);

struct EventTags {
  std::vector<std::string> event_level;
  std::vector<std::string> anywhere; // event, attribute, object attribute
};

[[nodiscard]] EventTags collect_tags(const boost::json::object& event);

// `event_level_only`: match the event's own tags only (event_tags filter).
[[nodiscard]] bool tag_filter_selects(const TagFilter& filter,
                                      const EventTags& tags,
                                      bool event_level_only);

// True when one of `names` matches one of `patterns`.
[[nodiscard]] bool any_tag_matches(const std::vector<std::string>& patterns,
                                   const std::vector<std::string>& names);

} // namespace m2s::sandbox
