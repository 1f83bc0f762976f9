#pragma once

// --- The MISP events the stand-in serves: every *.json file of a folder ---
//
// Files are re-read on every call, so tests can edit them between runs. A
// file may hold {"response":[{"Event":{...}}, ...]}, {"Event":{...}} or a
// bare event object. Files that are not JSON and events without "uuid" are
// skipped with a warning on stderr (once per file and problem).

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace m2s::sandbox {

struct MispEvent {
  boost::json::object json; // the original event, unchanged
  std::int64_t id = 0;      // Event.id; made up when the file has none
  std::string uuid;
  std::int64_t timestamp = 0;
  std::int64_t publish_timestamp = 0;
  bool published = false;
  std::string orgc_uuid;
  std::string file; // for messages
};

class EventSource {
public:
  explicit EventSource(std::string dir);

  // All events, in file-name order. Events without a numeric id get
  // max(id) + 1, + 2, ... in that order. A repeated uuid keeps the first.
  [[nodiscard]] std::vector<MispEvent> load();

private:
  void warn(const std::string& file, const std::string& problem);
  void forget(const std::string& file);

  std::string m_dir;
  std::mutex m_mutex;
  std::map<std::string, std::string> m_warned; // file -> last problem
};

} // namespace m2s::sandbox
