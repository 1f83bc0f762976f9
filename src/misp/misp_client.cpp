#include "misp2sentinel/misp/misp_client.hpp"

#include "misp2sentinel/misp/event_parser.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "misp2sentinel/util/known_secrets.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

namespace m2s {

namespace {

using std::chrono::milliseconds;

constexpr const char* k_path = "/events/restSearch";

// Long enough for MISP's error sentences, short enough for one line.
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

// MISP's REST errors are {"name","message","url"}; 500s may be HTML.
std::string misp_message(const std::string& body) {
  boost::system::error_code error;
  const auto value = boost::json::parse(body, error);
  if (!error && value.is_object()) {
    for (const char* key : {"message", "name"}) {
      const auto* text = value.get_object().if_contains(key);
      if (text != nullptr && text->is_string() && !text->get_string().empty()) {
        return one_line(std::string(text->get_string()));
      }
    }
  }
  return one_line(body);
}

std::string header_value(const HttpResponse& response,
                         const std::string& name) {
  const auto it = response.headers.find(name);
  return it == response.headers.end() ? std::string() : it->second;
}

// MISP announces its rate-limit window in X-Rate-Limit-Reset (seconds).
std::optional<milliseconds> requested_wait(const HttpResponse& response) {
  if (auto wait = parse_retry_after(header_value(response, "retry-after"),
                                    response.body)) {
    return wait;
  }
  return parse_retry_after(header_value(response, "x-rate-limit-reset"), "");
}

// `max_depth` is [limits] max_json_depth: a hostile page nested without
// end would otherwise cost stack when the value is freed.
boost::json::value parse_json(const std::string& body,
                              const std::string& where,
                              int max_depth) {
  boost::json::parse_options options;
  options.max_depth = static_cast<std::size_t>(max_depth);
  boost::json::stream_parser parser({}, options);
  boost::system::error_code error;
  const std::size_t used = parser.write(body.data(), body.size(), error);
  if (!error) {
    parser.finish(error);
  }
  if (!error) {
    return parser.release();
  }

  if (error == boost::json::error::too_deep) {
    throw MispError(where + ": the answer nests JSON deeper than [limits] "
                    "max_json_depth (" + std::to_string(max_depth) + ")");
  }
  const auto first = body.find_first_not_of(" \t\r\n");
  const bool html = first != std::string::npos && body[first] == '<';
  throw MispError(
      where + ": invalid JSON at offset " + std::to_string(used) + " ("
      + error.message() + ")"
      + (html ? "; the answer is an HTML page: check [misp] url" : ""));
}

std::size_t events_in(const boost::json::value& document, std::size_t parsed) {
  if (document.is_object()) {
    const auto* response = document.get_object().if_contains("response");
    if (response != nullptr && response->is_array()) {
      return response->get_array().size();
    }
  }
  return parsed;
}

boost::json::array strings(const std::vector<std::string>& values) {
  boost::json::array list;
  for (const auto& value : values) {
    list.emplace_back(value);
  }
  return list;
}

std::string attempts_text(int attempts) {
  return std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
}

} // namespace

const char* cursor_field_name(CursorField field) {
  switch (field) {
  case CursorField::timestamp:
    return "timestamp";
  case CursorField::publish_timestamp:
    return "publish_timestamp";
  }
  return "timestamp";
}

MispClient::MispClient(const MispConfig& config,
                       HttpClient& http,
                       RetryBudget& retry,
                       Sleeper sleeper)
    : m_config(config),
      m_http(http),
      m_retry(retry),
      m_sleep(std::move(sleeper)) {
  remember_secret(m_config.key.reveal());
}

std::string MispClient::search_body(const EventPageRequest& request) const {
  const MispFilters& filters = m_config.filters;
  const std::string cursor = cursor_field_name(request.cursor_field);

  boost::json::object body;
  body["returnFormat"] = "json";
  body["page"] = request.page;
  body["limit"] = request.limit;
  body["order"] = "Event." + cursor + " asc";
  if (!request.event_uuids.empty()) {
    body["eventid"] = strings(request.event_uuids);
  } else if (request.since > 0) {
    body[cursor] = request.since;
  }

  if (filters.published) {
    body["published"] = true;
  }

  // The dict form is the one whose NOT also strips tagged attributes.
  if (!request.tags_on_server) {
    // The caller filters tags itself, to see events that left the scope.
  } else if (!filters.not_tags.empty()) {
    boost::json::object tags;
    if (!filters.tags.empty()) {
      tags["OR"] = strings(filters.tags);
    }
    tags["NOT"] = strings(filters.not_tags);
    body["tags"] = std::move(tags);
  } else if (!filters.tags.empty()) {
    body["tags"] = strings(filters.tags);
  }

  // No "to_ids": MISP would drop attributes whose to_ids was cleared, and
  // the run could not tell them from unchanged ones; the converter filters
  // on to_ids instead, so losing it becomes a revocation.
  body["enforceWarninglist"] = filters.enforce_warninglist;
  body["sgReferenceOnly"] = true;
  body["noShadowAttributes"] = true;
  body["noEventReports"] = true;
  body["excludeLocalTags"] = false;
  return boost::json::serialize(body);
}

EventPage MispClient::fetch_events(const EventPageRequest& request) {
  const std::string where =
      std::string("MISP ") + k_path + " page " + std::to_string(request.page);
  const auto document = post_json(k_path, search_body(request), where);

  ParsedEvents parsed = parse_events_tolerant(document, where);
  EventPage page;
  page.events_in_answer = events_in(
      document, parsed.events.size() + parsed.failures.size());
  page.events = std::move(parsed.events);
  page.unreadable = std::move(parsed.failures);
  return page;
}

std::vector<EventIndexEntry> MispClient::event_index() {
  constexpr const char* path = "/events/index";
  const std::string where = std::string("MISP ") + path;

  // minimal: a flat list of {id, uuid, timestamp, published, ...} for
  // every event the key may see, cheap even for large instances.
  boost::json::object body;
  body["minimal"] = 1;
  const auto document = post_json(path, boost::json::serialize(body), where);
  if (!document.is_array()) {
    throw MispError(where + ": expected a JSON list of events");
  }

  std::vector<EventIndexEntry> entries;
  entries.reserve(document.get_array().size());
  for (const auto& item : document.get_array()) {
    const auto* row = item.if_object();
    const auto* uuid = row == nullptr ? nullptr : row->if_contains("uuid");
    if (uuid == nullptr || !uuid->is_string()) {
      throw MispError(where + ": an entry has no uuid");
    }
    EventIndexEntry entry;
    entry.uuid = std::string(uuid->get_string());
    if (const auto* published = row->if_contains("published")) {
      entry.published =
          (published->is_bool() && published->get_bool())
          || (published->is_int64() && published->get_int64() != 0)
          || (published->is_string() && published->get_string() != "0"
              && published->get_string() != "false");
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

boost::json::value MispClient::post_json(const char* path,
                                         const std::string& body,
                                         const std::string& where) {
  const std::string& key = m_config.key.reveal();

  HttpRequest http_request;
  http_request.method = "POST";
  http_request.url = m_config.url + path;
  http_request.headers = {
      {"Authorization", key},
      {"Accept", "application/json"},
      {"Content-Type", "application/json"},
  };
  http_request.body = body;

  // Wait before the next try, or give up when the budget cannot cover it.
  const auto wait = [&](int attempts,
                        std::optional<milliseconds> requested,
                        const std::string& cause) {
    const auto delay = m_retry.next_delay(attempts, requested);
    if (!delay) {
      throw MispError(scrub_secret("gave up on " + where + " after "
                                       + attempts_text(attempts) + ": " + cause,
                                   key));
    }
    // An operator wants to know why a run is slow: one line per retry.
    spdlog::warn("{}; retrying in {} ms (attempt {})",
                 scrub_known_secrets(cause),
                 delay->count(),
                 attempts + 1);
    m_sleep(*delay);
  };

  for (int attempts = 1;; ++attempts) {
    HttpResponse response;
    try {
      response = m_http.send(http_request);
    } catch (const TransportError& error) {
      if (error.too_large()) {
        throw MispError(std::string(error.what())
                        + ": lower [misp] page_size so that a page holds "
                          "fewer events, or raise [limits] max_response_mb");
      }
      wait(attempts, std::nullopt, error.what());
      continue;
    }

    const long status = response.status;
    const std::string answered = std::string("MISP answered ")
                                 + std::to_string(status) + " for " + path;

    if (status == 200) {
      return parse_json(response.body, where, m_config.max_json_depth);
    }

    if (status == 429 || (status >= 500 && status <= 599)) {
      const auto requested =
          status == 429 ? requested_wait(response) : std::nullopt;
      wait(attempts, requested, answered + ": " + misp_message(response.body));
      continue;
    }

    const std::string message = misp_message(response.body);
    if (status == 401 || status == 403) {
      throw MispError(
          scrub_secret(answered + ": the API key is wrong or lacks API access"
                           + (message.empty() ? "" : " (" + message + ")"),
                       key));
    }
    if (status == 404) {
      throw MispError(answered + ": check [misp] url ("
                      + redact_url(m_config.url) + ")");
    }
    // `where` is "MISP <path>" plus context such as " page 2".
    const std::string context = where.substr(
        std::min(where.size(), std::string("MISP ").size() + strlen(path)));
    throw MispError(
        scrub_secret(answered + context + ": " + message, key));
  }
}

} // namespace m2s
