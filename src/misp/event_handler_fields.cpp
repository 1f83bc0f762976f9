// EventHandler: the members of an event, its Orgc, tags, attributes and
// MISP objects. Each field is read when its value arrives; its problem,
// if any, waits in the owner's FieldErrors until the owner ends.

#include "event_handler.hpp"
#include "lenient_values.hpp"

#include <fmt/format.h>

namespace m2s::misp_json {

namespace {

using boost::json::kind;

std::string element_path(MispKey list, std::size_t index) {
  return fmt::format("{}[{}]", key_name(list), index);
}

} // namespace

void EventHandler::read_event_member(EventReading& reading,
                                     const JsonValueView& value) {
  MispEvent& event = reading.event();
  auto& errors = reading.errors;
  const std::string_view key = key_name(m_key);

  switch (m_key) {
  case MispKey::uuid:
    return reading.read_uuid(value);
  case MispKey::id:
    return errors.note(EventSlot::id, key, read_string(value, event.id));
  case MispKey::info:
    return reading.read_info(value);
  case MispKey::date:
    return errors.note(EventSlot::date, key, read_string(value, event.date));
  case MispKey::orgc:
    event.orgc_name.clear();
    event.orgc_uuid.clear();
    reading.orgc_errors.clear();
    errors.note(EventSlot::orgc, key, expect_container(value, kind::object));
    if (value.kind == kind::object) {
      push({.kind = FrameKind::orgc, .event = &reading});
    }
    return;
  case MispKey::published:
    return errors.note(
        EventSlot::published, key, read_bool(value, false, event.published));
  case MispKey::timestamp:
    return errors.note(
        EventSlot::timestamp, key, read_epoch_seconds(value, event.timestamp));
  case MispKey::publish_timestamp:
    return errors.note(EventSlot::publish_timestamp,
                       key,
                       read_epoch_seconds(value, event.publish_timestamp));
  case MispKey::threat_level_id: {
    // Not event.threat_level_id: an earlier occurrence may have set it.
    constexpr std::int64_t k_undefined = 4;
    std::int64_t level = k_undefined;
    errors.note(
        EventSlot::threat_level_id, key, read_int(value, k_undefined, level));
    event.threat_level_id = static_cast<int>(level);
    return;
  }
  case MispKey::tag:
  case MispKey::event_tag:
  case MispKey::attribute_tag:
    return read_tag_list(reading.tags.of(m_key), value);
  case MispKey::attribute:
    return read_attribute_list(reading, false, value);
  case MispKey::attribute_count:
    return reading.expect_attributes(value);
  case MispKey::object:
    reading.open_run(AttributeRun::objects);
    errors.note(EventSlot::objects, key, expect_container(value, kind::array));
    if (value.kind == kind::array) {
      push({.kind = FrameKind::objects, .event = &reading});
    } else {
      reading.close_run();
    }
    return;
  default:
    return;
  }
}

void EventHandler::read_orgc_member(EventReading& reading,
                                    const JsonValueView& value) {
  MispEvent& event = reading.event();
  if (m_key == MispKey::name) {
    reading.orgc_errors.note(
        OrgcSlot::name, "name", read_string(value, event.orgc_name));
  } else if (m_key == MispKey::uuid) {
    reading.orgc_errors.note(
        OrgcSlot::uuid, "uuid", read_string(value, event.orgc_uuid));
  }
}

void EventHandler::end_orgc(const Frame& frame) {
  EventReading& reading = *frame.event;
  if (const FieldError* error = reading.orgc_errors.first()) {
    reading.errors.set(EventSlot::orgc, error->within("Orgc"));
  }
}

// --- Tags ---

void EventHandler::read_tag_list(TagList& list, const JsonValueView& value) {
  list.restart();
  if (Problem problem = expect_container(value, kind::array)) {
    list.error = FieldError{std::string(key_name(m_key)), std::move(*problem)};
    return;
  }
  if (value.kind == kind::array) {
    push({.kind = FrameKind::tags, .tags = &list, .list_key = m_key});
  }
}

void EventHandler::read_tag_element(Frame& frame, const JsonValueView& value) {
  const std::size_t index = frame.next_index++;
  if (value.kind != kind::object) {
    frame.tags->error =
        FieldError{element_path(frame.list_key, index), not_an_object(value)};
    return skip_rest_of_list();
  }

  const bool wrapped = frame.list_key != MispKey::tag;
  m_tag.start(wrapped);
  push({.kind = wrapped ? FrameKind::wrapped_tag : FrameKind::plain_tag,
        .tags = frame.tags,
        .list_key = frame.list_key,
        .index = index});
}

void EventHandler::read_tag_member(const JsonValueView& value) {
  if (m_key == MispKey::name) {
    m_tag.errors.note(TagSlot::name, "name", read_string(value, m_tag.name));
  } else if (m_key == MispKey::local) {
    m_tag.errors.note(TagSlot::local, "local", read_bool(value, m_tag.local));
  }
}

void EventHandler::read_wrapped_tag_member(const JsonValueView& value) {
  if (m_key == MispKey::local) {
    m_tag.errors.note(
        TagSlot::item_local, "local", read_bool(value, m_tag.item_local));
    return;
  }
  if (m_key != MispKey::tag) {
    return;
  }

  using Inner = TagItem::Inner;
  m_tag.restart_inner(value.kind == kind::object ? Inner::object
                      : value.kind == kind::null ? Inner::absent
                                                 : Inner::other);
  m_tag.errors.note(TagSlot::tag, "Tag", expect_container(value, kind::object));
  if (value.kind == kind::object) {
    push({.kind = FrameKind::inner_tag});
  }
}

void EventHandler::end_tag(const Frame& frame) {
  if (auto error = m_tag.finish_into(frame.tags->tags)) {
    frame.tags->error =
        error->within(element_path(frame.list_key, frame.index));
    skip_rest_of_list();
  }
}

// --- Attributes ---

void EventHandler::read_attribute_list(EventReading& reading,
                                       bool in_object,
                                       const JsonValueView& value) {
  Problem problem = expect_container(value, kind::array);
  if (in_object) {
    reading.truncate_attributes(m_object.first_attribute);
    m_object.errors.note(ObjectSlot::attributes, "Attribute", problem);
  } else {
    reading.open_run(AttributeRun::own);
    reading.errors.note(EventSlot::attributes, "Attribute", problem);
  }

  if (value.kind == kind::array) {
    push({.kind = FrameKind::attributes,
          .event = &reading,
          .in_object = in_object});
  } else if (!in_object) {
    reading.close_run();
  }
}

void EventHandler::read_attribute_element(Frame& frame,
                                          const JsonValueView& value) {
  const std::size_t index = frame.next_index++;
  if (value.kind != kind::object) {
    return fail_attribute_list(
        frame,
        FieldError{element_path(MispKey::attribute, index),
                   not_an_object(value)});
  }

  m_attribute.start(frame.event->add_attribute(), frame.in_object);
  push({.kind = FrameKind::attribute,
        .event = frame.event,
        .in_object = frame.in_object,
        .index = index});
}

void EventHandler::read_attribute_member(const JsonValueView& value) {
  MispAttribute& attribute = *m_attribute.attribute;
  auto& errors = m_attribute.errors;
  const std::string_view key = key_name(m_key);

  switch (m_key) {
  case MispKey::uuid:
    return errors.note(
        AttributeSlot::uuid, key, read_string(value, attribute.uuid));
  case MispKey::type:
    return errors.note(
        AttributeSlot::type, key, read_string(value, attribute.type));
  case MispKey::category:
    return errors.note(
        AttributeSlot::category, key, read_string(value, attribute.category));
  case MispKey::value:
    return errors.note(
        AttributeSlot::value, key, read_string(value, attribute.value));
  case MispKey::comment:
    return errors.note(
        AttributeSlot::comment, key, read_string(value, attribute.comment));
  case MispKey::to_ids:
    return errors.note(
        AttributeSlot::to_ids, key, read_bool(value, false, attribute.to_ids));
  case MispKey::deleted:
    return errors.note(AttributeSlot::deleted,
                       key,
                       read_bool(value, false, attribute.deleted));
  case MispKey::timestamp:
    return errors.note(AttributeSlot::timestamp,
                       key,
                       read_epoch_seconds(value, attribute.timestamp));
  case MispKey::first_seen:
    return errors.note(AttributeSlot::first_seen,
                       key,
                       read_optional_string(value, attribute.first_seen));
  case MispKey::last_seen:
    return errors.note(AttributeSlot::last_seen,
                       key,
                       read_optional_string(value, attribute.last_seen));
  case MispKey::tag:
  case MispKey::event_tag:
  case MispKey::attribute_tag:
    return read_tag_list(m_attribute.tags.of(m_key), value);
  case MispKey::object_relation:
    if (m_attribute.in_object) {
      errors.note(AttributeSlot::object_relation,
                  key,
                  read_string(value, attribute.object_relation));
    }
    return;
  default:
    return;
  }
}

void EventHandler::end_attribute(const Frame& frame) {
  if (auto error = m_attribute.finish()) {
    frame.event->drop_last_attribute();
    fail_attribute_list(
        frame, error->within(element_path(MispKey::attribute, frame.index)));
  }
}

// `frame` is the list's or one of its elements'. The event fails unless a
// later "Attribute" key replaces the list, so what it read is dropped now.
void EventHandler::fail_attribute_list(const Frame& frame, FieldError error) {
  if (frame.in_object) {
    m_object.errors.set(ObjectSlot::attributes, std::move(error));
    frame.event->truncate_attributes(m_object.first_attribute);
  } else {
    frame.event->errors.set(EventSlot::attributes, std::move(error));
    frame.event->drop_run();
  }
  skip_rest_of_list();
}

// --- MISP objects ---

void EventHandler::read_object_element(Frame& frame,
                                       const JsonValueView& value) {
  const std::size_t index = frame.next_index++;
  if (value.kind != kind::object) {
    frame.event->errors.set(
        EventSlot::objects,
        {element_path(MispKey::object, index), not_an_object(value)});
    frame.event->drop_run();
    return skip_rest_of_list();
  }

  m_object.start(frame.event->event().attributes.size());
  push({.kind = FrameKind::object, .event = frame.event, .index = index});
}

void EventHandler::read_object_member(Frame& frame,
                                      const JsonValueView& value) {
  auto& errors = m_object.errors;
  const std::string_view key = key_name(m_key);

  switch (m_key) {
  case MispKey::uuid:
    return errors.note(
        ObjectSlot::uuid, key, read_string(value, m_object.uuid));
  case MispKey::name:
    return errors.note(
        ObjectSlot::name, key, read_string(value, m_object.name));
  case MispKey::meta_category:
    return errors.note(ObjectSlot::meta_category,
                       key,
                       read_string(value, m_object.meta_category));
  case MispKey::deleted:
    return errors.note(
        ObjectSlot::deleted, key, read_bool(value, false, m_object.deleted));
  case MispKey::attribute:
    return read_attribute_list(*frame.event, true, value);
  default:
    return;
  }
}

void EventHandler::end_object(const Frame& frame) {
  EventReading& reading = *frame.event;
  if (auto error = m_object.finish(reading.event().attributes)) {
    reading.errors.set(
        EventSlot::objects,
        error->within(element_path(MispKey::object, frame.index)));
    reading.drop_run();
    skip_rest_of_list();
  }
}

} // namespace m2s::misp_json
