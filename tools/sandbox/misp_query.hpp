#pragma once

// --- The filters of an /events/restSearch (or /events/index) body ---

#include "misp_tags.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace m2s::sandbox {

// Inclusive range of epoch seconds; from 0 means no lower bound.
struct TimeBound {
  std::int64_t from = 0;
  std::optional<std::int64_t> to;
};

enum class DeletedMode { hide, include, only };

enum class OrderField { id, timestamp, publish_timestamp };

// Event ids (numeric) or uuids, lower case; "!x" entries exclude.
struct IdFilter {
  std::vector<std::string> include;
  std::vector<std::string> exclude;

  [[nodiscard]] bool empty() const {
    return include.empty() && exclude.empty();
  }
};

struct SearchQuery {
  std::optional<std::vector<bool>> published; // allowed values
  std::optional<TimeBound> timestamp;
  std::optional<TimeBound> publish_timestamp;
  TagFilter tags;
  TagFilter event_tags;
  std::optional<bool> to_ids;
  IdFilter eventid; // event id or event uuid
  IdFilter uuid;    // event uuid or any attribute uuid
  DeletedMode deleted = DeletedMode::hide;
  bool enforce_warninglist = false;
  bool metadata = false;
  std::int64_t limit = 0; // 0: no paging
  std::int64_t page = 1;  // 1-based
  OrderField order = OrderField::id;
  bool descending = false;
};

class SearchError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Reads the filters MISP's Event scope knows; other keys are ignored, as
// MISP does. Time filters take an int, a numeric string, a relative "5d" /
// "12h" / "30m" / "10s", a "YYYY-MM-DD" date or a [from, to] pair; any
// other string matches nothing (MISP turns it into now+1). Throws
// SearchError naming the parameter when a value has an unusable type.
[[nodiscard]] SearchQuery parse_search_query(const boost::json::object& body,
                                             std::int64_t now_epoch);

} // namespace m2s::sandbox
