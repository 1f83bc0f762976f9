#pragma once

// --- The MISP event model: what the converter and the store need ---
//
// Parsed from MISP JSON by `parse_events` (misp/event_parser.hpp). Object
// attributes are flattened into `MispEvent::attributes`, each keeping its
// object's context, because Sentinel gets one indicator per observable.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace m2s {

struct MispTag {
  std::string name;
  bool local = false;
};

struct MispAttribute {
  std::string uuid;
  std::string type;     // e.g. "ip-dst", "domain|ip", "filename|sha256"
  std::string category; // e.g. "Network activity"
  std::string value;
  std::string comment;
  bool to_ids = false;
  bool deleted = false;
  std::int64_t timestamp = 0; // epoch seconds, MISP server clock
  std::optional<std::string> first_seen; // ISO-8601 as MISP wrote it
  std::optional<std::string> last_seen;
  std::vector<MispTag> tags;

  // Set when the attribute sits inside a MISP object; empty otherwise.
  std::string object_uuid;
  std::string object_name;          // e.g. "file", "domain-ip"
  std::string object_relation;      // e.g. "sha256", "ip"
  std::string object_meta_category; // e.g. "network"
};

struct MispEvent {
  std::string uuid;
  std::string id; // instance-local numeric id, may be empty (feeds)
  std::string info;
  std::string date; // YYYY-MM-DD as entered by the analyst
  std::string orgc_name;
  std::string orgc_uuid;
  bool published = false;
  std::int64_t timestamp = 0;
  std::int64_t publish_timestamp = 0;
  int threat_level_id = 4;
  std::vector<MispTag> tags;
  std::vector<MispAttribute> attributes;
};

} // namespace m2s
