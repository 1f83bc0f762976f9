#include "event_handler.hpp"

#include <stdexcept>

namespace m2s::misp_json {

using boost::json::kind;

EventHandler::EventHandler(std::string where, bool tolerant)
    : m_where(std::move(where)),
      m_tolerant(tolerant) {}

DocumentOutcome EventHandler::take_outcome() {
  return std::move(m_outcome);
}

// --- Parser callbacks ---

bool EventHandler::on_key_part(std::string_view part,
                               std::size_t,
                               error_code&) {
  if (m_skip_depth == 0) {
    m_key_text.append(part);
    m_key_split = true;
  }
  return true;
}

bool EventHandler::on_key(std::string_view last, std::size_t, error_code&) {
  if (m_skip_depth > 0) {
    return true;
  }

  if (!m_key_split) {
    m_key = misp_key(last);
    return true;
  }
  m_key_text.append(last);
  m_key = misp_key(m_key_text);
  m_key_text.clear();
  m_key_split = false;
  return true;
}

bool EventHandler::on_string_part(std::string_view part,
                                  std::size_t,
                                  error_code&) {
  if (m_skip_depth == 0) {
    m_value_text.append(part);
    m_value_split = true;
  }
  return true;
}

bool EventHandler::on_string(std::string_view last, std::size_t, error_code&) {
  if (m_skip_depth > 0) {
    return true;
  }

  JsonValueView value = value_of_kind(kind::string);
  if (!m_value_split) {
    value.text = last;
    begin_value(value);
    return true;
  }
  m_value_text.append(last);
  value.text = m_value_text;
  begin_value(value);
  m_value_text.clear();
  m_value_split = false;
  return true;
}

bool EventHandler::on_int64(std::int64_t number,
                            std::string_view,
                            error_code&) {
  JsonValueView value = value_of_kind(kind::int64);
  value.int64 = number;
  begin_value(value);
  return true;
}

bool EventHandler::on_uint64(std::uint64_t number,
                             std::string_view,
                             error_code&) {
  JsonValueView value = value_of_kind(kind::uint64);
  value.uint64 = number;
  begin_value(value);
  return true;
}

bool EventHandler::on_double(double number, std::string_view, error_code&) {
  JsonValueView value = value_of_kind(kind::double_);
  value.number = number;
  begin_value(value);
  return true;
}

bool EventHandler::on_bool(bool flag, error_code&) {
  JsonValueView value = value_of_kind(kind::bool_);
  value.boolean = flag;
  begin_value(value);
  return true;
}

bool EventHandler::on_null(error_code&) {
  begin_value(value_of_kind(kind::null));
  return true;
}

// --- Frames ---

void EventHandler::begin_value(const JsonValueView& value) {
  if (m_skip_depth > 0) {
    m_skip_depth += value.is_container() ? 1 : 0;
    return;
  }

  m_value_taken = false;
  route(m_frames[m_depth - 1], value);
  if (value.is_container() && !m_value_taken) {
    ++m_skip_depth;
  }
}

void EventHandler::end_container() {
  if (m_skip_depth > 0) {
    --m_skip_depth;
    return;
  }

  const Frame frame = m_frames[--m_depth];
  end_frame(frame);
}

void EventHandler::push(const Frame& frame) {
  if (m_depth == m_frames.size()) {
    throw std::logic_error("MISP event reader: frames nested too deep");
  }
  m_frames[m_depth++] = frame;
  m_value_taken = true;
}

// The list on top failed: the DOM reader would have stopped at the failing
// element, so the others are not read.
void EventHandler::skip_rest_of_list() {
  --m_depth;
  m_skip_depth = 1;
}

void EventHandler::route(Frame& frame, const JsonValueView& value) {
  switch (frame.kind) {
  case FrameKind::document:
    return read_document(value);
  case FrameKind::root:
    return read_root_member(frame, value);
  case FrameKind::response:
    return read_response_item(frame, value);
  case FrameKind::item:
    return read_item_member(frame, value);
  case FrameKind::event:
    return read_event_member(*frame.event, value);
  case FrameKind::orgc:
    return read_orgc_member(*frame.event, value);
  case FrameKind::tags:
    return read_tag_element(frame, value);
  case FrameKind::plain_tag:
  case FrameKind::inner_tag:
    return read_tag_member(value);
  case FrameKind::wrapped_tag:
    return read_wrapped_tag_member(value);
  case FrameKind::attributes:
    return read_attribute_element(frame, value);
  case FrameKind::attribute:
    return read_attribute_member(value);
  case FrameKind::objects:
    return read_object_element(frame, value);
  case FrameKind::object:
    return read_object_member(frame, value);
  }
}

void EventHandler::end_frame(const Frame& frame) {
  switch (frame.kind) {
  case FrameKind::root:
    return end_root();
  case FrameKind::item:
    return end_item(frame);
  case FrameKind::orgc:
    return end_orgc(frame);
  case FrameKind::plain_tag:
  case FrameKind::wrapped_tag:
    return end_tag(frame);
  case FrameKind::attributes:
    if (!frame.in_object) {
      frame.event->close_run();
    }
    return;
  case FrameKind::attribute:
    return end_attribute(frame);
  case FrameKind::objects:
    return frame.event->close_run();
  case FrameKind::object:
    return end_object(frame);
  default:
    return;
  }
}

} // namespace m2s::misp_json

// The parser is instantiated here, beside the callbacks, so that its loops
// call them inline; event_reader.cpp only declares it.
#include <boost/json/basic_parser_impl.hpp>

template class boost::json::basic_parser<m2s::misp_json::EventHandler>;
template boost::json::basic_parser<m2s::misp_json::EventHandler>::basic_parser(
    const boost::json::parse_options&, std::string&&, const bool&);
