#pragma once

// --- The validated configuration of one run ---
//
// Built by `load_config` from a TOML file plus the environment. Secrets are
// resolved here from `*_env` / `*_file` and live only in memory: nothing in
// this struct may be logged as a whole.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace m2s {

// A secret string that never prints itself. `reveal()` is the only way in,
// so every use of a secret is easy to find.
class Secret {
public:
  Secret() = default;

  explicit Secret(std::string value)
      : m_value(std::move(value)) {}

  const std::string& reveal() const noexcept {
    return m_value;
  }

  bool empty() const noexcept {
    return m_value.empty();
  }

private:
  std::string m_value;
};

struct MispFilters {
  bool published = true;
  bool to_ids = true;
  std::vector<std::string> tags;
  std::vector<std::string> not_tags;
  bool enforce_warninglist = true;
};

struct MispConfig {
  std::string url; // no trailing slash
  Secret key;
  bool verify_tls = true;
  std::string ca_file;
  int page_size = 100;
  int timeout_seconds = 60;
  // Plain http:// to a host other than loopback sends the key in clear;
  // refused unless this is set.
  bool allow_insecure_http = false;
  MispFilters filters;
  // Deepest JSON nesting accepted in MISP's answers: [limits]
  // max_json_depth, copied here by the loader for the MISP client.
  int max_json_depth = 64;
};

enum class SentinelApi { stix_objects, upload_indicators };

struct SentinelConfig {
  SentinelApi api = SentinelApi::stix_objects;
  std::string tenant_id;
  std::string client_id;
  Secret client_secret;
  std::string workspace_id;
  std::string source_system = "MISP";
  int batch_size = 100;
  int requests_per_minute = 100;
  // The window requests_per_minute counts in: a minute. Only the
  // benchmarks shorten it ([sentinel] test_rate_window_ms, refused unless
  // api_url is on this machine).
  int rate_window_ms = 60000;
  std::string login_url = "https://login.microsoftonline.com";
  std::string api_url;     // resolved: never empty after load_config
  std::string api_version; // resolved per api when not given
  // Token scope; optional key `scope`, for sovereign clouds.
  std::string scope = "https://management.azure.com/.default";
  bool verify_tls = true;
  std::string ca_file;
  int timeout_seconds = 60;
  // As for MispConfig: plain http:// only to loopback unless set.
  bool allow_insecure_http = false;
};

enum class ExpireFrom { now, valid_from };

struct IndicatorConfig {
  int default_confidence = 50;
  int days_to_expire = 50;
  // With expire_from = now, active indicators whose valid_until is closer
  // than this are sent again with a new valid_until. 0: never.
  int refresh_before_days = 7;
  ExpireFrom expire_from = ExpireFrom::now;
  // Keyed by STIX observable type: "ipv4-addr", "domain-name", "url", ...
  std::map<std::string, int> days_to_expire_by_type;
  std::string default_tlp = "tlp:clear";
  // Local tags count for nothing but TLP (they are not labels, nor
  // confidence, threat type or kill chain tags).
  bool ignore_local_tags = true;
  // Only tags starting with one of these (ignoring ASCII case) become
  // labels; empty: every tag.
  std::vector<std::string> allowed_tag_prefixes;
};

struct StateConfig {
  std::string path = "misp2sentinel.db";
  std::int64_t lookback_seconds = 3600;
};

enum class LogFormat { text, json };

struct LogConfig {
  std::string level = "info";
  std::string file;
  LogFormat format = LogFormat::text;
  // Rotation of `file`: a new file past max_size_mb, max_files old ones.
  int max_size_mb = 10;
  int max_files = 5;
};

struct MetricsConfig {
  // node_exporter textfile collector file (*.prom); empty: no metrics.
  std::string textfile;
};

struct RunLimits {
  // Upper bound on the time one run spends retrying transient failures.
  int retry_budget_seconds = 300;
  // Wall time one run may take; past it the run stops starting new work
  // (pending work stays queued for the next run).
  int run_budget_seconds = 3600;
  // Largest HTTP answer body accepted (MISP pages, Sentinel, Entra ID).
  int max_response_mb = 256;
  // Deepest JSON nesting accepted in a MISP answer.
  int max_json_depth = 64;
};

struct Config {
  std::string source_path; // the file it came from, for messages
  MispConfig misp;
  SentinelConfig sentinel;
  IndicatorConfig indicators;
  StateConfig state;
  LogConfig log;
  RunLimits limits;
  MetricsConfig metrics;
  // Things the operator should fix that do not stop the run (e.g. a file
  // holding a secret that others may read); the caller logs each.
  std::vector<std::string> warnings;
};

// The secrets a command needs resolved. One it does not need is not read
// (its variable may be unset, its file absent): `status` reads only the
// store, `sync --dry-run` asks for no token. How it is given (`*_env` or
// `*_file`, exactly one) is still checked.
struct NeededSecrets {
  bool misp_key = true;
  bool sentinel_client_secret = true;

  static constexpr NeededSecrets all() {
    return {};
  }
  static constexpr NeededSecrets misp_only() {
    return {true, false};
  }
  static constexpr NeededSecrets sentinel_only() {
    return {false, true};
  }
  static constexpr NeededSecrets none() {
    return {false, false};
  }
};

// Read and validate `path`. Relative `[state] path`, `[log] file`,
// `[metrics] textfile`, `ca_file` and `*_file` values are resolved against
// the config file's folder.
// Throws ConfigError listing every problem found, one per line, each as
// "<path>:<line>: [section] key: problem" (":<line>" when the TOML parser
// knows it). Unknown sections and keys are problems too. Messages never
// contain a secret value.
[[nodiscard]] Config load_config(const std::string& path,
                                 NeededSecrets needed = NeededSecrets::all());

// Parse TOML text; `path` is used for messages and relative paths only.
[[nodiscard]] Config parse_config(const std::string& toml_text,
                                  const std::string& path,
                                  NeededSecrets needed = NeededSecrets::all());

} // namespace m2s
