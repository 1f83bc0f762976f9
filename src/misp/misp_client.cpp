#include "misp2sentinel/misp/misp_client.hpp"

#include "json_document.hpp"
#include "misp2sentinel/misp/event_reader.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "misp2sentinel/util/known_secrets.hpp"
#include "misp2sentinel/util/termination.hpp"

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

// MISP announces its rate-limit window in X-Rate-Limit-Reset (seconds).
std::optional<milliseconds> requested_wait(const HttpResponse& response) {
  if (auto wait = parse_retry_after(header_value(response, "retry-after"),
                                    response.body)) {
    return wait;
  }
  return parse_retry_after(header_value(response, "x-rate-limit-reset"), "");
}

// [limits] max_json_depth: a hostile page nested without end would
// otherwise grow the parser's stack without end.
std::size_t json_depth(const MispConfig& config) {
  return static_cast<std::size_t>(config.max_json_depth);
}

boost::json::array strings(const std::vector<std::string>& values) {
  boost::json::array list;
  for (const auto& value : values) {
    list.emplace_back(value);
  }
  return list;
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

  EventReaderOptions options;
  options.source = MispJsonSource::misp_answer;
  options.max_depth = json_depth(m_config);
  options.tolerant = true;

  // A fresh reader per attempt: what a transfer cut short fed is dropped.
  std::optional<EventReader> reader;
  post(k_path, search_body(request), where, [&] {
    reader.emplace(where, options);
    return [&reader](std::string_view chunk) {
      reader->feed(chunk);
    };
  });

  ParsedEvents parsed = reader->finish();
  EventPage page;
  page.events_in_answer = parsed.listed;
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
  std::optional<misp_json::JsonDocumentReader> reader;
  post(path, boost::json::serialize(body), where, [&] {
    reader.emplace(where, json_depth(m_config));
    return [&reader](std::string_view chunk) {
      reader->feed(chunk);
    };
  });

  const boost::json::value document = reader->finish();
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

void MispClient::post(const char* path,
                      const std::string& body,
                      const std::string& where,
                      const std::function<HttpBodySink()>& start_attempt) {
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
  // SIGTERM or SIGINT: no further try (the run stops at its next step).
  const auto stop_if_asked = [&](const std::string& cause) {
    if (const auto stopped = stop_requested_while("retrying " + where)) {
      throw MispError(scrub_secret(*stopped + ": " + cause, key));
    }
  };
  const auto wait = [&](int attempts,
                        std::optional<milliseconds> requested,
                        const std::string& cause) {
    stop_if_asked(cause);
    const auto delay = m_retry.next_delay(attempts, requested);
    if (!delay) {
      throw MispError(scrub_secret(
          gave_up_text(where, attempts, cause, requested), key));
    }
    // An operator wants to know why a run is slow: one line per retry.
    spdlog::warn("{}; retrying in {} ms (attempt {})",
                 scrub_known_secrets(cause),
                 delay->count(),
                 attempts + 1);
    m_sleep(*delay);
    stop_if_asked(cause);
  };

  for (int attempts = 1;; ++attempts) {
    http_request.body_sink = start_attempt();
    HttpResponse response;
    try {
      response = m_http.send(http_request);
    } catch (const TransportError& error) {
      if (error.too_large()) {
        throw MispError(std::string(error.what())
                        + ": lower [misp] page_size so that a page holds "
                          "fewer events, or raise [limits] max_response_mb");
      }
      if (error.certificate_refused()) {
        throw MispError(scrub_secret(error.what(), key));
      }
      wait(attempts, std::nullopt, error.what());
      continue;
    }

    const long status = response.status;
    const std::string answered =
        std::string("MISP answered ") + std::to_string(status) + " for " + path;

    if (status == 200) {
      // A stand-in for the network may have buffered the body instead.
      if (!response.body.empty()) {
        http_request.body_sink(response.body);
      }
      return;
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
    throw MispError(scrub_secret(answered + context + ": " + message, key));
  }
}

} // namespace m2s
