#pragma once

// Editing the sandbox's MISP event files the way MISP changes events, and
// computing what Sentinel should hold from them, for scenario tests.

#include <boost/json.hpp>

#include <cstdint>
#include <set>
#include <string>

namespace m2s::testing {

// One event file ({"response":[{"Event":…}]}, {"Event":…} or bare).
class EventFile {
public:
  explicit EventFile(std::string path);

  boost::json::object& event();
  // The attribute with `uuid`, at event level or in an object.
  boost::json::object& attribute(const std::string& uuid);

  // Bump the event's timestamp (and publish_timestamp when published) to
  // now + `seconds_ahead`, as a MISP edit (and publication) does.
  void touch(std::int64_t seconds_ahead = 0);
  void save();
  // Write the (changed) event to another file; this one stays as it was.
  void save_as(const std::string& path) const;

private:
  std::string m_path;
  boost::json::value m_doc;
};

// The patterns Sentinel should hold, not revoked, for the events in
// `events_dir`: parse, scope (published only when `published_only`, none
// of `not_tag`), convert with to_ids required.
std::set<std::string> expected_patterns(const std::string& events_dir,
                                        bool published_only,
                                        const std::string& not_tag = "");

// Patterns of the objects the sandbox holds with revoked = 0 / 1.
std::set<std::string> sandbox_patterns(const std::string& record_db,
                                       bool revoked);

} // namespace m2s::testing
