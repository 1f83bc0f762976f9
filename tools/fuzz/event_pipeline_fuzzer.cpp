// Fuzz target: MISP event JSON -> parse_events -> convert_event ->
// finalize_indicator -> the JSON that would be uploaded.
//
// Properties: only MispError escapes the parser; the text read in chunks
// (of a size taken from the input) gives the same events or the same
// error as read whole; every indicator has a single-comparison pattern
// whose literal reads back as its value, a STIX id, an RFC 3339
// valid_from, and serialises to JSON that parses back to the same object.

#include "fuzz_support.hpp"
#include "misp2sentinel/misp/event_parser.hpp"
#include "misp2sentinel/misp/event_reader.hpp"
#include "misp2sentinel/stix/conversion.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "misp2sentinel/util/hash.hpp"
#include "misp2sentinel/util/time.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace {

using m2s::fuzz::check;

void check_draft(const m2s::IndicatorDraft& draft) {
  m2s::fuzz::check_pattern(draft.pattern, draft.observable_type, draft.value);
  check(draft.stix.at("pattern").as_string() == draft.pattern,
        "stix pattern differs from the draft's");

  const std::string valid_from(draft.stix.at("valid_from").as_string());
  check(m2s::parse_iso8601_ms(valid_from).has_value(),
        "valid_from is not a timestamp: " + valid_from);

  const std::string id =
      m2s::indicator_id(draft.attribute_uuid, draft.component, 0);
  check(id.starts_with("indicator--") && m2s::is_canonical_uuid(id.substr(11)),
        "bad indicator id " + id);

  m2s::IndicatorLifecycle lifecycle;
  lifecycle.id = id;
  lifecycle.created = "2026-01-01T00:00:00.000Z";
  lifecycle.modified = lifecycle.created;
  lifecycle.valid_until = "2026-03-01T00:00:00.000Z";
  const boost::json::object object = m2s::finalize_indicator(draft, lifecycle);

  const std::string body = boost::json::serialize(object);
  boost::system::error_code error;
  const boost::json::value back = boost::json::parse(body, error);
  check(!error, "uploaded JSON does not parse: " + error.message());
  check(back == boost::json::value(object), "uploaded JSON changes on reading");
}

auto fields_of(const m2s::MispTag& tag) {
  return std::tie(tag.name, tag.local);
}

bool same_tags(const std::vector<m2s::MispTag>& a,
               const std::vector<m2s::MispTag>& b) {
  return std::equal(
      a.begin(), a.end(), b.begin(), b.end(), [](auto& x, auto& y) {
        return fields_of(x) == fields_of(y);
      });
}

bool same_attribute(const m2s::MispAttribute& a, const m2s::MispAttribute& b) {
  const auto fields = [](const m2s::MispAttribute& x) {
    return std::tie(x.uuid,
                    x.type,
                    x.category,
                    x.value,
                    x.comment,
                    x.to_ids,
                    x.deleted,
                    x.timestamp,
                    x.first_seen,
                    x.last_seen,
                    x.object_uuid,
                    x.object_name,
                    x.object_relation,
                    x.object_meta_category);
  };
  return fields(a) == fields(b) && same_tags(a.tags, b.tags);
}

bool same_event(const m2s::MispEvent& a, const m2s::MispEvent& b) {
  const auto fields = [](const m2s::MispEvent& x) {
    return std::tie(x.uuid,
                    x.id,
                    x.info,
                    x.date,
                    x.orgc_name,
                    x.orgc_uuid,
                    x.published,
                    x.timestamp,
                    x.publish_timestamp,
                    x.threat_level_id);
  };
  return fields(a) == fields(b) && same_tags(a.tags, b.tags)
         && std::equal(a.attributes.begin(),
                       a.attributes.end(),
                       b.attributes.begin(),
                       b.attributes.end(),
                       same_attribute);
}

// The events, or the error, of `text` fed `chunk` bytes at a time.
struct Reading {
  std::vector<m2s::MispEvent> events;
  std::string error;
};

Reading read_in_chunks(std::string_view text, std::size_t chunk) {
  try {
    m2s::EventReader reader("fuzz input");
    for (std::size_t at = 0; at < text.size(); at += chunk) {
      reader.feed(text.substr(at, chunk));
    }
    return {reader.finish().events, ""};
  } catch (const m2s::MispError& error) {
    return {{}, error.what()};
  }
}

// Boost.JSON may place a syntax error in a token cut by a chunk boundary
// at another byte of it: the reason must agree, the position may not.
std::string_view without_position(std::string_view error) {
  const auto at = error.find(" at byte ");
  return error.starts_with("fuzz input: invalid JSON: ") ? error.substr(0, at)
                                                         : error;
}

void check_chunks_read_alike(std::string_view text, const Reading& whole) {
  // Unsigned: a last byte of 0x80 or above must not give a chunk of 0
  // (a loop that never ends) or a negative one.
  const auto last = text.empty() ? 0U : static_cast<unsigned char>(text.back());
  const std::size_t chunk = 1 + last % 7;
  const Reading chunked = read_in_chunks(text, chunk);

  check(without_position(chunked.error) == without_position(whole.error),
        "read in chunks of " + std::to_string(chunk) + ": \"" + chunked.error
            + "\", whole: \"" + whole.error + "\"");
  check(std::equal(chunked.events.begin(),
                   chunked.events.end(),
                   whole.events.begin(),
                   whole.events.end(),
                   same_event),
        "events read in chunks of " + std::to_string(chunk) + " differ");
}

void convert(const m2s::MispEvent& event, bool require_to_ids) {
  m2s::ConversionOptions options;
  options.require_to_ids = require_to_ids;
  options.misp_url = "https://misp.example.org/";

  const m2s::EventConversion result = m2s::convert_event(event, options);
  check(result.skipped.size() <= event.attributes.size(),
        "more skips than attributes");
  check(result.indicators.size() <= 2 * event.attributes.size(),
        "more than two indicators per attribute");
  for (const m2s::IndicatorDraft& draft : result.indicators) {
    check_draft(draft);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  Reading whole;
  try {
    whole.events = m2s::parse_events(text, "fuzz input");
  } catch (const m2s::MispError& error) {
    whole.error = error.what();
  }
  check_chunks_read_alike(text, whole);

  for (const m2s::MispEvent& event : whole.events) {
    check(!event.uuid.empty(), "event without uuid was accepted");
    convert(event, false);
  }
  return 0;
}
