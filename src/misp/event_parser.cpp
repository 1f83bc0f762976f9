#include "misp2sentinel/misp/event_parser.hpp"

#include "event_json.hpp"
#include "json_fields.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include <string>

namespace m2s {

namespace {

using misp_json::JsonFieldError;

// Event titles can be long; messages show the start only.
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

// The event's info for a message about the event; never throws.
std::string info_for_message(const boost::json::object& json) {
  const boost::json::value* info = json.if_contains("info");
  if (info == nullptr || !info->is_string()) {
    return {};
  }
  return short_info(info->get_string());
}

[[noreturn]] void throw_shape_error(std::string_view where) {
  throw MispError(fmt::format("{}: expected {{\"response\":[...]}}, "
                              "{{\"Event\":...}} or an event object",
                              where));
}

MispEvent read_event_fields(const boost::json::object& json,
                            const std::string& uuid) {
  MispEvent event;
  event.uuid = uuid;
  event.id = misp_json::read_string(json, "id");
  event.info = misp_json::read_string(json, "info");
  event.date = misp_json::read_string(json, "date");
  if (const auto* orgc = misp_json::read_object(json, "Orgc")) {
    try {
      event.orgc_name = misp_json::read_string(*orgc, "name");
      event.orgc_uuid = misp_json::read_string(*orgc, "uuid");
    } catch (const JsonFieldError& error) {
      throw error.within("Orgc");
    }
  }
  event.published = misp_json::read_bool(json, "published", false);
  event.timestamp = misp_json::read_int(json, "timestamp", 0);
  event.publish_timestamp = misp_json::read_int(json, "publish_timestamp", 0);
  event.threat_level_id = static_cast<int>(
      misp_json::read_int(json, "threat_level_id", event.threat_level_id));
  event.tags = misp_json::read_tags(json);
  event.attributes = misp_json::read_attributes(json);
  return event;
}

MispEvent parse_event_at(const boost::json::object& json,
                         std::string_view where,
                         std::size_t index) {
  std::string uuid;
  try {
    uuid = misp_json::read_string(json, "uuid");
  } catch (const JsonFieldError& error) {
    throw MispError(
        fmt::format("{}: event #{}: {}", where, index, error.what()));
  }

  if (uuid.empty()) {
    throw MispError(fmt::format("{}: event #{} (info \"{}\") has no uuid",
                                where,
                                index,
                                info_for_message(json)));
  }

  try {
    return read_event_fields(json, uuid);
  } catch (const JsonFieldError& error) {
    throw MispError(fmt::format(
        "{}: event #{} (uuid {}): {}", where, index, uuid, error.what()));
  }
}

bool looks_like_event(const boost::json::object& json) {
  return json.contains("uuid") || json.contains("Attribute");
}

std::vector<MispEvent> parse_response(const boost::json::array& response,
                                      std::string_view where) {
  std::vector<MispEvent> events;
  events.reserve(response.size());

  for (std::size_t i = 0; i < response.size(); ++i) {
    const boost::json::value& item = response[i];
    const boost::json::value* event =
        item.is_object() ? item.get_object().if_contains("Event") : nullptr;
    if (event == nullptr && item.is_object()
        && looks_like_event(item.get_object())) {
      event = &item;
    }
    if (event == nullptr || !event->is_object()) {
      throw MispError(fmt::format(
          "{}: response[{}]: expected {{\"Event\":{{...}}}}", where, i));
    }
    events.push_back(parse_event_at(event->get_object(), where, i));
  }
  return events;
}

} // namespace

std::vector<MispEvent> parse_events(std::string_view text,
                                    std::string_view where) {
  const boost::json::value document = misp_json::parse_json_text(text, where);
  return parse_events(document, where);
}

std::vector<MispEvent> parse_events(const boost::json::value& document,
                                    std::string_view where) {
  if (!document.is_object()) {
    throw_shape_error(where);
  }
  const boost::json::object& root = document.get_object();

  if (const boost::json::value* response = root.if_contains("response")) {
    if (!response->is_array()) {
      throw_shape_error(where);
    }
    return parse_response(response->get_array(), where);
  }

  if (const boost::json::value* event = root.if_contains("Event")) {
    if (!event->is_object()) {
      throw_shape_error(where);
    }
    return {parse_event_at(event->get_object(), where, 0)};
  }

  if (looks_like_event(root)) {
    return {parse_event_at(root, where, 0)};
  }
  throw_shape_error(where);
}

MispEvent parse_event(const boost::json::object& event,
                      std::string_view where) {
  return parse_event_at(event, where, 0);
}

} // namespace m2s
