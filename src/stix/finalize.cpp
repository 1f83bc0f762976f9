#include "misp2sentinel/stix/conversion.hpp"

#include <boost/json/serialize.hpp>

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

// How every draft's JSON starts (make_draft writes these two first).
constexpr std::string_view k_draft_start =
    R"({"type":"indicator","spec_version":"2.1")";

void append_field(std::string& json,
                  std::string_view key,
                  std::string_view value) {
  json += ",\"";
  json += key;
  json += "\":";
  json += boost::json::serialize(boost::json::string_view(value));
}

} // namespace

std::string finalize_indicator_json(const IndicatorDraft& draft,
                                    const std::string& draft_json,
                                    const IndicatorLifecycle& lifecycle) {
  // A draft made some other way (a test's) takes the long way.
  const bool spliceable = draft_json.starts_with(k_draft_start)
                          && draft_json.ends_with('}')
                          && draft.stix.size() >= 2;
  if (!spliceable) {
    return boost::json::serialize(finalize_indicator(draft, lifecycle));
  }

  // The draft's fields after type and spec_version, without the brace.
  const std::string_view rest =
      std::string_view(draft_json)
          .substr(k_draft_start.size(),
                  draft_json.size() - k_draft_start.size() - 1);
  std::string json;
  json.reserve(draft_json.size() + 160);
  json += k_draft_start;
  append_field(json, "id", lifecycle.id);
  append_field(json, "created", lifecycle.created);
  append_field(json, "modified", lifecycle.modified);
  json += rest;
  if (!lifecycle.valid_until.empty()) {
    append_field(json, "valid_until", lifecycle.valid_until);
  }
  if (lifecycle.revoked) {
    json += R"(,"revoked":true)";
  }
  json += '}';
  return json;
}

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
