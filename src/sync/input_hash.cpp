#include "input_hash.hpp"

#include "misp2sentinel/util/hash.hpp"

#include <charconv>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>

namespace m2s {

namespace {

// A field added to the event model must be added to the hash below, or a
// change of only that field would go unseen. These sizes (x86-64, libstdc++)
// are there to make the compiler say so.
static_assert(sizeof(MispAttribute) == 408,
              "MispAttribute changed: hash the new field in write_attribute");
static_assert(sizeof(MispEvent) == 272,
              "MispEvent changed: hash the new field in event_input_hash "
              "(and in AttributeInputHasher when the converter reads it)");
static_assert(sizeof(MispTag) == 40,
              "MispTag changed: hash the new field in FieldWriter::tags");

// Fields are written with their length in front, so that no two inputs
// give the same bytes ("ab","c" against "a","bc").
class FieldWriter {
public:
  // One allocation for a typical attribute instead of one per doubling.
  explicit FieldWriter(Sha256& hash)
      : m_hash(hash) {
    m_buffer.reserve(1024);
  }

  void text(std::string_view value) {
    number(static_cast<std::int64_t>(value.size()));
    m_buffer.append(value);
    flush_if_large();
  }

  void optional_text(const std::optional<std::string>& value) {
    flag(value.has_value());
    text(value.value_or(""));
  }

  void number(std::int64_t value) {
    // to_chars: std::to_string made a string per field.
    char digits[24];
    const auto end =
        std::to_chars(std::begin(digits), std::end(digits), value).ptr;
    m_buffer.append(digits, end);
    m_buffer.push_back(';');
  }

  void flag(bool value) {
    m_buffer.push_back(value ? '1' : '0');
  }

  void texts(const std::vector<std::string>& values) {
    number(static_cast<std::int64_t>(values.size()));
    for (const std::string& value : values) {
      text(value);
    }
  }

  void tags(const std::vector<MispTag>& values) {
    number(static_cast<std::int64_t>(values.size()));
    for (const MispTag& tag : values) {
      flag(tag.local);
      text(tag.name);
    }
  }

  void finish() {
    m_hash.update(m_buffer);
    m_buffer.clear();
  }

private:
  // One update per few kilobytes: an update per field would cost more
  // than the hashing.
  void flush_if_large() {
    if (m_buffer.size() >= 16384) {
      finish();
    }
  }

  Sha256& m_hash;
  std::string m_buffer;
};

// Everything the conversion depends on besides MISP's data: a new
// converter version or a config change converts everything again.
void write_conversion_settings(FieldWriter& out, const Config& config) {
  out.number(k_conversion_version);

  const MispFilters& filters = config.misp.filters;
  out.flag(filters.published);
  out.flag(filters.to_ids);
  out.texts(filters.tags);
  out.texts(filters.not_tags);
  out.flag(filters.enforce_warninglist);
  out.text(config.misp.url);

  const IndicatorConfig& indicators = config.indicators;
  out.number(indicators.default_confidence);
  out.number(indicators.days_to_expire);
  out.number(indicators.refresh_before_days);
  out.number(static_cast<std::int64_t>(indicators.expire_from));
  out.number(
      static_cast<std::int64_t>(indicators.days_to_expire_by_type.size()));
  for (const auto& [type, days] : indicators.days_to_expire_by_type) {
    out.text(type);
    out.number(days);
  }
  out.text(indicators.default_tlp);
  out.flag(indicators.ignore_local_tags);
  out.texts(indicators.allowed_tag_prefixes);
}

void write_attribute(FieldWriter& out, const MispAttribute& a) {
  out.text(a.uuid);
  out.text(a.type);
  out.text(a.category);
  out.text(a.value);
  out.text(a.comment);
  out.flag(a.to_ids);
  out.flag(a.deleted);
  out.number(a.timestamp);
  out.optional_text(a.first_seen);
  out.optional_text(a.last_seen);
  out.tags(a.tags);
  out.text(a.object_uuid);
  out.text(a.object_name);
  out.text(a.object_relation);
  out.text(a.object_meta_category);
}

} // namespace

AttributeInputHasher::AttributeInputHasher(const MispEvent& event,
                                           const Config& config)
    : m_event(event) {
  Sha256 hash;
  FieldWriter out(hash);
  write_conversion_settings(out, config);
  out.text(event.uuid);
  out.text(event.info);
  out.text(event.orgc_uuid);
  out.flag(event.published);
  out.tags(event.tags);
  out.finish();
  m_context = hash.hex_digest();
}

std::string AttributeInputHasher::hash(const MispAttribute& attribute) const {
  thread_local Sha256 hash;
  FieldWriter out(hash);
  out.text(m_context);
  // Old data without attribute timestamps takes the event's (valid_from).
  out.number(attribute.timestamp > 0 ? 0 : m_event.timestamp);
  write_attribute(out, attribute);
  out.finish();
  return hash.hex_digest();
}

std::string event_input_hash(const MispEvent& event, const Config& config) {
  Sha256 hash;
  FieldWriter out(hash);
  write_conversion_settings(out, config);

  out.text(event.uuid);
  out.text(event.id);
  out.text(event.info);
  out.text(event.date);
  out.text(event.orgc_name);
  out.text(event.orgc_uuid);
  out.flag(event.published);
  out.number(event.timestamp);
  out.number(event.publish_timestamp);
  out.number(event.threat_level_id);
  out.tags(event.tags);
  out.number(static_cast<std::int64_t>(event.attributes.size()));
  for (const MispAttribute& attribute : event.attributes) {
    write_attribute(out, attribute);
  }
  out.finish();
  return hash.hex_digest();
}

} // namespace m2s
