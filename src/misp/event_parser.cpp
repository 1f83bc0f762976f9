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
  event.timestamp = misp_json::read_epoch_seconds(json, "timestamp");
  event.publish_timestamp =
      misp_json::read_epoch_seconds(json, "publish_timestamp");
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
    uuid = misp_json::read_strict_string(json, "uuid");
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

// The uuid of an event object for a failure report; never throws.
std::string uuid_for_message(const boost::json::value* event) {
  const boost::json::value* uuid = event != nullptr && event->is_object()
                                       ? event->get_object().if_contains("uuid")
                                       : nullptr;
  if (uuid == nullptr || !uuid->is_string()) {
    return {};
  }
  return short_info(uuid->get_string());
}

std::vector<MispEvent>
parse_response(const boost::json::array& response,
               std::string_view where,
               std::vector<EventParseFailure>* failures) {
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

    try {
      if (event == nullptr || !event->is_object()) {
        throw MispError(fmt::format(
            "{}: response[{}]: expected {{\"Event\":{{...}}}}", where, i));
      }
      events.push_back(parse_event_at(event->get_object(), where, i));
    } catch (const MispError& error) {
      if (failures == nullptr) {
        throw;
      }
      failures->push_back({i, uuid_for_message(event), error.what()});
    }
  }
  return events;
}

// Reads every event of the document in order. `failures` null: the first
// unreadable event throws; otherwise each is recorded there.
ParsedEvents read_document(const boost::json::value& document,
                           std::string_view where,
                           std::vector<EventParseFailure>* failures) {
  if (!document.is_object()) {
    throw_shape_error(where);
  }
  const boost::json::object& root = document.get_object();

  const boost::json::value* event = nullptr;
  if (const boost::json::value* response = root.if_contains("response")) {
    if (!response->is_array()) {
      throw_shape_error(where);
    }
    return {parse_response(response->get_array(), where, failures), {}};
  }
  if ((event = root.if_contains("Event")) != nullptr) {
    if (!event->is_object()) {
      throw_shape_error(where);
    }
  } else if (looks_like_event(root)) {
    event = &document;
  } else {
    throw_shape_error(where);
  }

  try {
    return {{parse_event_at(event->get_object(), where, 0)}, {}};
  } catch (const MispError& error) {
    if (failures == nullptr) {
      throw;
    }
    failures->push_back({0, uuid_for_message(event), error.what()});
    return {};
  }
}

} // namespace

boost::json::value parse_misp_json(std::string_view text,
                                   std::string_view where,
                                   std::size_t max_depth) {
  return misp_json::parse_json_text(text, where, max_depth);
}

std::vector<MispEvent> parse_events(std::string_view text,
                                    std::string_view where,
                                    std::size_t max_depth) {
  const boost::json::value document = parse_misp_json(text, where, max_depth);
  return parse_events(document, where);
}

std::vector<MispEvent> parse_events(const boost::json::value& document,
                                    std::string_view where) {
  return read_document(document, where, nullptr).events;
}

ParsedEvents parse_events_tolerant(const boost::json::value& document,
                                   std::string_view where) {
  std::vector<EventParseFailure> failures;
  ParsedEvents parsed = read_document(document, where, &failures);
  parsed.failures = std::move(failures);
  return parsed;
}

MispEvent parse_event(const boost::json::object& event,
                      std::string_view where) {
  return parse_event_at(event, where, 0);
}

} // namespace m2s
