// Fuzz target: MISP event JSON -> parse_events -> convert_event ->
// finalize_indicator -> the JSON that would be uploaded.
//
// Properties: only MispError escapes the parser; every indicator has a
// single-comparison pattern whose literal reads back as its value, a STIX
// id, an RFC 3339 valid_from, and serialises to JSON that parses back to
// the same object.

#include "fuzz_support.hpp"
#include "misp2sentinel/misp/event_parser.hpp"
#include "misp2sentinel/stix/conversion.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "misp2sentinel/util/hash.hpp"
#include "misp2sentinel/util/time.hpp"

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
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

  std::vector<m2s::MispEvent> events;
  try {
    events = m2s::parse_events(text, "fuzz input");
  } catch (const m2s::MispError&) {
    return 0;
  }

  for (const m2s::MispEvent& event : events) {
    check(!event.uuid.empty(), "event without uuid was accepted");
    convert(event, false);
  }
  return 0;
}
