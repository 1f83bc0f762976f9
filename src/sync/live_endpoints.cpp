#include "misp2sentinel/sync/live_endpoints.hpp"

namespace m2s {

EventSource::Page MispEventSource::fetch(const std::string& field,
                                         std::int64_t since, int page,
                                         int limit) {
  EventPageRequest request;
  request.cursor_field = field == "publish_timestamp"
                             ? CursorField::publish_timestamp
                             : CursorField::timestamp;
  request.since = since;
  request.page = page;
  request.limit = limit;

  EventPage answer = m_client.fetch_events(request);
  return Page{std::move(answer.events), answer.events_in_answer};
}

} // namespace m2s
