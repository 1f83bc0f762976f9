#include "misp2sentinel/util/hash.hpp"
#include "secrets.hpp"
#include "sections.hpp"
#include "value_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

namespace m2s::config_detail {

namespace {

// A DNS name with at least one dot: what Entra ID takes in place of the
// tenant's GUID (contoso.onmicrosoft.com, or a verified custom domain).
bool looks_like_domain(std::string_view text) {
  if (text.find('.') == std::string_view::npos || text.front() == '.'
      || text.back() == '.') {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'
           || c == '.';
  });
}

// A placeholder left in (the README's "...") or a name where an ID goes
// would otherwise fail later, as a token or upload request.
void check_ids(SectionReader& section, const SentinelConfig& sentinel) {
  if (!sentinel.tenant_id.empty() && !is_canonical_uuid(sentinel.tenant_id)
      && !looks_like_domain(sentinel.tenant_id)) {
    section.problem("tenant_id",
                    "neither a GUID (Directory (tenant) ID) nor a domain "
                    "such as contoso.onmicrosoft.com");
  }
  if (!sentinel.client_id.empty() && !is_canonical_uuid(sentinel.client_id)) {
    section.problem("client_id",
                    "not a GUID; use the app registration's Application "
                    "(client) ID");
  }
  if (!sentinel.workspace_id.empty()
      && !is_canonical_uuid(sentinel.workspace_id)) {
    section.problem("workspace_id",
                    "not a GUID; use the Log Analytics workspace's "
                    "Workspace ID");
  }
}

constexpr std::string_view k_stix_objects = "stix-objects";
constexpr std::string_view k_upload_indicators = "upload-indicators";

std::optional<SentinelApi> read_api(SectionReader& section) {
  const std::optional<std::string> value = section.string("api");
  if (!value) {
    return std::nullopt;
  }

  if (*value == k_stix_objects) {
    return SentinelApi::stix_objects;
  }
  if (*value == k_upload_indicators) {
    return SentinelApi::upload_indicators;
  }
  if (*value == "graph") {
    section.problem("api",
                    "\"graph\" (Microsoft Graph tiIndicators) is retired by "
                    "Microsoft; use \"stix-objects\"");
    return std::nullopt;
  }
  section.problem("api",
                  fmt::format("must be \"{}\" or \"{}\", got \"{}\"",
                              k_stix_objects,
                              k_upload_indicators,
                              *value));
  return std::nullopt;
}

std::string default_api_url(SentinelApi api) {
  switch (api) {
  case SentinelApi::stix_objects:
    return "https://api.ti.sentinel.azure.com";
  case SentinelApi::upload_indicators:
    return "https://sentinelus.azure-api.net";
  }
  return {};
}

std::string default_api_version(SentinelApi api) {
  switch (api) {
  case SentinelApi::stix_objects:
    return "2024-02-01-preview";
  case SentinelApi::upload_indicators:
    return "2022-07-01";
  }
  return {};
}

void read_source_system(SectionReader& section, std::string& out) {
  const std::optional<std::string> value = section.string("source_system");
  if (!value) {
    return;
  }

  if (value->empty()) {
    section.problem("source_system", "must not be empty");
    return;
  }
  if (*value == "Microsoft Sentinel") {
    section.problem("source_system",
                    "\"Microsoft Sentinel\" is reserved by Sentinel; "
                    "choose another name");
    return;
  }
  out = *value;
}

void read_non_empty(SectionReader& section,
                    std::string_view key,
                    std::string& out) {
  const std::optional<std::string> value = section.string(key);
  if (value && value->empty()) {
    section.problem(key, "must not be empty");
    return;
  }
  if (value) {
    out = *value;
  }
}

// [sentinel] test_rate_window_ms: a shorter rate window, so that the
// benchmark of upload pacing (tools/bench/run.sh) takes seconds. Not in the
// documented keys, and refused unless api_url is on this machine: the real
// Sentinel counts its limit per minute and would answer 429.
void read_test_rate_window(SectionReader& section, SentinelConfig& sentinel) {
  constexpr std::string_view k_key = "test_rate_window_ms";
  if (!section.has(k_key)) {
    return;
  }

  int window = sentinel.rate_window_ms;
  section.read(k_key, window, 1, 60000);
  if (!is_loopback_url(sentinel.api_url)) {
    section.problem(k_key,
                    "is only for benchmarks against a Sentinel stand-in on "
                    "this machine (api_url on localhost or 127.0.0.1); "
                    "remove it");
    return;
  }
  sentinel.rate_window_ms = window;
}

} // namespace

SentinelConfig read_sentinel_section(SectionReader& section,
                                     const std::filesystem::path& folder,
                                     bool need_secret) {
  SentinelConfig sentinel;
  sentinel.api = read_api(section).value_or(sentinel.api);

  constexpr std::string_view k_guid =
      "\"00000000-0000-0000-0000-000000000000\"";
  read_required(section, "tenant_id", sentinel.tenant_id, k_guid);
  read_required(section, "client_id", sentinel.client_id, k_guid);
  sentinel.client_secret = read_secret(
      section,
      "client_secret",
      "the Entra ID client secret",
      folder,
      need_secret);
  read_required(section, "workspace_id", sentinel.workspace_id, k_guid);
  check_ids(section, sentinel);

  read_source_system(section, sentinel.source_system);
  section.read("batch_size", sentinel.batch_size, 1, 100);
  section.read("requests_per_minute", sentinel.requests_per_minute, 1, 100);
  read_url(section, "login_url", sentinel.login_url, false);
  read_url(section, "api_url", sentinel.api_url, true);
  section.read("api_version", sentinel.api_version);
  read_non_empty(section, "scope", sentinel.scope);
  section.read("verify_tls", sentinel.verify_tls);
  if (!sentinel.verify_tls) {
    section.warning("verify_tls",
                    "TLS certificate verification is OFF for Entra ID and "
                    "Sentinel: anyone on the network path can read the "
                    "client secret and the bearer token (for a private "
                    "CA, set ca_file instead)");
  }
  read_path(section, "ca_file", sentinel.ca_file, folder);
  section.read("timeout_seconds", sentinel.timeout_seconds, 1, 3600);

  if (sentinel.api_url.empty()) {
    sentinel.api_url = default_api_url(sentinel.api);
  }
  if (sentinel.api_version.empty()) {
    sentinel.api_version = default_api_version(sentinel.api);
  }

  section.read("allow_insecure_http", sentinel.allow_insecure_http);
  const bool allowed = sentinel.allow_insecure_http;
  refuse_plain_http(
      section, "login_url", sentinel.login_url, allowed, "the client secret");
  refuse_plain_http(
      section, "api_url", sentinel.api_url, allowed, "the bearer token");
  read_test_rate_window(section, sentinel);

  section.report_unknown_keys();
  return sentinel;
}

} // namespace m2s::config_detail
