#include "stix_validation.hpp"

#include "stix_pattern.hpp"
#include "stix_time.hpp"
#include "text_util.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

namespace m2s::sandbox {

namespace {

constexpr std::array k_stix_object_types = {
    "indicator", "attack-pattern", "threat-actor", "identity", "relationship"};

std::string actual(const boost::json::value& value) {
  if (const auto* text = value.if_string()) {
    return clip(std::string_view(text->data(), text->size()), 200);
  }
  return clip(boost::json::serialize(value), 200);
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
                     || (c >= 'A' && c <= 'F');
    if (dash ? c != '-' : !hex) {
      return false;
    }
  }
  return true;
}

class Checker {
public:
  explicit Checker(const boost::json::object& object)
      : m_object(object) {}

  void fail(std::string_view property, std::string_view problem) {
    m_errors.push_back(
        fmt::format("Error for Property={}: {}", property, problem));
  }

  void fail_value(std::string_view property,
                  std::string_view problem,
                  const boost::json::value& value) {
    fail(property, fmt::format("{} Actual value: {}.", problem, actual(value)));
  }

  // The member, or nullptr (recorded as missing) when absent or null.
  const boost::json::value* required(std::string_view property) {
    const auto* value = m_object.if_contains(property);
    if (value == nullptr || value->is_null()) {
      fail(property, "Required property is missing. Actual value: NULL.");
      return nullptr;
    }
    return value;
  }

  std::optional<std::string_view> string(const boost::json::value* value,
                                         std::string_view property) {
    if (value == nullptr) {
      return std::nullopt;
    }
    if (!value->is_string() || value->get_string().empty()) {
      fail_value(property, "Expected a non-empty string.", *value);
      return std::nullopt;
    }
    const auto& text = value->get_string();
    return std::string_view(text.data(), text.size());
  }

  std::optional<std::string_view> required_string(std::string_view property) {
    return string(required(property), property);
  }

  std::optional<StixTime> time(const boost::json::value* value,
                               std::string_view property) {
    const auto text = string(value, property);
    if (!text) {
      return std::nullopt;
    }
    auto parsed = parse_stix_time(*text);
    if (!parsed) {
      fail_value(property,
                 "Invalid timestamp: expected RFC 3339 in UTC such as "
                 "2026-01-01T00:00:00.000Z.",
                 *value);
    }
    return parsed;
  }

  std::optional<StixTime> required_time(std::string_view property) {
    return time(required(property), property);
  }

  std::optional<StixTime> optional_time(std::string_view property) {
    return time(m_object.if_contains(property), property);
  }

  void optional_string(std::string_view property) {
    (void)string(m_object.if_contains(property), property);
  }

  void optional_string_list(std::string_view property) {
    const auto* value = m_object.if_contains(property);
    if (value == nullptr) {
      return;
    }
    const auto* list = value->if_array();
    const bool ok = list != nullptr
                    && std::all_of(list->begin(),
                                   list->end(),
                                   [](const boost::json::value& item) {
                                     return item.is_string();
                                   });
    if (!ok) {
      fail_value(property, "Expected a list of strings.", *value);
    }
  }

  void optional_object_list(std::string_view property,
                            std::initializer_list<std::string_view> keys) {
    const auto* value = m_object.if_contains(property);
    if (value == nullptr) {
      return;
    }
    const auto* list = value->if_array();
    const auto item_ok = [&keys](const boost::json::value& item) {
      const auto* fields = item.if_object();
      return fields != nullptr
             && std::all_of(keys.begin(), keys.end(), [&](auto key) {
                  const auto* field = fields->if_contains(key);
                  return field != nullptr && field->is_string();
                });
    };
    if (list == nullptr || !std::all_of(list->begin(), list->end(), item_ok)) {
      fail_value(property,
                 fmt::format("Expected a list of objects with {}.",
                             fmt::join(keys, ", ")),
                 *value);
    }
  }

  [[nodiscard]] const boost::json::object& object() const {
    return m_object;
  }

