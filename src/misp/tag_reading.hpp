#pragma once

// --- The tags of an event or attribute, read element by element ---
//
// An owner's tags come from `Tag[]` of {name, local} or, when it has no
// Tag key, from MISP's internal `EventTag[]`, else `AttributeTag[]`, of
// {Tag: {...}, local}. Which list counts is known only when the owner
// ends, so all three are read.

#include "field_errors.hpp"
#include "misp2sentinel/misp/event.hpp"
#include "misp_keys.hpp"

#include <optional>
#include <vector>

namespace m2s::misp_json {

// One list as read so far.
struct TagList {
  bool present = false; // its key appeared, even with null
  std::vector<MispTag> tags;
  // The first problem of the list, its path starting at the list's key.
  std::optional<FieldError> error;

  // The key appeared (again): an earlier occurrence no longer counts.
  void restart() {
    present = true;
    tags.clear();
    error.reset();
  }
};

struct TagLists {
  TagList plain;         // Tag
  TagList event_tag;     // EventTag
  TagList attribute_tag; // AttributeTag

  void clear();

  // `key` is MispKey::tag, event_tag or attribute_tag.
  [[nodiscard]] TagList& of(MispKey key);

  // The list that counts; null when the owner has none of the keys.
  [[nodiscard]] TagList* chosen();
};

// The fields of one list element, in checking order.
enum class TagSlot {
  tag,        // wrapped: "Tag" is no object
  item_local, // wrapped: the element's own "local"
  name,
  local, // plain: the element's; wrapped: its Tag's
  count,
};

// One element of a tag list as read so far.
struct TagItem {
  enum class Inner { absent, object, other };

  bool wrapped = false; // {Tag: {...}, local}, not {name, local}
  std::string name;
  std::optional<bool> local;
  std::optional<bool> item_local; // wrapped only
  Inner inner = Inner::absent;    // wrapped only: what "Tag" held
  FieldErrors<TagSlot> errors;

  void start(bool is_wrapped);

  // "Tag" appeared (again) in a wrapped element, holding `inner_kind`.
  void restart_inner(Inner inner_kind);

  // Adds the tag to `tags` (a tag without a name is skipped), or returns
  // the problem, its path relative to the element.
  [[nodiscard]] std::optional<FieldError>
  finish_into(std::vector<MispTag>& tags);
};

} // namespace m2s::misp_json
