#include "misp2sentinel/stix/conversion.hpp"

namespace m2s {

ConversionOptions make_conversion_options(const Config& config) {
  ConversionOptions options;
  options.require_to_ids = config.misp.filters.to_ids;
  options.default_confidence = config.indicators.default_confidence;
  options.default_tlp = config.indicators.default_tlp;
  options.misp_url = config.misp.url;
  options.ignore_local_tags = config.indicators.ignore_local_tags;
  options.allowed_tag_prefixes = config.indicators.allowed_tag_prefixes;
  return options;
}

} // namespace m2s
