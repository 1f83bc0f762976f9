#include "misp_files.hpp"

#include "misp2sentinel/misp/event_parser.hpp"
#include "misp2sentinel/stix/conversion.hpp"
#include "process.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <ctime>
#include <filesystem>
#include <stdexcept>

namespace m2s::testing {

EventFile::EventFile(std::string path)
    : m_path(std::move(path)),
      m_doc(boost::json::parse(read_file(m_path))) {}

boost::json::object& EventFile::event() {
  boost::json::object& top = m_doc.as_object();
  if (auto* response = top.if_contains("response")) {
    return response->as_array().at(0).as_object().at("Event").as_object();
  }
  if (auto* event = top.if_contains("Event")) {
    return event->as_object();
  }
  return top;
}

boost::json::object& EventFile::attribute(const std::string& uuid) {
  boost::json::object& e = event();
  if (auto* list = e.if_contains("Attribute")) {
    for (auto& a : list->as_array()) {
      if (a.as_object().at("uuid").as_string() == uuid) {
        return a.as_object();
      }
    }
  }
  if (auto* objects = e.if_contains("Object")) {
    for (auto& o : objects->as_array()) {
      for (auto& a : o.as_object().at("Attribute").as_array()) {
        if (a.as_object().at("uuid").as_string() == uuid) {
          return a.as_object();
        }
      }
    }
  }
  throw std::runtime_error("no attribute " + uuid + " in " + m_path);
}

void EventFile::touch(std::int64_t seconds_ahead) {
  const std::string now = std::to_string(std::time(nullptr) + seconds_ahead);
  boost::json::object& e = event();
  e["timestamp"] = now;
  const auto* published = e.if_contains("published");
  if (published != nullptr && published->is_bool() && published->get_bool()) {
    e["publish_timestamp"] = now;
  }
}

void EventFile::save() {
  write_file(m_path, boost::json::serialize(m_doc));
}

void EventFile::save_as(const std::string& path) const {
  write_file(path, boost::json::serialize(m_doc));
}

std::set<std::string> expected_patterns(const std::string& events_dir,
                                        bool published_only,
                                        const std::string& not_tag) {
  std::set<std::string> patterns;
  for (const auto& entry : std::filesystem::directory_iterator(events_dir)) {
    const std::string path = entry.path().string();
    for (const MispEvent& event : parse_events(read_file(path), path)) {
      if (published_only && !event.published) {
        continue;
      }
      bool excluded = false;
      for (const MispTag& tag : event.tags) {
        excluded = excluded || (!not_tag.empty() && tag.name == not_tag);
      }
      if (excluded) {
        continue;
      }
      for (const IndicatorDraft& d :
           convert_event(event, ConversionOptions{}).indicators) {
        patterns.insert(d.pattern);
      }
    }
  }
  return patterns;
}

std::set<std::string> sandbox_patterns(const std::string& record_db,
                                       bool revoked) {
  SQLite::Database db(record_db);
  SQLite::Statement q(db, "SELECT pattern FROM objects WHERE revoked = ?1");
  q.bind(1, revoked ? 1 : 0);
  std::set<std::string> patterns;
  while (q.executeStep()) {
    patterns.insert(q.getColumn(0).getString());
  }
  return patterns;
}

} // namespace m2s::testing
