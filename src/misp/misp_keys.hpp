#pragma once

// --- The member names of MISP JSON that the event reader acts on ---
//
// Keys are matched once, as they arrive, so that the reader never stores
// one and each object routes on a small enum.

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
};

// The key as MISP spells it ("Attribute", "meta-category"); "" for other.
[[nodiscard]] std::string_view key_name(MispKey key) noexcept;

// Which known key `text` is; MispKey::other when none.
[[nodiscard]] MispKey misp_key(std::string_view text) noexcept;

} // namespace m2s::misp_json
