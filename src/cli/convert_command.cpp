#include "convert_command.hpp"

#include "misp2sentinel/misp/event_parser.hpp"
#include "misp2sentinel/stix/conversion.hpp"
#include "misp2sentinel/util/hash.hpp"
#include "misp2sentinel/util/time.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <utility>

namespace m2s {

namespace {

// Sentinel takes at most 100 objects a request; a sync sends that many
// with the default batch_size.
constexpr std::size_t k_objects_per_request = 100;

struct Settings {
  ConversionOptions conversion;
  IndicatorConfig expiry;
  std::int64_t now_ms = 0;
};

Settings settings_of(const ConvertCommandOptions& options) {
  if (options.format != "bundle" && options.format != "request") {
    throw ConfigError("convert: --format must be bundle or request, not '"
                      + options.format + "'");
  }
  if (options.api != "stix-objects" && options.api != "upload-indicators") {
    throw ConfigError(
        "convert: --api must be stix-objects or upload-indicators, not '"
        + options.api + "'");
  }
  if (!tlp_marking_definition(options.default_tlp)) {
    throw ConfigError("convert: --tlp: '" + options.default_tlp
                      + "' is not a TLP tag (tlp:clear, tlp:white, "
                        "tlp:green, tlp:amber, tlp:amber+strict, tlp:red)");
  }

  Settings settings;
  settings.conversion.require_to_ids = options.to_ids_only;
  settings.conversion.default_confidence = options.default_confidence;
  settings.conversion.default_tlp = options.default_tlp;
  settings.conversion.misp_url = options.misp_url;
  settings.expiry.days_to_expire = options.days_to_expire;
  if (options.expire_from == "valid_from") {
    settings.expiry.expire_from = ExpireFrom::valid_from;
  } else if (options.expire_from != "now") {
    throw ConfigError("convert: --expire-from must be now or valid_from, "
                      "not '"
                      + options.expire_from + "'");
  }

  settings.now_ms = now_epoch_ms();
  if (!options.now.empty()) {
    const auto now = parse_iso8601_ms(options.now);
    if (!now) {
      throw ConfigError("convert: --now: '" + options.now
                        + "' is not an ISO-8601 time such as "
                          "2026-01-01T00:00:00Z");
    }
    settings.now_ms = *now;
  }
  return settings;
}

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw ConfigError(fmt::format(
        "convert: {}: cannot read the file: {}", path, std::strerror(errno)));
  }
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) {
    throw ConfigError(fmt::format("convert: {}: read error", path));
  }
  return std::move(text).str();
}

// What one file gave, for the summary on stderr.
struct Tally {
  std::size_t events = 0;
  std::size_t attributes = 0;
  std::size_t indicators = 0;
  std::size_t skipped = 0;
  std::map<std::string, std::size_t> by_type;
  std::map<std::string, std::size_t> skips_by_reason;

  void add(const Tally& other) {
    events += other.events;
    attributes += other.attributes;
    indicators += other.indicators;
    skipped += other.skipped;
    for (const auto& [type, count] : other.by_type) {
      by_type[type] += count;
    }
    for (const auto& [reason, count] : other.skips_by_reason) {
      skips_by_reason[reason] += count;
    }
  }

  void skip(const std::string& reason) {
    ++skipped;
    ++skips_by_reason[reason];
  }
};

class Converter {
public:
  explicit Converter(Settings settings)
      : m_settings(std::move(settings)) {}

  Tally convert_file(const std::string& path) {
    const std::vector<MispEvent> events = parse_events(read_file(path), path);
    Tally tally;
    tally.events = events.size();
    for (const MispEvent& event : events) {
      tally.attributes += event.attributes.size();
      convert(event, tally);
    }
    return tally;
  }

