#pragma once

// The real m2s-sandbox and the real misp2sentinel binary, for integration
// tests: a temp dir with a copy of the bundled events, a config pointing
// at the sandbox, and helpers to run `misp2sentinel` and read both stores.

#include "process.hpp"
#include "temp_dir.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace m2s::testing {

// Credentials the sandbox expects by default (tools/sandbox/README.md).
inline const std::string k_misp_key =
    "sandbox-misp-key-0000000000000000000000000";
inline const std::string k_client_secret = "sandbox-client-secret";
inline const std::string k_tenant = "00000000-0000-4000-8000-000000000001";
inline const std::string k_client_id = "00000000-0000-4000-8000-000000000002";
inline const std::string k_workspace = "00000000-0000-4000-8000-000000000003";

struct ConfigSpec {
  std::string api = "stix-objects";
  bool published = false;
  bool to_ids = true;
  int page_size = 10;
  int batch_size = 100;
  int requests_per_minute = 100;
  std::string workspace = k_workspace;
  std::string tenant = k_tenant;
  std::string client_id = k_client_id;
  std::string misp_url; // empty: the sandbox
  std::string lookback = "1h";
  int retry_budget_seconds = 30;
  int timeout_seconds = 10;
  std::string not_tag;          // [misp.filters] not_tags = [not_tag]
  std::string indicators_extra; // lines added under [indicators]
  std::string extra;            // appended verbatim (more sections)
};

class Sandbox {
public:
  // Copies the bundled events into `dir`/events (all, or only `only`) and
  // starts m2s-sandbox with `extra_args`.
  Sandbox(const TempDir& dir, const std::vector<std::string>& extra_args = {},
          const std::vector<std::string>& only = {});
  ~Sandbox();

  std::string url() const;
  const std::string& events_dir() const {
    return m_events_dir;
  }
  const std::string& record_path() const {
    return m_record;
  }

  // Queue a fault (JSON text of POST /_sandbox/faults).
  void add_fault(const std::string& json);

  // A single integer from the sandbox's record database.
  std::int64_t record_count(const std::string& sql) const;

private:
  std::string m_events_dir;
  std::string m_record;
  int m_port = 0;
  std::unique_ptr<Process> m_process;
};

class Misp2Sentinel {
public:
  Misp2Sentinel(const TempDir& dir, const Sandbox& sandbox);

  // Write the config file from `spec`.
  void configure(const ConfigSpec& spec);

  // Run `misp2sentinel <args...> --config <file>` with the secrets in the
  // environment.
  ProcessResult run(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env = {});

  const std::string& store_path() const {
    return m_store;
  }
  const std::string& config_path() const {
    return m_config;
  }

  // A single integer from the tool's store.
  std::int64_t store_count(const std::string& sql) const;

  // Change the tool's store between runs, e.g. to stand in for time passing.
  void store_execute(const std::string& sql) const;

  std::map<std::string, std::string> secrets_env() const;

private:
  const TempDir& m_dir;
  const Sandbox& m_sandbox;
  std::string m_config;
  std::string m_store;
};

} // namespace m2s::testing
