#include "misp_query.hpp"

#include "json_util.hpp"
#include "log.hpp"
#include "text_util.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <chrono>
#include <utility>

namespace m2s::sandbox {

namespace {

[[noreturn]] void bad(std::string_view parameter, std::string_view problem) {
  throw SearchError(
      fmt::format("Invalid value for '{}': {}", parameter, problem));
}

std::optional<std::int64_t> relative_time(std::string_view text,
                                          std::int64_t now) {
  if (text.size() < 2) {
    return std::nullopt;
  }
  std::int64_t unit = 0;
  switch (text.back()) {
  case 'd':
    unit = 86400;
    break;
  case 'h':
    unit = 3600;
    break;
  case 'm':
    unit = 60;
    break;
  case 's':
    unit = 1;
    break;
  default:
    return std::nullopt;
  }
  const boost::json::value digits(text.substr(0, text.size() - 1));
  const auto count = lenient_int(&digits);
  if (!count || *count < 0) {
    return std::nullopt;
  }
  return now - *count * unit;
}

std::optional<std::int64_t> date_time(std::string_view text) {
  const boost::json::value y(text.substr(0, 4));
  const boost::json::value m(text.size() == 10 ? text.substr(5, 2) : "");
  const boost::json::value d(text.size() == 10 ? text.substr(8, 2) : "");
  const auto year = lenient_int(&y);
  const auto month = lenient_int(&m);
  const auto day = lenient_int(&d);
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !year || !month
      || !day) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{
      std::chrono::year{static_cast<int>(*year)},
      std::chrono::month{static_cast<unsigned>(*month)},
      std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  const auto days = std::chrono::sys_days{date}.time_since_epoch().count();
  return static_cast<std::int64_t>(days) * 86400;
}

// nullopt: no bound (null or empty string).
std::optional<std::int64_t> time_value(const boost::json::value& value,
                                       std::string_view parameter,
                                       std::int64_t now) {
  if (value.is_null()) {
    return std::nullopt;
  }
  if (const auto number = lenient_int(&value)) {
    return *number;
  }
  const auto* text = value.if_string();
  if (text == nullptr) {
    bad(parameter, "expected an epoch, a relative time or a [from, to] pair");
  }
  const std::string_view view(text->data(), text->size());
  if (trim(view).empty()) {
    return std::nullopt;
  }
  if (auto relative = relative_time(trim(view), now)) {
    return relative;
  }
  if (auto date = date_time(trim(view))) {
    return date;
  }
  return now + 1;
}

std::optional<TimeBound> time_bound(const boost::json::value& value,
                                    std::string_view parameter,
                                    std::int64_t now) {
  const auto* range = value.if_array();
  if (range == nullptr) {
    const auto from = time_value(value, parameter, now);
    if (!from) {
      return std::nullopt;
    }
    return TimeBound{*from, std::nullopt};
  }
  if (range->size() != 2) {
    bad(parameter, "a range must have exactly two values [from, to]");
  }
  auto from = time_value((*range)[0], parameter, now).value_or(0);
  auto to = time_value((*range)[1], parameter, now);
  if (to && from > *to) {
    std::swap(from, *to);
  }
  return TimeBound{from, to};
}

std::vector<bool> published_values(const boost::json::value& value) {
  std::vector<bool> out;
  const auto add = [&out](const boost::json::value& item) {
    const auto flag = lenient_bool(&item);
    if (!flag) {
      bad("published", "expected true/false, 0/1 or [0, 1]");
    }
    out.push_back(*flag);
  };
  if (const auto* list = value.if_array()) {
    for (const auto& item : *list) {
      add(item);
    }
  } else {
    add(value);
  }
  return out;
}

void add_id(const boost::json::value& item,
            std::string_view parameter,
            IdFilter& filter) {
  std::string text;
  if (const auto number = lenient_int(&item); number && !item.is_string()) {
    text = std::to_string(*number);
  } else if (const auto* string = item.if_string()) {
    text = to_lower(trim(std::string_view(string->data(), string->size())));
  } else {
    bad(parameter, "expected ids or uuids");
  }
  if (!text.empty() && text.front() == '!') {
    filter.exclude.push_back(text.substr(1));
  } else if (!text.empty()) {
    filter.include.push_back(text);
  }
}

IdFilter id_filter(const boost::json::value& value,
                   std::string_view parameter) {
  IdFilter filter;
  if (const auto* list = value.if_array()) {
    for (const auto& item : *list) {
      add_id(item, parameter, filter);
    }
  } else if (!value.is_null()) {
    add_id(value, parameter, filter);
  }
  return filter;
}

DeletedMode deleted_mode(const boost::json::value& value) {
  if (value.is_null()) {
    return DeletedMode::hide;
  }
  if (const auto* text = value.if_string(); text && *text == "only") {
    return DeletedMode::only;
  }
  std::vector<bool> wanted;
  if (const auto* list = value.if_array()) {
    for (const auto& item : *list) {
      const auto flag = lenient_bool(&item);
      if (!flag) {
        bad("deleted", "expected 0, 1, [0, 1] or \"only\"");
      }
      wanted.push_back(*flag);
    }
  } else {
    const auto flag = lenient_bool(&value);
    if (!flag) {
      bad("deleted", "expected 0, 1, [0, 1] or \"only\"");
    }
    wanted.push_back(*flag);
  }
  const bool live =
      std::find(wanted.begin(), wanted.end(), false) != wanted.end();
  const bool dead =
      std::find(wanted.begin(), wanted.end(), true) != wanted.end();
  if (live && dead) {
    return DeletedMode::include;
  }
  return dead ? DeletedMode::only : DeletedMode::hide;
}

void read_order(const boost::json::value& value, SearchQuery& query) {
  const auto* text = value.if_string();
  if (text == nullptr) {
    bad("order", "expected a string such as \"Event.timestamp asc\"");
  }
  const std::string order = to_lower(trim(std::string_view(*text)));
  const std::size_t space = order.find(' ');
  std::string field = order.substr(0, space);
  const std::string direction = space == std::string::npos
                                    ? "asc"
                                    : std::string(trim(order.substr(space)));
  if (field.rfind("event.", 0) == 0) {
    field = field.substr(6);
  }

  if (field == "id") {
    query.order = OrderField::id;
  } else if (field == "timestamp") {
    query.order = OrderField::timestamp;
  } else if (field == "publish_timestamp") {
    query.order = OrderField::publish_timestamp;
  } else {
    log_warning(fmt::format("restSearch order '{}' is not supported by the "
                            "sandbox; using Event.id asc",
                            clip(order, 80)));
    return;
  }
  query.descending = direction == "desc";
}

std::int64_t whole(const boost::json::value& value,
                   std::string_view parameter) {
  const auto number = lenient_int(&value);
  if (!number || *number < 0) {
    bad(parameter, "expected a whole number");
  }
  return *number;
}

void read_return_format(const boost::json::value& value) {
  const auto* text = value.if_string();
  if (text != nullptr && iequals(std::string_view(*text), "json")) {
    return;
  }
  bad("returnFormat",
      "the sandbox serves only returnFormat json, not "
          + clip(boost::json::serialize(value), 40));
}

// One body member into `query`; false when the key is not a filter.
bool read_member(std::string_view key,
                 const boost::json::value& value,
                 std::int64_t now,
                 SearchQuery& query) {
  if (key == "published") {
    query.published = published_values(value);
  } else if (key == "timestamp" || key == "event_timestamp") {
    query.timestamp = time_bound(value, key, now);
  } else if (key == "publish_timestamp" || key == "publishtimestamp"
             || key == "last") {
    query.publish_timestamp = time_bound(value, key, now);
  } else if (key == "tags" || key == "tag" || key == "event_tags") {
    auto filter = parse_tag_filter(value);
    if (!filter) {
      bad(key, "expected a tag, a list of tags or {\"OR\",\"AND\",\"NOT\"}");
    }
    (key == "event_tags" ? query.event_tags : query.tags) = *filter;
  } else if (key == "to_ids") {
    const auto* text = value.if_string();
    const auto flag = lenient_bool(&value);
    if (text != nullptr && *text == "exclude") {
      query.to_ids = false;
    } else if (flag) {
      query.to_ids = flag;
    } else if (!value.is_null()) {
      bad(key, "expected true/false, 0/1 or \"exclude\"");
    }
  } else {
    return false;
  }
  return true;
}

} // namespace

SearchQuery parse_search_query(const boost::json::object& body,
                               std::int64_t now_epoch) {
  SearchQuery query;
  for (const auto& [key_text, value] : body) {
    const std::string_view key(key_text);
    if (read_member(key, value, now_epoch, query)) {
      continue;
    }
    if (key == "eventid") {
      query.eventid = id_filter(value, key);
    } else if (key == "uuid") {
      query.uuid = id_filter(value, key);
    } else if (key == "deleted") {
      query.deleted = deleted_mode(value);
    } else if (key == "enforceWarninglist") {
      query.enforce_warninglist = lenient_bool(&value).value_or(false);
    } else if (key == "metadata") {
      query.metadata = lenient_bool(&value).value_or(false);
    } else if (key == "limit") {
      query.limit = whole(value, key);
    } else if (key == "page") {
      query.page = std::max<std::int64_t>(1, whole(value, key));
    } else if (key == "order") {
      read_order(value, query);
    } else if (key == "returnFormat") {
      read_return_format(value);
    }
  }
  return query;
}

} // namespace m2s::sandbox
