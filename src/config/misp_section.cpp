#include "secrets.hpp"
#include "sections.hpp"
#include "value_checks.hpp"

namespace m2s::config_detail {

namespace {

MispFilters read_filters(SectionReader& section) {
  MispFilters filters;
  section.read("published", filters.published);
  section.read("to_ids", filters.to_ids);
  section.read("tags", filters.tags);
  section.read("not_tags", filters.not_tags);
  section.read("enforce_warninglist", filters.enforce_warninglist);
  section.report_unknown_keys();
  return filters;
}

} // namespace

MispConfig read_misp_section(SectionReader& section,
                             const std::filesystem::path& folder,
                             bool need_key) {
  MispConfig misp;
  if (!section.has("url")) {
    section.problem("url", "missing; e.g. url = \"https://misp.example.org\"");
  }
  read_url(section, "url", misp.url, false);
  section.read("allow_insecure_http", misp.allow_insecure_http);
  refuse_plain_http(
      section, "url", misp.url, misp.allow_insecure_http, "the API key");

  misp.key = read_secret(
      section, "key", "the MISP API key", folder, need_key);

  section.read("verify_tls", misp.verify_tls);
  if (!misp.verify_tls) {
    section.warning("verify_tls",
                    "TLS certificate verification is OFF for MISP: anyone "
                    "on the network path can read the API key and change "
                    "the events (for a private CA, set ca_file instead)");
  }
  read_path(section, "ca_file", misp.ca_file, folder);
  section.read("page_size", misp.page_size, 1, 1000);
  section.read("timeout_seconds", misp.timeout_seconds, 1, 3600);

  SectionReader filters = section.section("filters");
  misp.filters = read_filters(filters);

  section.report_unknown_keys();
  return misp;
}

} // namespace m2s::config_detail