  [[nodiscard]] std::vector<std::string> take_errors() {
    return std::move(m_errors);
  }

private:
  const boost::json::object& m_object;
  std::vector<std::string> m_errors;
};

void check_type(Checker& check, std::string_view type, UploadApi api) {
  switch (api) {
  case UploadApi::upload_indicators:
    if (type != "indicator") {
      check.fail("type",
                 fmt::format("Only indicators can be uploaded with this API. "
                             "Actual value: {}.",
                             clip(type, 100)));
    }
    return;
  case UploadApi::stix_objects:
    if (std::find(k_stix_object_types.begin(), k_stix_object_types.end(), type)
        == k_stix_object_types.end()) {
      check.fail("type",
                 fmt::format("Unsupported object type; supported: {}. "
                             "Actual value: {}.",
                             fmt::join(k_stix_object_types, ", "),
                             clip(type, 100)));
    }
    return;
  }
}

void check_id(Checker& check, std::optional<std::string_view> type) {
  const auto id = check.required_string("id");
  if (!id) {
    return;
  }
  const std::size_t split = id->find("--");
  const bool ok = split != std::string_view::npos
                  && is_uuid(id->substr(split + 2))
                  && (!type || id->substr(0, split) == *type);
  if (!ok) {
    check.fail("id",
               fmt::format("Expected '<type>--<uuid>' matching the object "
                           "type. Actual value: {}.",
                           clip(*id, 200)));
  }
}

void check_common(Checker& check) {
  const auto created = check.required_time("created");
  const auto modified = check.required_time("modified");
  if (created && modified && *modified < *created) {
    check.fail("modified", "Must not be earlier than created.");
  }

  const auto& object = check.object();
  if (const auto* version = object.if_contains("spec_version")) {
    if (!version->is_string() || version->get_string() != "2.1") {
      check.fail_value(
          "spec_version", "Unsupported spec version; expected 2.1.", *version);
    }
  }
  if (const auto* revoked = object.if_contains("revoked")) {
    if (!revoked->is_bool()) {
      check.fail_value("revoked", "Expected a boolean.", *revoked);
    }
  }
  if (const auto* confidence = object.if_contains("confidence")) {
    const bool whole = confidence->is_int64() || confidence->is_uint64();
    const auto number = whole ? confidence->to_number<std::int64_t>() : -1;
    if (!whole || number < 0 || number > 100) {
      check.fail_value(
          "confidence", "Expected a JSON integer from 0 to 100.", *confidence);
    }
  }
  check.optional_string_list("labels");
  check.optional_string_list("object_marking_refs");
  check.optional_string("created_by_ref");
  check.optional_string("lang");
  check.optional_object_list("external_references", {"source_name"});
}

void check_indicator(Checker& check) {
  const auto pattern = check.required_string("pattern");
  const auto pattern_type = check.required_string("pattern_type");
  const auto valid_from = check.required_time("valid_from");
  const auto valid_until = check.optional_time("valid_until");
  if (valid_from && valid_until && !(*valid_until > *valid_from)) {
    check.fail("valid_until", "Must be later than valid_from.");
  }

  if (pattern && pattern_type == "stix") {
    const auto problem = stix_pattern_problem(*pattern);
    if (!problem.empty()) {
      check.fail("pattern",
                 fmt::format("Invalid STIX pattern: {}. Actual value: {}.",
                             problem,
                             clip(*pattern, 200)));
    }
  }

  check.optional_string("name");
  check.optional_string("description");
  check.optional_string("pattern_version");
  check.optional_string_list("indicator_types");
  check.optional_object_list("kill_chain_phases",
                             {"kill_chain_name", "phase_name"});
}

void check_by_type(Checker& check, std::string_view type) {
  if (type == "indicator") {
    check_indicator(check);
  } else if (type == "relationship") {
    (void)check.required_string("relationship_type");
    (void)check.required_string("source_ref");
    (void)check.required_string("target_ref");
  } else if (type == "identity" || type == "threat-actor"
             || type == "attack-pattern") {
    (void)check.required_string("name");
  }
}

} // namespace

const char* upload_api_name(UploadApi api) {
  switch (api) {
  case UploadApi::stix_objects:
    return "stix-objects";
  case UploadApi::upload_indicators:
    return "upload-indicators";
  }
  return "unknown";
}

std::vector<std::string> validate_stix_object(const boost::json::value& value,
                                              UploadApi api) {
  const auto* object = value.if_object();
  if (object == nullptr) {
    return {fmt::format(
        "Error for Property=object: Expected a JSON object. Actual value: "
        "{}.",
        actual(value))};
  }

  Checker check(*object);
  const auto type = check.required_string("type");
  if (type) {
    check_type(check, *type, api);
  }
  check_id(check, type);
  check_common(check);
  if (type) {
    check_by_type(check, *type);
  }
  return check.take_errors();
}

} // namespace m2s::sandbox
