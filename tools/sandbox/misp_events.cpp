#include "misp_events.hpp"

#include "json_util.hpp"
#include "log.hpp"

#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace m2s::sandbox {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> json_files(const std::string& dir) {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  if (error) {
    log_warning(
        fmt::format("cannot list events folder {}: {}", dir, error.message()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The event objects of one document, in any of the three shapes.
std::vector<const boost::json::value*>
candidate_events(const boost::json::value& document) {
  std::vector<const boost::json::value*> out;
  const auto& top = document.get_object();
  if (const auto* response = top.if_contains("response")) {
    if (const auto* list = response->if_array()) {
      for (const auto& item : *list) {
        const auto* wrapper = item.if_object();
        const auto* inner =
            wrapper != nullptr ? wrapper->if_contains("Event") : nullptr;
        out.push_back(inner != nullptr ? inner : &item);
      }
    }
    return out;
  }
  if (const auto* event = top.if_contains("Event")) {
    out.push_back(event);
    return out;
  }
  out.push_back(&document); // a bare event
  return out;
}

MispEvent make_event(const boost::json::object& json, const std::string& file) {
  MispEvent event;
  event.json = std::make_shared<const boost::json::object>(json);
  event.id = lenient_int(json.if_contains("id")).value_or(0);
  event.uuid = std::string(string_member(json, "uuid").value_or(""));
  event.timestamp = lenient_int(json.if_contains("timestamp")).value_or(0);
  event.publish_timestamp =
      lenient_int(json.if_contains("publish_timestamp")).value_or(0);
  event.published = lenient_bool(json.if_contains("published")).value_or(false);
  if (const auto* orgc = json.if_contains("Orgc")) {
    if (const auto* fields = orgc->if_object()) {
      event.orgc_uuid =
          std::string(string_member(*fields, "uuid").value_or(""));
    }
  }
  event.file = file;
  return event;
}

void assign_missing_ids(std::vector<MispEvent>& events) {
  std::int64_t next = 0;
  for (const auto& event : events) {
    next = std::max(next, event.id);
  }
  for (auto& event : events) {
    if (event.id <= 0) {
      event.id = ++next;
    }
  }
}

} // namespace

EventSource::EventSource(std::string dir, bool cache)
    : m_dir(std::move(dir)),
      m_cache(cache) {}

std::shared_ptr<const EventSource::ParsedFile>
EventSource::read(const fs::path& path) {
  std::error_code error;
  const auto size = fs::file_size(path, error);
  const auto modified =
      error ? fs::file_time_type{} : fs::last_write_time(path, error);
  const bool cacheable = m_cache && !error;
  if (cacheable) {
    const std::lock_guard lock(m_mutex);
    const auto it = m_files.find(path.string());
    if (it != m_files.end() && it->second->size == size
        && it->second->modified == modified) {
      return it->second;
    }
  }

  auto parsed = std::make_shared<ParsedFile>();
  parsed->size = size;
  parsed->modified = modified;
  boost::json::error_code json_error;
  const auto document = boost::json::parse(read_file(path), json_error);
  if (json_error || !document.is_object()) {
    parsed->invalid = json_error
                          ? "not valid JSON (" + json_error.message() + ")"
                          : "not a JSON object";
    return parsed; // never cached: the next call reports it again
  }

  const std::string file = path.filename().string();
  int index = 0;
  for (const auto* candidate : candidate_events(document)) {
    FileEntry entry;
    entry.index = ++index;
    const auto* json = candidate->if_object();
    if (json != nullptr && string_member(*json, "uuid")) {
      entry.event = make_event(*json, file);
    }
    parsed->entries.push_back(std::move(entry));
  }

  if (cacheable) {
    const std::lock_guard lock(m_mutex);
    m_files[path.string()] = parsed;
  }
  return parsed;
}

std::vector<MispEvent> EventSource::load() {
  std::vector<MispEvent> events;
  std::set<std::string> seen;

  for (const auto& path : json_files(m_dir)) {
    const std::string file = path.filename().string();
    const auto parsed = read(path);
    if (!parsed->invalid.empty()) {
      warn(file, parsed->invalid);
      continue;
    }

    std::string problems;
    for (const FileEntry& entry : parsed->entries) {
      if (!entry.event) {
        problems += fmt::format("event #{} has no uuid; ", entry.index);
        continue;
      }
      if (!seen.insert(entry.event->uuid).second) {
        problems += fmt::format(
            "event #{} repeats uuid {}; ", entry.index, entry.event->uuid);
        continue;
      }
      events.push_back(*entry.event);
    }

    if (problems.empty()) {
      forget(file);
    } else {
      warn(file, problems + "skipped");
    }
  }

  assign_missing_ids(events);
  return events;
}

void EventSource::warn(const std::string& file, const std::string& problem) {
  const std::lock_guard lock(m_mutex);
  auto& last = m_warned[file];
  if (last != problem) {
    last = problem;
    log_warning(fmt::format("events file {}: {}", file, problem));
  }
}

void EventSource::forget(const std::string& file) {
  const std::lock_guard lock(m_mutex);
  m_warned.erase(file);
}

} // namespace m2s::sandbox
