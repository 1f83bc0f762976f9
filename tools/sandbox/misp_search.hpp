#pragma once

// --- Running a restSearch / index query over the loaded events ---

#include "misp_events.hpp"
#include "misp_query.hpp"
#include "warninglist.hpp"

#include <cstddef>
#include <vector>

namespace m2s::sandbox {

enum class SearchScope {
  events, // restSearch: also filters the attributes inside each event
  index   // events/index: whole events, no attribute filtering
};

struct FoundEvent {
  MispEvent event;
  // events scope: the event as answered (a filtered copy); index scope:
  // empty (the answer is built from event.json).
  boost::json::object json;
};

struct SearchResult {
  std::vector<FoundEvent> events; // the requested page, in order
  std::size_t total = 0;          // matches before paging (X-Result-Count)
};

// Selects events (published, time ranges, ids/uuids, tags), then for the
// events scope drops attributes (event-level and object) that are deleted
// (unless asked for), fail `to_ids`, carry a stripped NOT tag or are
// warninglisted (when enforceWarninglist and the list is not empty), drops
// objects left without attributes and, with to_ids or deleted=only, events
// left without attributes. Then orders (ties by id asc) and pages. Event
// JSON is otherwise passed through unchanged. Only the events answered are
// copied, unless filtering can drop events (to_ids, deleted=only): then
// every selected event is, to count them.
[[nodiscard]] SearchResult run_search(const std::vector<MispEvent>& events,
                                      const SearchQuery& query,
                                      const Warninglist& warninglist,
                                      SearchScope scope);

} // namespace m2s::sandbox
