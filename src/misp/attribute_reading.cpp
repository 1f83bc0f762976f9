#include "attribute_reading.hpp"

namespace m2s::misp_json {

void AttributeReading::start(MispAttribute& target, bool inside_object) {
  attribute = &target;
  in_object = inside_object;
  tags.clear();
  errors.clear();
}

std::optional<FieldError> AttributeReading::finish() {
  using Errors = FieldErrors<AttributeSlot>;

  TagList* chosen = tags.chosen();
  if (const auto* error = errors.first(Errors::before(AttributeSlot::tags))) {
    return *error;
  }
  if (chosen != nullptr && chosen->error) {
    return chosen->error;
  }
  if (const auto* error = errors.first(Errors::from(AttributeSlot::tags))) {
    return *error;
  }

  if (chosen != nullptr) {
    attribute->tags = std::move(chosen->tags);
  }
  return std::nullopt;
}

void ObjectReading::start(std::size_t first) {
  uuid.clear();
  name.clear();
  meta_category.clear();
  deleted = false;
  first_attribute = first;
  errors.clear();
}

std::optional<FieldError>
ObjectReading::finish(std::vector<MispAttribute>& attributes) const {
  if (const FieldError* error = errors.first()) {
    return *error;
  }

  for (std::size_t i = first_attribute; i < attributes.size(); ++i) {
    MispAttribute& attribute = attributes[i];
    attribute.object_uuid = uuid;
    attribute.object_name = name;
    attribute.object_meta_category = meta_category;
    attribute.deleted = attribute.deleted || deleted;
  }
  return std::nullopt;
}

} // namespace m2s::misp_json
