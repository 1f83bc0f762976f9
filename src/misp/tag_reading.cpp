#include "tag_reading.hpp"

namespace m2s::misp_json {

void TagLists::clear() {
  for (TagList* list : {&plain, &event_tag, &attribute_tag}) {
    list->present = false;
    list->tags.clear();
    list->error.reset();
  }
}

TagList& TagLists::of(MispKey key) {
  switch (key) {
  case MispKey::event_tag:
    return event_tag;
  case MispKey::attribute_tag:
    return attribute_tag;
  default:
    return plain;
  }
}

TagList* TagLists::chosen() {
  for (TagList* list : {&plain, &event_tag, &attribute_tag}) {
    if (list->present) {
      return list;
    }
  }
  return nullptr;
}

void TagItem::start(bool is_wrapped) {
  wrapped = is_wrapped;
  name.clear();
  local.reset();
  item_local.reset();
  inner = Inner::absent;
  errors.clear();
}

void TagItem::restart_inner(Inner inner_kind) {
  inner = inner_kind;
  name.clear();
  local.reset();
  errors.clear(TagSlot::tag);
  errors.clear(TagSlot::name);
  errors.clear(TagSlot::local);
}

std::optional<FieldError> TagItem::finish_into(std::vector<MispTag>& tags) {
  using Errors = FieldErrors<TagSlot>;

  // A wrapped element without a Tag object is no tag, and its own
  // "local" is then never looked at.
  bool fallback = false;
  if (wrapped) {
    if (inner != Inner::object) {
      const FieldError* error = errors.first(Errors::bit(TagSlot::tag));
      return error != nullptr ? std::optional(*error) : std::nullopt;
    }
    fallback = item_local.value_or(false);
  }

  if (const FieldError* error =
          errors.first(Errors::from(TagSlot::item_local))) {
    return *error;
  }
  if (!name.empty()) {
    tags.push_back({std::move(name), local.value_or(fallback)});
  }
  return std::nullopt;
}

} // namespace m2s::misp_json
