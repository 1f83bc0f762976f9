#include "sandbox_fixture.hpp"

#include "misp2sentinel/http/http_client.hpp"

#include <SQLiteCpp/Database.h>
#include <fmt/format.h>

#include <signal.h>

#include <filesystem>
#include <stdexcept>
#include <thread>

namespace fs = std::filesystem;

namespace m2s::testing {

Sandbox::Sandbox(const TempDir& dir, const std::vector<std::string>& extra_args,
                 const std::vector<std::string>& only)
    : m_events_dir(dir.file("events")),
      m_record(dir.file("sandbox.db")) {
  fs::create_directories(m_events_dir);
  const fs::path source = fs::path(M2S_SOURCE_DIR) / "data" / "misp-events";
  for (const auto& entry : fs::directory_iterator(source)) {
    const std::string name = entry.path().filename().string();
    bool wanted = only.empty();
    for (const std::string& o : only) {
      wanted = wanted || name == o;
    }
    if (wanted) {
      fs::copy_file(entry.path(), fs::path(m_events_dir) / name);
    }
  }

  const std::string port_file = dir.file("sandbox.port");
  std::vector<std::string> argv = {M2S_SANDBOX,
                                   "--events-dir",
                                   m_events_dir,
                                   "--record",
                                   m_record,
                                   "--port",
                                   "0",
                                   "--port-file",
                                   port_file};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  m_process = std::make_unique<Process>(
      argv, std::map<std::string, std::string>{},
      dir.file("sandbox.out"), dir.file("sandbox.err"));

  for (int i = 0; i < 500 && m_port == 0; ++i) {
    if (fs::exists(port_file)) {
      const std::string text = read_file(port_file);
      if (!text.empty()) {
        m_port = std::stoi(text);
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (m_port == 0) {
    throw std::runtime_error("m2s-sandbox did not start: "
                             + read_file(dir.file("sandbox.err")));
  }
}

Sandbox::~Sandbox() {
  m_process->kill(SIGTERM);
  (void)m_process->wait(std::chrono::seconds(10));
}

std::string Sandbox::url() const {
  return fmt::format("http://127.0.0.1:{}", m_port);
}

void Sandbox::add_fault(const std::string& json) {
  const HttpOptions options;
    HttpClient http(options);
  HttpRequest request;
  request.method = "POST";
  request.url = url() + "/_sandbox/faults";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = json;
  const HttpResponse response = http.send(request);
  if (response.status != 200) {
    throw std::runtime_error("fault not accepted: " + response.body);
  }
}

std::int64_t Sandbox::record_count(const std::string& sql) const {
  SQLite::Database db(m_record);
  return db.execAndGet(sql).getInt64();
}

Misp2Sentinel::Misp2Sentinel(const TempDir& dir, const Sandbox& sandbox)
    : m_dir(dir),
      m_sandbox(sandbox),
      m_config(dir.file("misp2sentinel.toml")),
      m_store(dir.file("state.db")) {
  configure(ConfigSpec{});
}

void Misp2Sentinel::configure(const ConfigSpec& spec) {
  const std::string text = fmt::format(
      R"([misp]
url = "{misp_url}"
key_env = "M2S_TEST_MISP_KEY"
page_size = {page_size}
timeout_seconds = {timeout}
[misp.filters]
published = {published}
to_ids = {to_ids}
tags = []
not_tags = [{not_tags}]
[sentinel]
api = "{api}"
tenant_id = "{tenant}"
client_id = "{client_id}"
client_secret_env = "M2S_TEST_CLIENT_SECRET"
workspace_id = "{workspace}"
batch_size = {batch_size}
requests_per_minute = {rpm}
login_url = "{url}"
api_url = "{url}"
timeout_seconds = {timeout}
[indicators]
days_to_expire = 50
{indicators_extra}
[state]
path = "{store}"
lookback = "{lookback}"
[limits]
retry_budget_seconds = {budget}
{extra}
)",
      fmt::arg("url", m_sandbox.url()),
      fmt::arg("page_size", spec.page_size),
      fmt::arg("timeout", spec.timeout_seconds),
      fmt::arg("published", spec.published ? "true" : "false"),
      fmt::arg("to_ids", spec.to_ids ? "true" : "false"),
      fmt::arg("api", spec.api),
      fmt::arg("tenant", spec.tenant),
      fmt::arg("client_id", spec.client_id),
      fmt::arg("misp_url",
               spec.misp_url.empty() ? m_sandbox.url() : spec.misp_url),
      fmt::arg("workspace", spec.workspace),
      fmt::arg("batch_size", spec.batch_size),
      fmt::arg("rpm", spec.requests_per_minute),
      fmt::arg("store", m_store),
      fmt::arg("lookback", spec.lookback),
      fmt::arg("budget", spec.retry_budget_seconds),
      fmt::arg("not_tags",
               spec.not_tag.empty() ? "" : "\"" + spec.not_tag + "\""),
      fmt::arg("indicators_extra", spec.indicators_extra),
      fmt::arg("extra", spec.extra));
  write_file(m_config, text);
}

std::map<std::string, std::string> Misp2Sentinel::secrets_env() const {
  return {{"M2S_TEST_MISP_KEY", k_misp_key},
          {"M2S_TEST_CLIENT_SECRET", k_client_secret}};
}

ProcessResult
Misp2Sentinel::run(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv = {M2S_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--config");
  argv.push_back(m_config);

  std::map<std::string, std::string> full_env = secrets_env();
  for (const auto& [key, value] : env) {
    full_env[key] = value;
  }
  return run_process(argv, full_env, m_dir.path().string());
}

std::int64_t Misp2Sentinel::store_count(const std::string& sql) const {
  SQLite::Database db(m_store);
  return db.execAndGet(sql).getInt64();
}

void Misp2Sentinel::store_execute(const std::string& sql) const {
  SQLite::Database db(m_store, SQLite::OPEN_READWRITE);
  db.exec(sql);
}

} // namespace m2s::testing
