#include "event_reading.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace m2s::misp_json {

std::string short_info(std::string_view info) {
  constexpr std::size_t k_max = 60;
  if (info.size() <= k_max) {
    return std::string(info);
  }

  std::size_t cut = k_max;
  while (cut > 0 && (static_cast<unsigned char>(info[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return fmt::format("{}...", info.substr(0, cut));
}

void EventReading::start(std::size_t index) {
  m_event = MispEvent{};
  m_index = index;
  errors.clear();
  orgc_errors.clear();
  tags.clear();
  m_uuid_error.reset();
  m_uuid_is_string = false;
  m_info_is_string = false;
  m_saw_uuid = false;
  m_saw_attributes = false;
  m_own = {};
  m_objects = {};
  m_open = nullptr;
}

void EventReading::read_uuid(const JsonValueView& value) {
  m_saw_uuid = true;
  m_uuid_is_string = value.kind == boost::json::kind::string;
  if (Problem problem = read_strict_string(value, m_event.uuid)) {
    m_uuid_error = FieldError{"uuid", std::move(*problem)};
  } else {
    m_uuid_error.reset();
  }
}

void EventReading::read_info(const JsonValueView& value) {
  m_info_is_string = value.kind == boost::json::kind::string;
  errors.note(EventSlot::info, "info", read_string(value, m_event.info));
}

void EventReading::open_run(AttributeRun which) {
  if (which == AttributeRun::own) {
    m_saw_attributes = true;
  }
  Run& opened = run(which);
  erase(opened);
  opened.begin = m_event.attributes.size();
  m_open = &opened;
}

void EventReading::close_run() {
  m_open->size = m_event.attributes.size() - m_open->begin;
  m_open = nullptr;
}

void EventReading::drop_run() {
  const auto begin = m_event.attributes.begin();
  m_event.attributes.erase(begin + static_cast<std::ptrdiff_t>(m_open->begin),
                           m_event.attributes.end());
  m_open->size = 0;
  m_open = nullptr;
}

// Room for them all at once spares copying them as the list grows, and
// the spare room a doubling vector would leave. A count that is wrong
// costs address space rather than memory (room never written is never
// resident), and finish() gives back what is far too much.
void EventReading::expect_attributes(const JsonValueView& value) {
  constexpr std::int64_t k_most = 1 << 17;
  std::int64_t count = 0;
  if (!read_int(value, 0, count) && count > 0) {
    m_event.attributes.reserve(
        static_cast<std::size_t>(std::min(count, k_most)));
  }
}

MispAttribute& EventReading::add_attribute() {
  return m_event.attributes.emplace_back();
}

void EventReading::drop_last_attribute() {
  m_event.attributes.pop_back();
}

void EventReading::truncate_attributes(std::size_t size) {
  auto& attributes = m_event.attributes;
  attributes.erase(attributes.begin() + static_cast<std::ptrdiff_t>(size),
                   attributes.end());
}

// Rare: only a repeated "Attribute" or "Object" key gets here with a
// non-empty run.
void EventReading::erase(Run& erased) {
  if (erased.size == 0) {
    return;
  }

  const auto first =
      m_event.attributes.begin() + static_cast<std::ptrdiff_t>(erased.begin);
  m_event.attributes.erase(first,
                           first + static_cast<std::ptrdiff_t>(erased.size));
  Run& other = &erased == &m_own ? m_objects : m_own;
  if (other.begin > erased.begin) {
    other.begin -= erased.size;
  }
  erased.size = 0;
}

const FieldError* EventReading::first_error() {
  using Errors = FieldErrors<EventSlot>;

  if (const auto* error = errors.first(Errors::before(EventSlot::tags))) {
    return error;
  }
  const TagList* chosen = tags.chosen();
  if (chosen != nullptr && chosen->error) {
    return &*chosen->error;
  }
  return errors.first(Errors::from(EventSlot::tags));
}

void EventReading::put_own_attributes_first() {
  if (m_own.size == 0 || m_objects.size == 0 || m_own.begin < m_objects.begin) {
    return;
  }
  auto& attributes = m_event.attributes;
  std::rotate(attributes.begin(),
              attributes.begin() + static_cast<std::ptrdiff_t>(m_own.begin),
              attributes.end());
}

// Only after a wrong "attribute_count": a vector that doubled has at most
// as much spare room as it has attributes.
void EventReading::give_back_spare_room() {
  auto& attributes = m_event.attributes;
  if (attributes.capacity() - attributes.size() > attributes.size() + 64) {
    attributes.shrink_to_fit();
  }
}

std::optional<EventParseFailure> EventReading::finish(std::string_view where) {
  if (m_uuid_error) {
    return EventParseFailure{
        m_index,
        "",
        fmt::format("{}: event #{}: {}", where, m_index, m_uuid_error->text())};
  }

  if (m_event.uuid.empty()) {
    const std::string info = m_info_is_string ? short_info(m_event.info) : "";
    return EventParseFailure{
        m_index,
        "",
        fmt::format(
            "{}: event #{} (info \"{}\") has no uuid", where, m_index, info)};
  }

  if (const FieldError* error = first_error()) {
    return EventParseFailure{m_index,
                             m_uuid_is_string ? short_info(m_event.uuid) : "",
                             fmt::format("{}: event #{} (uuid {}): {}",
                                         where,
                                         m_index,
                                         m_event.uuid,
                                         error->text())};
  }

  if (TagList* chosen = tags.chosen()) {
    m_event.tags = std::move(chosen->tags);
  }
  put_own_attributes_first();
  give_back_spare_room();
  return std::nullopt;
}

} // namespace m2s::misp_json
