#pragma once

// --- The member names of MISP JSON that the event reader acts on ---
//
// Keys are matched once, as they arrive, so that the reader never stores
// one and each object routes on a small enum.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace m2s::misp_json {

enum class MispKey : std::uint8_t {
  other, // any key the reader skips
  response,
  event,
  uuid,
  id,
  info,
  date,
  orgc,
  name,
  published,
  timestamp,
  publish_timestamp,
  threat_level_id,
  tag,
  event_tag,
  attribute_tag,
  attribute,
  object,
  type,
  category,
  value,
  comment,
  to_ids,
  deleted,
  first_seen,
  last_seen,
  object_relation,
  meta_category,
  local,
  attribute_count,
};

namespace detail {

inline constexpr std::array<std::string_view, 30> k_key_names = {
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
    "attribute_count",
};

static_assert(k_key_names.size()
              == static_cast<std::size_t>(MispKey::attribute_count) + 1);

} // namespace detail

// The key as MISP spells it ("Attribute", "meta-category"); "" for other.
[[nodiscard]] constexpr std::string_view key_name(MispKey key) noexcept {
  return detail::k_key_names[static_cast<std::size_t>(key)];
}

// Which known key `text` is; MispKey::other when none.
[[nodiscard]] MispKey misp_key(std::string_view text) noexcept;

} // namespace m2s::misp_json
