#pragma once

// --- The MISP events the stand-in serves: every *.json file of a folder ---
//
// Files are re-read on every call, so tests can edit them between runs. A
// file may hold {"response":[{"Event":{...}}, ...]}, {"Event":{...}} or a
// bare event object. Files that are not JSON and events without "uuid" are
// skipped with a warning on stderr (once per file and problem).
//
// With caching on (--cache-events, for benchmarks over millions of
// attributes), a file is parsed again only when its size or modification
// time changed; the events of an unchanged file are shared, not copied.

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace m2s::sandbox {

struct MispEvent {
  // The original event, unchanged; shared with the cache, so never
  // modified: a search copies what it answers.
  std::shared_ptr<const boost::json::object> json;
  std::int64_t id = 0; // Event.id; made up when the file has none
  std::string uuid;
  std::int64_t timestamp = 0;
  std::int64_t publish_timestamp = 0;
  bool published = false;
  std::string orgc_uuid;
  std::string file; // for messages
};

class EventSource {
public:
  EventSource(std::string dir, bool cache);

  // All events, in file-name order. Events without a numeric id get
  // max(id) + 1, + 2, ... in that order. A repeated uuid keeps the first.
  [[nodiscard]] std::vector<MispEvent> load();

private:
  // One event of a file, by its 1-based place; no event: it has no uuid.
  struct FileEntry {
    int index = 0;
    std::optional<MispEvent> event;
  };

  // What one file held when it had this size and modification time.
  struct ParsedFile {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type modified;
    std::string invalid; // why the file is not a JSON object; "" if it is
    std::vector<FileEntry> entries;
  };

  [[nodiscard]] std::shared_ptr<const ParsedFile>
  read(const std::filesystem::path& path);
  void warn(const std::string& file, const std::string& problem);
  void forget(const std::string& file);

  std::string m_dir;
  bool m_cache;
  std::mutex m_mutex;                          // guards m_warned and m_files
  std::map<std::string, std::string> m_warned; // file -> last problem
  std::map<std::string, std::shared_ptr<const ParsedFile>> m_files;
};

} // namespace m2s::sandbox
