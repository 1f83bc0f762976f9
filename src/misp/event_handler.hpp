#pragma once

// --- The handler behind boost::json::basic_parser for MISP events ---
//
// Routes the parser's callbacks into MispEvents as they come: a key is
// matched once (misp_keys.hpp), a value is judged as it arrives
// (lenient_values.hpp), and every member the reader does not use is
// skipped without being stored. The three shapes of a document are read
// at the same time, since a deciding key ("response", "Event") may come
// last; take_outcome() tells which one the document has, decided as the
// DOM reader decided it.

#include "attribute_reading.hpp"
#include "event_reading.hpp"
#include "json_value_view.hpp"
#include "misp_keys.hpp"
#include "tag_reading.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/system/error_code.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace m2s::misp_json {

struct DocumentOutcome {
  // false: the document is none of {"response":[...]}, {"Event":{...}}
  // and an event object.
  bool has_event_shape = false;
  ParsedEvents parsed;
};

class EventHandler {
public:
  // The DOM's limits, so that a document too large for it fails alike.
  static constexpr std::size_t max_object_size =
      boost::json::object::max_size();
  static constexpr std::size_t max_array_size = boost::json::array::max_size();
  static constexpr std::size_t max_key_size = boost::json::string::max_size();
  static constexpr std::size_t max_string_size =
      boost::json::string::max_size();

  // `tolerant` false: after the first unreadable event of a response the
  // others are skipped, since that one fails the document.
  EventHandler(std::string where, bool tolerant);

  // Valid once the parser has finished without error.
  [[nodiscard]] DocumentOutcome take_outcome();

  using error_code = boost::system::error_code;

  bool on_document_begin(error_code&) {
    return true;
  }

  bool on_document_end(error_code&) {
    return true;
  }

  bool on_object_begin(error_code&) {
    begin_value(value_of_kind(boost::json::kind::object));
    return true;
  }

  bool on_object_end(std::size_t, error_code&) {
    end_container();
    return true;
  }

  bool on_array_begin(error_code&) {
    begin_value(value_of_kind(boost::json::kind::array));
    return true;
  }

  bool on_array_end(std::size_t, error_code&) {
    end_container();
    return true;
  }

  bool on_key_part(std::string_view part, std::size_t, error_code&);
  bool on_key(std::string_view last, std::size_t, error_code&);
  bool on_string_part(std::string_view part, std::size_t, error_code&);
  bool on_string(std::string_view last, std::size_t, error_code&);

  bool on_number_part(std::string_view, error_code&) {
    return true;
  }

  bool on_int64(std::int64_t number, std::string_view, error_code&);
  bool on_uint64(std::uint64_t number, std::string_view, error_code&);
  bool on_double(double number, std::string_view, error_code&);
  bool on_bool(bool flag, error_code&);
  bool on_null(error_code&);

  bool on_comment_part(std::string_view, error_code&) {
    return true;
  }

  bool on_comment(std::string_view, error_code&) {
    return true;
  }

private:
  enum class FrameKind : std::uint8_t {
    document,    // the top level
    root,        // the top-level object: a wrapper or a bare event
    response,    // root "response" list
    item,        // one of its elements: {"Event":...} or a bare event
    event,       // the value of "Event"
    orgc,        // an event's "Orgc"
    tags,        // a Tag / EventTag / AttributeTag list
    plain_tag,   // {name, local}
    wrapped_tag, // {Tag: {...}, local}
    inner_tag,   // its "Tag"
    attributes,  // an Attribute list of an event or MISP object
    attribute,
    objects, // an event's Object list
    object,
  };

  // What a container being read means. Containers the reader skips get
  // no frame (see m_skip_depth).
  struct Frame {
    FrameKind kind = FrameKind::document;
    EventReading* event = nullptr;     // the event read into, if any
    TagList* tags = nullptr;           // tag frames: their list
    MispKey list_key = MispKey::other; // tag frames: the list's key
    bool in_object = false;            // attributes: of a MISP object
    std::size_t index = 0;             // elements: the index in their list
    std::size_t next_index = 0;        // lists: the next element's index
  };

  // What the "Event" member of the root or an item held.
  enum class Wrapped { absent, object, other };

  struct Response {
    bool present = false;
    bool is_array = false;
    std::size_t items = 0;
    std::vector<MispEvent> events;
    std::vector<EventParseFailure> failures;
  };

  // A value with nothing but its kind: null, or an array or object begun.
  static JsonValueView value_of_kind(boost::json::kind kind) {
    JsonValueView value;
    value.kind = kind;
    return value;
  }

  void begin_value(const JsonValueView& value);
  void end_container();
  void push(const Frame& frame);
  void skip_rest_of_list();
  void route(Frame& frame, const JsonValueView& value);
  void end_frame(const Frame& frame);

  void read_document(const JsonValueView& value);
  void read_root_member(Frame& frame, const JsonValueView& value);
  void read_response_item(Frame& frame, const JsonValueView& value);
  void read_item_member(Frame& frame, const JsonValueView& value);
  void read_event_member(EventReading& event, const JsonValueView& value);
  void read_orgc_member(EventReading& event, const JsonValueView& value);
  void read_tag_list(TagList& list, const JsonValueView& value);
  void read_tag_element(Frame& frame, const JsonValueView& value);
  void read_tag_member(const JsonValueView& value);
  void read_wrapped_tag_member(const JsonValueView& value);
  void read_attribute_list(EventReading& event,
                           bool in_object,
                           const JsonValueView& value);
  void read_attribute_element(Frame& frame, const JsonValueView& value);
  void read_attribute_member(const JsonValueView& value);
  void read_object_element(Frame& frame, const JsonValueView& value);
  void read_object_member(Frame& frame, const JsonValueView& value);

  void end_root();
  void end_item(const Frame& frame);
  void end_orgc(const Frame& frame);
  void end_tag(const Frame& frame);
  void end_attribute(const Frame& frame);
  void end_object(const Frame& frame);
  void fail_attribute_list(const Frame& frame, FieldError error);

  // One event of the document, or its failure.
  void add_outcome(EventReading& event,
                   std::vector<MispEvent>& events,
                   std::vector<EventParseFailure>& failures);
  [[nodiscard]] std::string response_item_error(std::size_t index) const;

  std::string m_where;
  bool m_tolerant;

  // The deepest meaningful nesting is 12 (document, root, response, item,
  // Event, Object[], object, Attribute[], attribute, AttributeTag[],
  // element, Tag).
  std::array<Frame, 16> m_frames{};
  std::size_t m_depth = 1;

  // Inside a container the reader skips: how deep.
  std::size_t m_skip_depth = 0;
  // Set when routing took the container that begins as a frame.
  bool m_value_taken = false;

  MispKey m_key = MispKey::other; // whose value comes next
  std::string m_key_text;         // a key split across parts
  bool m_key_split = false;
  std::string m_value_text; // a string split across parts
  bool m_value_split = false;

  EventReading m_root_bare;
  EventReading m_root_event;
  Wrapped m_root_wrapped = Wrapped::absent;
  EventReading m_item_bare;
  EventReading m_item_event;
  Wrapped m_item_wrapped = Wrapped::absent;
  Response m_response;
  AttributeReading m_attribute;
  ObjectReading m_object;
  TagItem m_tag;
  DocumentOutcome m_outcome;
};

} // namespace m2s::misp_json
