// EventHandler: the document's shape. The top-level object is read as a
// wrapper and as a bare event at once; which one it is depends on keys
// that may come in any order, so it is settled when the object ends.

#include "event_handler.hpp"

#include <fmt/format.h>

namespace m2s::misp_json {

using boost::json::kind;

void EventHandler::read_document(const JsonValueView& value) {
  // Anything but an object has no event shape: the outcome says so.
  if (value.kind != kind::object) {
    return;
  }

  m_root_bare.start(0);
  m_root_wrapped = Wrapped::absent;
  m_response = Response{};
  push({.kind = FrameKind::root, .event = &m_root_bare});
}

void EventHandler::read_root_member(Frame& frame, const JsonValueView& value) {
  if (m_key == MispKey::response) {
    m_response = Response{};
    m_response.present = true;
    m_response.is_array = value.kind == kind::array;
    if (m_response.is_array) {
      push({.kind = FrameKind::response});
    }
    return;
  }

  if (m_key == MispKey::event) {
    m_root_wrapped =
        value.kind == kind::object ? Wrapped::object : Wrapped::other;
    if (value.kind == kind::object) {
      m_root_event.start(0);
      push({.kind = FrameKind::event, .event = &m_root_event});
    }
    return;
  }

  read_event_member(*frame.event, value);
}

void EventHandler::read_response_item(Frame& frame,
                                      const JsonValueView& value) {
  const std::size_t index = frame.next_index++;
  m_response.items = frame.next_index;

  // Strict: the first unreadable event fails the document.
  if (!m_tolerant && !m_response.failures.empty()) {
    return;
  }

  if (value.kind != kind::object) {
    m_response.failures.push_back({index, "", response_item_error(index)});
    return;
  }

  m_item_bare.start(index);
  m_item_wrapped = Wrapped::absent;
  push({.kind = FrameKind::item, .event = &m_item_bare, .index = index});
}

void EventHandler::read_item_member(Frame& frame, const JsonValueView& value) {
  if (m_key != MispKey::event) {
    read_event_member(*frame.event, value);
    return;
  }

  m_item_wrapped =
      value.kind == kind::object ? Wrapped::object : Wrapped::other;
  if (value.kind == kind::object) {
    m_item_event.start(frame.index);
    push({.kind = FrameKind::event, .event = &m_item_event});
  }
}

void EventHandler::end_item(const Frame& frame) {
  EventReading* event = nullptr;
  if (m_item_wrapped == Wrapped::object) {
    event = &m_item_event;
  } else if (m_item_wrapped == Wrapped::absent
             && m_item_bare.looks_like_event()) {
    event = &m_item_bare;
  }

  if (event == nullptr) {
    m_response.failures.push_back(
        {frame.index, "", response_item_error(frame.index)});
    return;
  }
  add_outcome(*event, m_response.events, m_response.failures);
}

// As the DOM reader decided: "response" first, then "Event", then the
// object itself when it has "uuid" or "Attribute".
void EventHandler::end_root() {
  ParsedEvents& parsed = m_outcome.parsed;

  if (m_response.present) {
    m_outcome.has_event_shape = m_response.is_array;
    parsed.events = std::move(m_response.events);
    parsed.failures = std::move(m_response.failures);
    parsed.listed = m_response.items;
    return;
  }

  EventReading* event = nullptr;
  if (m_root_wrapped != Wrapped::absent) {
    event = m_root_wrapped == Wrapped::object ? &m_root_event : nullptr;
  } else if (m_root_bare.looks_like_event()) {
    event = &m_root_bare;
  }

  if (event != nullptr) {
    m_outcome.has_event_shape = true;
    add_outcome(*event, parsed.events, parsed.failures);
    parsed.listed = 1;
  }
}

void EventHandler::add_outcome(EventReading& event,
                               std::vector<MispEvent>& events,
                               std::vector<EventParseFailure>& failures) {
  if (auto failure = event.finish(m_where)) {
    failures.push_back(std::move(*failure));
  } else {
    events.push_back(event.take());
  }
}

std::string EventHandler::response_item_error(std::size_t index) const {
  return fmt::format(
      "{}: response[{}]: expected {{\"Event\":{{...}}}}", m_where, index);
}

} // namespace m2s::misp_json
