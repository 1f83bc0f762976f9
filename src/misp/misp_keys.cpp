#include "misp_keys.hpp"

#include <string>

namespace m2s::misp_json {

namespace {

// `key` when `text` (of the name's length) is its name. The length is a
// constant, so the compiler compares a word or two instead of calling
// memcmp: this runs for every member of every attribute.
template <std::size_t N>
constexpr MispKey
if_named(std::string_view text, const char (&name)[N], MispKey key) noexcept {
  return std::char_traits<char>::compare(text.data(), name, N - 1) == 0
             ? key
             : MispKey::other;
}

// Length and first character tell every known key apart, so one compare
// settles each key.
constexpr MispKey key_of(std::string_view text) noexcept {
  using enum MispKey;
  if (text.empty()) {
    return other;
  }

  const char first = text.front();
  switch (text.size()) {
  case 2:
    return if_named(text, "id", id);
  case 3:
    return if_named(text, "Tag", tag);
  case 4:
    switch (first) {
    case 'u':
      return if_named(text, "uuid", uuid);
    case 'i':
      return if_named(text, "info", info);
    case 'd':
      return if_named(text, "date", date);
    case 'O':
      return if_named(text, "Orgc", orgc);
    case 'n':
      return if_named(text, "name", name);
    default:
      return if_named(text, "type", type);
    }
  case 5:
    switch (first) {
    case 'E':
      return if_named(text, "Event", event);
    case 'v':
      return if_named(text, "value", value);
    default:
      return if_named(text, "local", local);
    }
  case 6:
    return first == 'O' ? if_named(text, "Object", object)
                        : if_named(text, "to_ids", to_ids);
  case 7:
    return first == 'c' ? if_named(text, "comment", comment)
                        : if_named(text, "deleted", deleted);
  case 8:
    switch (first) {
    case 'r':
      return if_named(text, "response", response);
    case 'c':
      return if_named(text, "category", category);
    default:
      return if_named(text, "EventTag", event_tag);
    }
  case 9:
    switch (first) {
    case 'p':
      return if_named(text, "published", published);
    case 't':
      return if_named(text, "timestamp", timestamp);
    case 'A':
      return if_named(text, "Attribute", attribute);
    default:
      return if_named(text, "last_seen", last_seen);
    }
  case 10:
    return if_named(text, "first_seen", first_seen);
  case 12:
    return if_named(text, "AttributeTag", attribute_tag);
  case 13:
    return if_named(text, "meta-category", meta_category);
  case 15:
    switch (first) {
    case 'o':
      return if_named(text, "object_relation", object_relation);
    case 'a':
      return if_named(text, "attribute_count", attribute_count);
    default:
      return if_named(text, "threat_level_id", threat_level_id);
    }
  case 17:
    return if_named(text, "publish_timestamp", publish_timestamp);
  default:
    return other;
  }
}

// Every name is found again, and nothing else is.
constexpr bool names_round_trip() {
  for (std::size_t i = 1; i < detail::k_key_names.size(); ++i) {
    const auto key = static_cast<MispKey>(i);
    if (key_of(key_name(key)) != key) {
      return false;
    }
  }
  return key_of("uuids") == MispKey::other && key_of("Uuid") == MispKey::other
         && key_of("") == MispKey::other;
}

static_assert(names_round_trip());

} // namespace

MispKey misp_key(std::string_view text) noexcept {
  return key_of(text);
}

} // namespace m2s::misp_json
