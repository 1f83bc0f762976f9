#include "misp_keys.hpp"

#include <array>

namespace m2s::misp_json {

namespace {

constexpr std::array<std::string_view, 29> k_names = {
    "",
    "response",
    "Event",
    "uuid",
    "id",
    "info",
    "date",
    "Orgc",
    "name",
    "published",
    "timestamp",
    "publish_timestamp",
    "threat_level_id",
    "Tag",
    "EventTag",
    "AttributeTag",
    "Attribute",
    "Object",
    "type",
    "category",
    "value",
    "comment",
    "to_ids",
    "deleted",
    "first_seen",
    "last_seen",
    "object_relation",
    "meta-category",
    "local",
};

static_assert(k_names.size() == static_cast<std::size_t>(MispKey::local) + 1);

} // namespace

std::string_view key_name(MispKey key) noexcept {
  return k_names[static_cast<std::size_t>(key)];
}

// Length and first character tell every known key apart, so one compare
// settles each key: this runs for every member of every attribute.
MispKey misp_key(std::string_view text) noexcept {
  const auto exactly = [text](MispKey key) {
    return text == key_name(key) ? key : MispKey::other;
  };
  const auto first = [text](MispKey candidate) {
    return key_name(candidate).front() == text.front();
  };

  if (text.empty()) {
    return MispKey::other;
  }

  using enum MispKey;
  switch (text.size()) {
  case 2:
    return exactly(id);
  case 3:
    return exactly(tag);
  case 4:
    for (const MispKey key : {uuid, info, date, orgc, name, type}) {
      if (first(key)) {
        return exactly(key);
      }
    }
    return other;
  case 5:
    for (const MispKey key : {event, value, local}) {
      if (first(key)) {
        return exactly(key);
      }
    }
    return other;
  case 6:
    return first(object) ? exactly(object) : exactly(to_ids);
  case 7:
    return first(comment) ? exactly(comment) : exactly(deleted);
  case 8:
    for (const MispKey key : {response, category, event_tag}) {
      if (first(key)) {
        return exactly(key);
      }
    }
    return other;
  case 9:
    for (const MispKey key : {published, timestamp, attribute, last_seen}) {
      if (first(key)) {
        return exactly(key);
      }
    }
    return other;
  case 10:
    return exactly(first_seen);
  case 12:
    return exactly(attribute_tag);
  case 13:
    return exactly(meta_category);
  case 15:
    return first(object_relation) ? exactly(object_relation)
                                  : exactly(threat_level_id);
  case 17:
    return exactly(publish_timestamp);
  default:
    return other;
  }
}

} // namespace m2s::misp_json
