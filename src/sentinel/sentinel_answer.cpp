#include "sentinel_answer.hpp"

#include "misp2sentinel/util/errors.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace m2s::detail {

namespace {

// Long enough for any real error text, short enough for one log line.
constexpr std::size_t k_max_message = 300;

std::string one_line(std::string text) {
  std::replace_if(
      text.begin(),
      text.end(),
      [](char c) { return c == '\r' || c == '\n'; },
      ' ');
  if (text.size() > k_max_message) {
    text.resize(k_max_message);
    text += "...";
  }
  return text;
}

std::string join_messages(const boost::json::value* messages) {
  std::string joined;
  if (messages == nullptr || !messages->is_array()) {
    return joined;
  }

  for (const auto& message : messages->get_array()) {
    if (!message.is_string()) {
      continue;
    }
    if (!joined.empty()) {
      joined += "; ";
    }
    joined += message.get_string();
  }
  return joined;
}

std::string string_at(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) {
    return {};
  }
  return std::string(value->get_string());
}

std::string message_of(const boost::json::object& object) {
  if (const auto* errors = object.if_contains("errors");
      errors != nullptr && errors->is_array()) {
    std::string joined;
    for (const auto& entry : errors->get_array()) {
      const std::string messages =
          entry.is_object()
              ? join_messages(entry.get_object().if_contains("errorMessages"))
              : std::string();
      if (!messages.empty()) {
        joined += joined.empty() ? messages : "; " + messages;
      }
    }
    if (!joined.empty()) {
      return joined;
    }
  }

  if (const auto* error = object.if_contains("error");
      error != nullptr && error->is_object()) {
    return string_at(error->get_object(), "message");
  }

  return string_at(object, "message");
}

std::optional<std::size_t> index_of(const boost::json::object& entry,
                                    std::size_t count) {
  const auto* index = entry.if_contains("recordIndex");
  if (index == nullptr) {
    return std::nullopt;
  }

  std::size_t at = count;
  if (index->is_int64() && index->get_int64() >= 0) {
    at = static_cast<std::size_t>(index->get_int64());
  } else if (index->is_uint64()) {
    at = static_cast<std::size_t>(index->get_uint64());
  }
  if (at >= count) {
    return std::nullopt;
  }
  return at;
}

// One rejection per record, even when the answer lists a record twice.
void merge(std::vector<RecordRejection>& rejected,
           std::size_t index,
           std::string message) {
  const auto same = std::find_if(
      rejected.begin(), rejected.end(), [index](const RecordRejection& r) {
        return r.index == index;
      });
  if (same == rejected.end()) {
    rejected.push_back({index, std::move(message)});
    return;
  }
  same->message += "; " + message;
}

} // namespace

std::string sentinel_message(const std::string& body) {
  boost::system::error_code error;
  const auto value = boost::json::parse(body, error);

  if (!error && value.is_object()) {
    const std::string message = message_of(value.get_object());
    if (!message.empty()) {
      return one_line(message);
    }
  }

  // "{}", "[]" or "null" say nothing; the caller then names the status.
  const bool empty_json =
      !error
      && (value.is_null()
          || (value.is_object() && value.get_object().empty())
          || (value.is_array() && value.get_array().empty()));
  if (empty_json) {
    return {};
  }
  return one_line(body);
}

bool is_json(const std::string& body) {
  boost::system::error_code error;
  static_cast<void>(boost::json::parse(body, error));
  return !error;
}

std::vector<RecordRejection> record_errors(const boost::json::object& answer,
                                           std::size_t count,
                                           const std::string& endpoint) {
  std::vector<RecordRejection> rejected;
  const auto* errors = answer.if_contains("errors");
  if (errors == nullptr || errors->is_null()) {
    return rejected;
  }

  const std::string unreadable = "Sentinel's answer from " + endpoint
                                 + " to a batch of " + std::to_string(count)
                                 + " records ";
  if (!errors->is_array()) {
    throw SentinelError(unreadable + "has an \"errors\" that is not a list");
  }

  for (const auto& entry : errors->get_array()) {
    const auto at =
        entry.is_object() ? index_of(entry.get_object(), count) : std::nullopt;
    if (!at) {
      throw SentinelError(unreadable + "names a record outside the batch: "
                          + one_line(boost::json::serialize(entry)));
    }

    std::string message =
        join_messages(entry.get_object().if_contains("errorMessages"));
    if (message.empty()) {
      message = "rejected by Sentinel without a message";
    }
    merge(rejected, *at, one_line(message));
  }
  return rejected;
}

} // namespace m2s::detail
