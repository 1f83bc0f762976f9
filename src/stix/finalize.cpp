#include "misp2sentinel/stix/conversion.hpp"

#include <array>
#include <string_view>

namespace m2s {

namespace {

// Keys finalize_indicator writes itself; a draft never holds them, but if
// one did the lifecycle value must win.
constexpr std::array<std::string_view, 7> k_lifecycle_keys = {"type",
                                                              "spec_version",
                                                              "id",
                                                              "created",
                                                              "modified",
                                                              "valid_until",
                                                              "revoked"};

bool is_lifecycle_key(std::string_view key) {
  for (const std::string_view lifecycle_key : k_lifecycle_keys) {
    if (key == lifecycle_key) {
      return true;
    }
  }
  return false;
}

} // namespace

boost::json::object finalize_indicator(const IndicatorDraft& draft,
                                       const IndicatorLifecycle& lifecycle) {
  boost::json::object indicator;
  indicator["type"] = "indicator";
  indicator["spec_version"] = "2.1";
  indicator["id"] = lifecycle.id;
  indicator["created"] = lifecycle.created;
  indicator["modified"] = lifecycle.modified;

  for (const auto& field : draft.stix) {
    if (!is_lifecycle_key(field.key())) {
      indicator[field.key()] = field.value();
    }
  }

  if (!lifecycle.valid_until.empty()) {
    indicator["valid_until"] = lifecycle.valid_until;
  }
  if (lifecycle.revoked) {
    indicator["revoked"] = true;
  }
  return indicator;
}

} // namespace m2s
