#include "misp2sentinel/sync/live_endpoints.hpp"

namespace m2s {

EventSource::Page MispEventSource::fetch(const Query& query) {
  EventPageRequest request;
  request.cursor_field = query.field == "publish_timestamp"
                             ? CursorField::publish_timestamp
                             : CursorField::timestamp;
  request.since = query.since;
  request.page = query.page;
  request.limit = query.limit;
  request.event_uuids = query.event_uuids;
  request.tags_on_server = query.tags_on_server;

  EventPage answer = m_client.fetch_events(request);
  return Page{std::move(answer.events),
              answer.events_in_answer,
              std::move(answer.unreadable)};
}

std::vector<EventSource::IndexEntry> MispEventSource::index() {
  std::vector<IndexEntry> entries;
  for (EventIndexEntry& entry : m_client.event_index()) {
    entries.push_back(IndexEntry{std::move(entry.uuid), entry.published});
  }
  return entries;
}

BatchOutcome SentinelSink::upload(const std::vector<OutboxItem>& batch) {
  std::vector<std::string> objects;
  objects.reserve(batch.size());
  for (const OutboxItem& item : batch) {
    objects.push_back(item.stix_object);
  }
  return m_uploader.upload(objects);
}

} // namespace m2s
