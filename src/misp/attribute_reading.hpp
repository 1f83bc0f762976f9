#pragma once

// --- One attribute, and the MISP object around some, as read so far ---

#include "field_errors.hpp"
#include "misp2sentinel/misp/event.hpp"
#include "tag_reading.hpp"

#include <optional>
#include <string>
#include <vector>

namespace m2s::misp_json {

// An attribute's fields in checking order.
enum class AttributeSlot {
  uuid,
  type,
  category,
  value,
  comment,
  to_ids,
  deleted,
  timestamp,
  first_seen,
  last_seen,
  tags, // held by the chosen TagList, not here
  object_relation,
  count,
};

// A missing uuid is kept as "": one odd attribute must not block its
// event; the converter skips it and counts it ("missing uuid").
struct AttributeReading {
  MispAttribute* attribute = nullptr; // filled in place, in its event
  bool in_object = false;             // only then is object_relation read
  TagLists tags;
  FieldErrors<AttributeSlot> errors;

  void start(MispAttribute& target, bool inside_object);

  // Moves the chosen tags in, or returns the first problem, its path
  // relative to the attribute.
  [[nodiscard]] std::optional<FieldError> finish();
};

// A MISP object's fields in checking order.
enum class ObjectSlot {
  uuid,
  name,
  meta_category,
  deleted,
  attributes,
  count,
};

// The object context of flattened attributes: they are appended to the
// event's list from `first_attribute` on while the object is read, and
// get the context when it ends, since "uuid" may follow "Attribute".
struct ObjectReading {
  std::string uuid;
  std::string name;
  std::string meta_category;
  bool deleted = false;
  std::size_t first_attribute = 0;
  FieldErrors<ObjectSlot> errors;

  void start(std::size_t first);

  // Gives attributes[first_attribute...] the object's context (those of a
  // deleted object are marked deleted), or returns the first problem.
  [[nodiscard]] std::optional<FieldError>
  finish(std::vector<MispAttribute>& attributes) const;
};

} // namespace m2s::misp_json
