// Fuzz target: STIX pattern escaping and the value checks of every
// supported MISP type, on arbitrary bytes.
//
// Properties: escape_pattern_literal gives a literal the STIX grammar
// accepts and that reads back as the original bytes; converting the bytes
// as the value of each supported type gives either a skip or indicators
// whose patterns are valid and read back as the observable value; for
// valid UTF-8 input the indicator serialises to JSON that parses back.

#include "fuzz_support.hpp"
#include "misp2sentinel/stix/conversion.hpp"

#include <boost/json.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using m2s::fuzz::check;

constexpr std::array<const char*, 16> k_types = {"ip-dst",
                                                 "ip-src|port",
                                                 "domain",
                                                 "hostname",
                                                 "domain|ip",
                                                 "url",
                                                 "email-src",
                                                 "filename",
                                                 "md5",
                                                 "sha1",
                                                 "sha256",
                                                 "sha512",
                                                 "ssdeep",
                                                 "tlsh",
                                                 "filename|md5",
                                                 "filename|sha256"};

bool is_utf8(const std::string& text) {
  boost::system::error_code error;
  static_cast<void>(boost::json::parse(
      boost::json::serialize(boost::json::string(text)), error));
  return !error;
}

void check_escaping(const std::string& value) {
  const std::string pattern =
      "[file:name = '" + m2s::escape_pattern_literal(value) + "']";
  m2s::fuzz::check_pattern(pattern, "file", value);
}

void check_conversion(const std::string& value, bool utf8) {
  m2s::MispEvent event;
  event.uuid = "5a610659-d718-4a1f-b020-04d80a016219";
  event.info = "fuzz";
  event.timestamp = 1700000000;
  for (const char* type : k_types) {
    m2s::MispAttribute attribute;
    attribute.uuid = "5a611861-5388-4287-834c-04da0a016219";
    attribute.type = type;
    attribute.value = value;
    attribute.to_ids = true;
    event.attributes.push_back(std::move(attribute));
  }

  const m2s::EventConversion result = m2s::convert_event(event, {});
  for (const m2s::IndicatorDraft& draft : result.indicators) {
    m2s::fuzz::check_pattern(draft.pattern, draft.observable_type, draft.value);
    if (!utf8) {
      continue;
    }
    const std::string body = boost::json::serialize(draft.stix);
    boost::system::error_code error;
    const boost::json::value back = boost::json::parse(body, error);
    check(!error && back == boost::json::value(draft.stix),
          "indicator JSON does not read back");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string value(reinterpret_cast<const char*>(data), size);
  check_escaping(value);
  check_conversion(value, is_utf8(value));
  return 0;
}
