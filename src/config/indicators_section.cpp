#include "sections.hpp"
#include "suggest.hpp"
#include "value_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace m2s::config_detail {

namespace {

const std::vector<std::string>& observable_types() {
  static const std::vector<std::string> types = {
      "ipv4-addr",
      "ipv6-addr",
      "domain-name",
      "url",
      "file",
      "email-addr",
      "user-account",
      "windows-registry-key",
  };
  return types;
}

constexpr int k_max_days = std::numeric_limits<int>::max();

void report_unknown_type(SectionReader& section, const std::string& key) {
  const std::vector<std::string>& types = observable_types();
  std::string text = "not a STIX observable type";
  if (key == "network-traffic") {
    // A STIX type, but one the converter never makes: a lifetime for it
    // would silently do nothing.
    text = "no indicator has this type (an IP with a port gives an "
           "ipv4-addr or ipv6-addr indicator)";
  } else if (auto guess = nearest_name(key, types)) {
    text += fmt::format(" (did you mean {}?)", *guess);
  }
  text += fmt::format("; use one of {}", fmt::join(types, ", "));
  section.problem(key, text);
}

std::map<std::string, int> read_days_by_type(SectionReader& section) {
  std::map<std::string, int> days_by_type;
  const std::vector<std::string>& types = observable_types();

  for (const std::string& key : section.keys()) {
    if (std::find(types.begin(), types.end(), key) == types.end()) {
      report_unknown_type(section, key);
      continue;
    }

    int days = 0;
    section.read(key, days, 1, k_max_days);
    if (days > 0) {
      days_by_type[key] = days;
    }
  }
  return days_by_type;
}

// A blank prefix would let every tag through, which is what an empty
// list already says; it is most likely a mistake.
void read_tag_prefixes(SectionReader& section,
                       std::vector<std::string>& prefixes) {
  std::vector<std::string> read;
  section.read("allowed_tag_prefixes", read);
  for (const std::string& prefix : read) {
    if (prefix.find_first_not_of(" \t") == std::string::npos) {
      section.problem("allowed_tag_prefixes",
                      "a prefix is blank; leave the list empty to allow "
                      "every tag");
      return;
    }
  }
  prefixes = std::move(read);
}

// A refresh window as long as a lifetime would re-send every indicator of
// that type on every run.
void check_refresh_window(SectionReader& section,
                          const IndicatorConfig& indicators) {
  if (indicators.expire_from != ExpireFrom::now
      || indicators.refresh_before_days == 0) {
    return;
  }

  int shortest = indicators.days_to_expire;
  std::string where = "days_to_expire";
  for (const auto& [type, days] : indicators.days_to_expire_by_type) {
    if (days < shortest) {
      shortest = days;
      where = "days_to_expire_by_type." + type;
    }
  }
  if (indicators.refresh_before_days >= shortest) {
    section.problem("refresh_before_days",
                    fmt::format("{} is not less than {} ({}): every run "
                                "would re-send those indicators; make it "
                                "smaller, or 0 to turn refresh off",
                                indicators.refresh_before_days,
                                where,
                                shortest));
  }
}

} // namespace

IndicatorConfig read_indicators_section(SectionReader& section) {
  IndicatorConfig indicators;
  section.read("default_confidence", indicators.default_confidence, 0, 100);
  section.read("days_to_expire", indicators.days_to_expire, 1, k_max_days);
  section.read("refresh_before_days",
               indicators.refresh_before_days,
               0,
               k_max_days);

  const std::optional<std::string> expire_from =
      read_choice(section, "expire_from", {"now", "valid_from"});
  if (expire_from) {
    indicators.expire_from =
        *expire_from == "now" ? ExpireFrom::now : ExpireFrom::valid_from;
  }

  const std::optional<std::string> tlp = read_choice(section,
                                                     "default_tlp",
                                                     {"tlp:clear",
                                                      "tlp:white",
                                                      "tlp:green",
                                                      "tlp:amber",
                                                      "tlp:amber+strict",
                                                      "tlp:red"});
  indicators.default_tlp = tlp.value_or(indicators.default_tlp);

  section.read("ignore_local_tags", indicators.ignore_local_tags);
  read_tag_prefixes(section, indicators.allowed_tag_prefixes);

  SectionReader by_type = section.section("days_to_expire_by_type");
  indicators.days_to_expire_by_type = read_days_by_type(by_type);
  check_refresh_window(section, indicators);

  section.report_unknown_keys();
  return indicators;
}

} // namespace m2s::config_detail
