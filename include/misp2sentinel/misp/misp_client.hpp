#pragma once

// --- The MISP REST client: restSearch pages and the version check ---

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/http/http_client.hpp"
#include "misp2sentinel/http/retry.hpp"
#include "misp2sentinel/misp/event.hpp"
#include "misp2sentinel/misp/event_parser.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace m2s {

enum class CursorField { timestamp, publish_timestamp };

// "timestamp" or "publish_timestamp", as MISP names the filter.
[[nodiscard]] const char* cursor_field_name(CursorField field);

struct EventPageRequest {
  CursorField cursor_field = CursorField::publish_timestamp;
  std::int64_t since = 0; // epoch seconds, inclusive; 0: no lower bound
  int page = 1;           // 1-based
  int limit = 100;
  // When set, only these events (by uuid), whatever their timestamps.
  std::vector<std::string> event_uuids;
  // Whether MISP applies [misp.filters] tags/not_tags. Off, the answer
  // also holds changed events that left the scope, so that the caller can
  // revoke their indicators.
  bool tags_on_server = true;
};

struct EventIndexEntry {
  std::string uuid;
  bool published = false;
};

struct EventPage {
  std::vector<MispEvent> events;
  // Events in the answer before client-side filtering, to tell a short
  // (last) page from a full one.
  std::size_t events_in_answer = 0;
  // Events of the answer that could not be read (a field of the wrong
  // type, no uuid): listed here so that one bad event, perhaps shared in
  // from another community, does not stop every sync.
  std::vector<EventParseFailure> unreadable;
};

// What GET /servers/getVersion says about the instance and the key.
struct MispVersion {
  std::string version; // "2.5.1"
  bool perm_sync = false; // a sync user also sees soft-deleted data
  bool perm_sighting = false;
};

class MispClient {
public:
  // `retry` is shared with the caller so one budget covers the whole run.
  MispClient(const MispConfig& config, HttpClient& http, RetryBudget& retry,
             Sleeper sleeper);

  // POST /events/restSearch for one page, ordered by the cursor field
  // ascending, read as it arrives (the page is never held as text). Sends
  // published/tags/not_tags/enforceWarninglist from the filters; does not send
  // to_ids (so attributes that lose it are seen and can be revoked; the
  // converter filters). Retries 5xx, 429 and transport failures within the
  // budget. Throws MispError naming the endpoint, the page and the cause (403:
  // the key lacks access; non-JSON body; ...).
  [[nodiscard]] EventPage fetch_events(const EventPageRequest& request);

  // POST /events/index {"minimal":1}: every event the key may see, for
  // finding events that vanished. Retries like fetch_events.
  [[nodiscard]] std::vector<EventIndexEntry> event_index();

  // GET /servers/getVersion once, without retries (for `check`): proves
  // the URL and the key. Throws TransportError when no answer came (the
  // caller tells TLS failures apart by curl_code()), MispError otherwise,
  // with the fix: 401/403 the key is wrong or its role lacks API access;
  // 404 or a page that is not MISP's JSON, [misp] url.
  [[nodiscard]] MispVersion version();

  // The JSON body sent for `request` (exposed for tests and --dry-run).
  [[nodiscard]] std::string search_body(const EventPageRequest& request) const;

private:
  // POST `body` to `path` until MISP answers 200, retrying transient
  // failures. Each attempt's 200 body goes, as it arrives, to the sink
  // `start_attempt` returns, so that a retry reads afresh.
  void post(const char* path,
            const std::string& body,
            const std::string& where,
            const std::function<HttpBodySink()>& start_attempt);

  const MispConfig& m_config;
  HttpClient& m_http;
  RetryBudget& m_retry;
  Sleeper m_sleep;
};

} // namespace m2s
