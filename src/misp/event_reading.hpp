#pragma once

// --- One event object as read so far, and what it comes to ---

#include "field_errors.hpp"
#include "lenient_values.hpp"
#include "misp2sentinel/misp/event.hpp"
#include "misp2sentinel/misp/event_parser.hpp"
#include "tag_reading.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace m2s::misp_json {

// An event's fields in checking order (the uuid is checked before all).
enum class EventSlot {
  id,
  info,
  date,
  orgc,
  published,
  timestamp,
  publish_timestamp,
  threat_level_id,
  tags, // held by the chosen TagList, not here
  attributes,
  objects,
  count,
};

enum class OrgcSlot { name, uuid, count };

// The event's own Attribute[] and the attributes of its Object[] are read
// into event.attributes as two runs, in whichever order the document has
// them; `finish` puts the event's own first.
enum class AttributeRun { own, objects };

class EventReading {
public:
  // Starts over for the event at `index` in its document.
  void start(std::size_t index);

  [[nodiscard]] MispEvent& event() noexcept {
    return m_event;
  }

  [[nodiscard]] std::size_t index() const noexcept {
    return m_index;
  }

  FieldErrors<EventSlot> errors;
  FieldErrors<OrgcSlot> orgc_errors;
  TagLists tags;

  void read_uuid(const JsonValueView& value);
  void read_info(const JsonValueView& value);

  // Whether the object has "uuid" or "Attribute" (with any value): a bare
  // event rather than some other object.
  [[nodiscard]] bool looks_like_event() const noexcept {
    return m_saw_uuid || m_saw_attributes;
  }

  // The list's key appeared: what an earlier occurrence read is dropped
  // and new attributes append to it until close_run or drop_run.
  void open_run(AttributeRun run);
  void close_run();
  void drop_run();

  // MISP's "attribute_count" (own and object attributes): room is made
  // for that many, within reason. Only a hint: a value that is no count
  // is ignored, and a wrong one changes nothing read.
  void expect_attributes(const JsonValueView& value);

  // A new attribute of the open run, filled in place.
  [[nodiscard]] MispAttribute& add_attribute();
  void drop_last_attribute();
  // Drops the attributes from `size` on (of a MISP object being read).
  void truncate_attributes(std::size_t size);

  // The failure of the event, or nullopt when take() may be called.
  [[nodiscard]] std::optional<EventParseFailure> finish(std::string_view where);

  [[nodiscard]] MispEvent take() {
    return std::move(m_event);
  }

private:
  struct Run {
    std::size_t begin = 0;
    std::size_t size = 0;
  };

  Run& run(AttributeRun which) noexcept {
    return which == AttributeRun::own ? m_own : m_objects;
  }

  void erase(Run& run);
  [[nodiscard]] const FieldError* first_error();
  void put_own_attributes_first();
  void give_back_spare_room();

  MispEvent m_event;
  std::size_t m_index = 0;
  std::optional<FieldError> m_uuid_error;
  bool m_uuid_is_string = false;
  bool m_info_is_string = false;
  bool m_saw_uuid = false;
  bool m_saw_attributes = false;
  Run m_own;
  Run m_objects;
  Run* m_open = nullptr;
};

// Event titles and uuids can be long; messages show the start only.
[[nodiscard]] std::string short_info(std::string_view info);

} // namespace m2s::misp_json