  [[nodiscard]] const std::vector<boost::json::object>& objects() const {
    return m_objects;
  }

private:
  // As a sync's first send: an indicator already expired is not sent, and
  // an attribute uuid met twice keeps its first indicator.
  void convert(const MispEvent& event, Tally& tally) {
    const EventConversion conversion =
        convert_event(event, m_settings.conversion);
    for (const SkippedAttribute& skipped : conversion.skipped) {
      tally.skip(skipped.reason);
    }

    for (const IndicatorDraft& draft : conversion.indicators) {
      const auto life =
          first_lifecycle(draft, m_settings.expiry, m_settings.now_ms);
      if (!life) {
        tally.skip("expired");
        continue;
      }
      if (!m_ids.insert(life->id).second) {
        tally.skip("duplicate attribute uuid");
        continue;
      }
      m_objects.push_back(finalize_indicator(draft, *life));
      ++tally.indicators;
      ++tally.by_type[draft.observable_type];
    }
  }

  Settings m_settings;
  std::set<std::string> m_ids;
  std::vector<boost::json::object> m_objects;
};

// The bundle id depends on what it holds, so the same input at the same
// --now gives the same bundle byte for byte.
std::string bundle_id(const std::vector<boost::json::object>& objects) {
  std::string name = "bundle";
  for (const auto& object : objects) {
    name += "|";
    name += object.at("id").as_string();
  }
  return "bundle--" + uuid_v5(k_indicator_id_namespace, name);
}

// One object a line, so that the bundle reads (and greps) one indicator at
// a time and is still one JSON document.
void print_bundle(const std::vector<boost::json::object>& objects,
                  std::ostream& out) {
  out << R"({"type":"bundle","id":")" << bundle_id(objects)
      << R"(","objects":[)" << '\n';
  for (std::size_t i = 0; i < objects.size(); ++i) {
    out << boost::json::serialize(objects[i])
        << (i + 1 < objects.size() ? ",\n" : "\n");
  }
  out << "]}\n";
}

// The bodies a sync POSTs, one a line: {"sourcesystem", "stixobjects"} for
// the STIX objects API, {"sourcesystem", "value"} for the legacy one.
void print_requests(const std::vector<boost::json::object>& objects,
                    const ConvertCommandOptions& options,
                    std::ostream& out) {
  const char* key = options.api == "stix-objects" ? "stixobjects" : "value";
  for (std::size_t first = 0; first < objects.size();
       first += k_objects_per_request) {
    const std::size_t last =
        std::min(objects.size(), first + k_objects_per_request);
    boost::json::array list;
    for (std::size_t i = first; i < last; ++i) {
      list.emplace_back(objects[i]);
    }
    boost::json::object body;
    body["sourcesystem"] = options.source_system;
    body[key] = std::move(list);
    out << boost::json::serialize(body) << '\n';
  }
}

std::string counts_text(const std::map<std::string, std::size_t>& counts) {
  std::string text;
  for (const auto& [name, count] : counts) {
    text += fmt::format("{}{}: {}", text.empty() ? "" : ", ", name, count);
  }
  return text;
}

std::string tally_text(const std::string& what, const Tally& tally) {
  std::string text =
      fmt::format("{}: {} event(s), {} attribute(s): {} indicator(s)",
                  what,
                  tally.events,
                  tally.attributes,
                  tally.indicators);
  if (!tally.by_type.empty()) {
    text += " (" + counts_text(tally.by_type) + ")";
  }
  text += fmt::format("; skipped {}", tally.skipped);
  if (!tally.skips_by_reason.empty()) {
    text += " (" + counts_text(tally.skips_by_reason) + ")";
  }
  return text + "\n";
}

} // namespace

ExitCode run_convert_command(const ConvertCommandOptions& options,
                             std::ostream& out,
                             std::ostream& err) {
  Converter converter(settings_of(options));
  std::vector<std::pair<std::string, Tally>> tallies;
  for (const std::string& path : options.files) {
    tallies.emplace_back(path, converter.convert_file(path));
  }

  if (options.format == "bundle") {
    print_bundle(converter.objects(), out);
  } else {
    print_requests(converter.objects(), options, out);
  }

  Tally total;
  for (const auto& [path, tally] : tallies) {
    err << tally_text(path, tally);
    total.add(tally);
  }
  if (tallies.size() > 1) {
    err << tally_text(fmt::format("total of {} files", tallies.size()), total);
  }
  out.flush();
  return ExitCode::ok;
}

} // namespace m2s
