// Security properties through the real binary (issue 7): secrets never
// reach the command line, the output, the logs, the store or the dry-run
// files, even when a server echoes them; files the run writes are private;
// TLS is verified for the token endpoint by default and `ca_file` is
// honoured. (Source-level and config-level properties are unit tests:
// source_hygiene_test.cpp, config_test.cpp, tls_verification_test.cpp.)

#include "misp2sentinel/http/http_client.hpp"
#include "sandbox_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <thread>

namespace m2s::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::vector<std::string> k_small = {"MISP_MISP__tests_event.json"};

// Sandbox bearer tokens are "sandbox." and 64 hex digits.
const std::regex k_token(R"(sandbox\.[0-9a-f]{64})");

// Where in `texts` (name -> content) a secret shows up.
std::vector<std::string>
leaks(const std::map<std::string, std::string>& texts) {
  std::vector<std::string> found;
  for (const auto& [name, text] : texts) {
    for (const std::string& secret : {k_misp_key, k_client_secret}) {
      if (text.find(secret) != std::string::npos) {
        found.push_back(name + " holds " + secret);
      }
    }
    if (std::regex_search(text, k_token)) {
      found.push_back(name + " holds a bearer token");
    }
  }
  return found;
}

// Every file under `folder`, by path, as bytes (store, WAL, logs, ...).
void add_files(const fs::path& folder,
               std::map<std::string, std::string>& texts) {
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.rfind("sandbox", 0) != 0
        && name != "misp2sentinel.toml"
        && entry.path().parent_path().filename() != "events") {
      texts[entry.path().string()] = read_file(entry.path().string());
    }
  }
}

unsigned mode_of(const std::string& path) {
  struct stat info {};

  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777;
}

// The option names in CLI11 help text ("  -c,--config TEXT  ...").
std::vector<std::string> option_names(const std::string& help) {
  std::vector<std::string> names;
  std::istringstream lines(help);
  std::string line;
  while (std::getline(lines, line)) {
    const auto start = line.find_first_not_of(' ');
    if (start == std::string::npos || line[start] != '-') {
      continue;
    }
    names.push_back(line.substr(start, line.find("  ", start) - start));
  }
  return names;
}

class Security : public ::testing::Test {
protected:
  TempDir m_dir;
};

TEST_F(Security, NoCommandLineOptionTakesASecret) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  const ProcessResult help = tool.run({"--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;

  std::vector<std::string> names = option_names(help.out);
  const std::regex subcommand(R"(\n  ([a-z]+)  )");
  std::vector<std::string> subcommands;
  for (std::sregex_iterator it(help.out.begin(), help.out.end(), subcommand),
       end;
       it != end;
       ++it) {
    subcommands.push_back((*it)[1]);
  }
  ASSERT_THAT(subcommands, ::testing::Contains("sync"));
  for (const std::string& name : subcommands) {
    const ProcessResult sub = tool.run({name, "--help"});
    ASSERT_EQ(sub.exit_code, 0) << name << ": " << sub.err;
    for (const std::string& option : option_names(sub.out)) {
      names.push_back(name + " " + option);
    }
  }

  ASSERT_THAT(names, ::testing::Contains(HasSubstr("--config")));
  const std::regex secret_like("key|secret|token|pass|credential|auth",
                               std::regex::icase);
  std::vector<std::string> secret_options;
  for (const std::string& name : names) {
    if (std::regex_search(name, secret_like)) {
      secret_options.push_back(name);
    }
  }
  EXPECT_THAT(secret_options, IsEmpty());
}

TEST_F(Security, SecretsNeverReachCmdlineOutputLogsOrStore) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.extra = "[log]\nlevel = \"trace\"\nfile = \"" + m_dir.file("m2s.log")
               + "\"\n[metrics]\ntextfile = \"" + m_dir.file("m2s.prom")
               + "\"\n";
  tool.configure(spec);
  // Slow MISP down so that the process is still there to be looked at.
  sandbox.add_fault(R"({"path_contains":"restSearch","delay_ms":1500})");

  Process process({M2S_BINARY,
                   "sync",
                   "--log-level",
                   "trace",
                   "--config",
                   tool.config_path()},
                  tool.secrets_env(),
                  m_dir.file("out.txt"),
                  m_dir.file("err.txt"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::string cmdline =
      read_file("/proc/" + std::to_string(process.pid()) + "/cmdline");
  const ProcessResult run = process.wait(std::chrono::seconds(60));
  ASSERT_EQ(run.exit_code, 0) << run.err;

  std::map<std::string, std::string> texts = {{"cmdline", cmdline}};
  ASSERT_THAT(cmdline, HasSubstr("sync"));
  add_files(m_dir.path(), texts);
  ASSERT_TRUE(texts.count(m_dir.file("m2s.log")));
  ASSERT_TRUE(texts.count(tool.store_path()));
  ASSERT_TRUE(texts.count(m_dir.file("m2s.prom")));
  EXPECT_THAT(texts[m_dir.file("m2s.log")], HasSubstr("restSearch"));
  EXPECT_THAT(leaks(texts), IsEmpty());
}

TEST_F(Security, EchoedSecretsAreNotRepeated) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.retry_budget_seconds = 0;
  spec.extra =
      "[log]\nlevel = \"debug\"\nfile = \"" + m_dir.file("m2s.log") + "\"\n";
  tool.configure(spec);

  sandbox.add_fault(R"({"path_contains":"restSearch","status":403,
    "body":{"name":"Forbidden","message":"key )"
                    + k_misp_key + " is not allowed, nor " + k_client_secret
                    + R"("}})");
  const ProcessResult misp = tool.run({"sync"});
  EXPECT_EQ(misp.exit_code, 3) << misp.err;
  EXPECT_THAT(misp.err, HasSubstr("key *** is not allowed"));

  sandbox.add_fault(R"({"path_contains":"oauth2","status":401,
    "body":{"error":"invalid_client","error_description":
    "AADSTS7000215: Invalid client secret provided: )"
                    + k_client_secret + " (with " + k_misp_key + ")"
                    + R"(","error_codes":[7000215]}})");
  const ProcessResult token = tool.run({"sync"});
  EXPECT_EQ(token.exit_code, 4) << token.err;
  EXPECT_THAT(token.err, HasSubstr("client secret is wrong or expired"));

  std::map<std::string, std::string> texts = {{"misp stdout", misp.out},
                                              {"misp stderr", misp.err},
                                              {"token stdout", token.out},
                                              {"token stderr", token.err}};
  add_files(m_dir.path(), texts);
  EXPECT_THAT(leaks(texts), IsEmpty());
}

TEST_F(Security, DryRunFilesHoldNoSecret) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  const ProcessResult help = tool.run({"sync", "--help"});
  if (help.out.find("--dry-run") == std::string::npos) {
    GTEST_SKIP() << "sync has no --dry-run yet";
  }

  const std::string out = m_dir.file("dry-run");
  const ProcessResult run =
      tool.run({"sync", "--dry-run", "--out", out, "--log-level", "debug"});
  ASSERT_EQ(run.exit_code, 0) << run.err;

  std::map<std::string, std::string> texts = {{"stdout", run.out},
                                              {"stderr", run.err}};
  add_files(out, texts);
  EXPECT_GT(texts.size(), 2u);
  EXPECT_THAT(leaks(texts), IsEmpty());
}

TEST_F(Security, StoreLockAndLogFilesArePrivate) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.extra = "[log]\nfile = \"" + m_dir.file("m2s.log") + "\"\n";
  tool.configure(spec);

  const ProcessResult run = tool.run({"sync"});
  ASSERT_EQ(run.exit_code, 0) << run.err;

  EXPECT_EQ(mode_of(tool.store_path()), 0600u);
  EXPECT_EQ(mode_of(tool.store_path() + ".lock"), 0600u);
  EXPECT_EQ(mode_of(m_dir.file("m2s.log")), 0600u);
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string path = tool.store_path() + suffix;
    if (fs::exists(path)) {
      EXPECT_EQ(mode_of(path), 0600u) << path;
    }
  }
}

// The token endpoint of a real run verifies TLS: against a self-signed
// server (openssl s_server) the run fails with the certificate problem;
// with that certificate as ca_file the TLS handshake succeeds and the run
// fails later, on the server's non-Entra answer.
TEST_F(Security, TokenEndpointTlsIsVerifiedAndCaFileHonoured) {
  const std::string cert = m_dir.file("login.crt");
  const std::string key = m_dir.file("login.key");
  const ProcessResult made = run_process({"/usr/bin/openssl",
                                          "req",
                                          "-x509",
                                          "-newkey",
                                          "ec",
                                          "-pkeyopt",
                                          "ec_paramgen_curve:P-256",
                                          "-nodes",
                                          "-days",
                                          "1",
                                          "-subj",
                                          "/CN=localhost",
                                          "-addext",
                                          "subjectAltName=IP:127.0.0.1",
                                          "-keyout",
                                          key,
                                          "-out",
                                          cert},
                                         {},
                                         m_dir.path().string());
  ASSERT_EQ(made.exit_code, 0) << made.err;

  Sandbox sandbox(m_dir, {}, k_small);
  Process tls({"/usr/bin/openssl",
               "s_server",
               "-www",
               "-accept",
               "127.0.0.1:0",
               "-cert",
               cert,
               "-key",
               key},
              {},
              m_dir.file("tls.out"),
              m_dir.file("tls.err"));
  // s_server prints "ACCEPT 127.0.0.1:<port>" once it listens.
  std::string port;
  const std::regex accept(R"(ACCEPT 127\.0\.0\.1:([0-9]+))");
  for (int i = 0; i < 500 && port.empty(); ++i) {
    std::smatch match;
    const std::string out = read_file(m_dir.file("tls.out"));
    if (std::regex_search(out, match, accept)) {
      port = match[1];
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(port.empty()) << read_file(m_dir.file("tls.err"));

  Misp2Sentinel tool(m_dir, sandbox);
  const std::string login = "https://127.0.0.1:" + port;
  const auto configure = [&](const std::string& ca_line) {
    std::string text = read_file(tool.config_path());
    text = std::regex_replace(text,
                              std::regex("login_url = \"[^\"]*\""),
                              "login_url = \"" + login + "\"\n" + ca_line);
    write_file(tool.config_path(), text);
  };

  tool.configure(ConfigSpec{});
  configure("");
  const ProcessResult strict = tool.run({"sync"});
  EXPECT_EQ(strict.exit_code, 4) << strict.err;
  EXPECT_THAT(strict.err, HasSubstr("SSL certificate problem"));
  EXPECT_THAT(strict.err, ::testing::Not(HasSubstr("retrying")));

  // s_server -www does not answer a POST: one attempt, not a retry budget
  // of timeouts.
  ConfigSpec once;
  once.retry_budget_seconds = 0;
  tool.configure(once);
  configure("ca_file = \"" + cert + "\"");
  const ProcessResult trusting = tool.run({"sync"});
  EXPECT_EQ(trusting.exit_code, 4) << trusting.err;
  EXPECT_THAT(trusting.err, ::testing::Not(HasSubstr("SSL certificate")));
  EXPECT_THAT(trusting.err, HasSubstr("Entra ID token request"));

  tls.kill(SIGTERM);
  static_cast<void>(tls.wait(std::chrono::seconds(5)));
}

// A key file others may read draws a warning naming it on every run;
// after chmod 600 the warning is gone.
TEST_F(Security, SecretFileReadableByOthersWarns) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  tool.configure(ConfigSpec{});
  const std::string key_file = m_dir.file("misp.key");
  write_file(key_file, k_misp_key + "\n");
  ASSERT_EQ(::chmod(key_file.c_str(), 0644), 0);
  std::string text = read_file(tool.config_path());
  text = std::regex_replace(text,
                            std::regex("key_env = \"[^\"]*\""),
                            "key_file = \"" + key_file + "\"");
  write_file(tool.config_path(), text);

  const ProcessResult open = tool.run({"sync"});
  EXPECT_EQ(open.exit_code, 0) << open.err;
  EXPECT_THAT(open.err, HasSubstr("warn"));
  EXPECT_THAT(open.err, HasSubstr(key_file));
  EXPECT_THAT(open.err, HasSubstr("chmod 600"));

  ASSERT_EQ(::chmod(key_file.c_str(), 0600), 0);
  const ProcessResult closed = tool.run({"sync"});
  EXPECT_EQ(closed.exit_code, 0) << closed.err;
  EXPECT_THAT(closed.err, ::testing::Not(HasSubstr(key_file)));
  EXPECT_THAT(leaks({{"stderr", open.err + closed.err}}), IsEmpty());
}

TEST_F(Security, TurningTlsVerificationOffWarnsOnEveryRun) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  tool.configure(ConfigSpec{});
  const ProcessResult verified = tool.run({"sync"});
  ASSERT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_THAT(verified.err, ::testing::Not(HasSubstr("TLS")));

  std::string text = read_file(tool.config_path());
  text = std::regex_replace(
      text, std::regex("\\[misp\\]\n"), "[misp]\nverify_tls = false\n");
  write_file(tool.config_path(), text);
  const ProcessResult unverified = tool.run({"sync"});

  EXPECT_EQ(unverified.exit_code, 0) << unverified.err;
  EXPECT_THAT(unverified.err,
              HasSubstr("TLS certificate verification is OFF for MISP"));
}

TEST_F(Security, PlainHttpToAnotherMachineIsRefused) {
  Sandbox sandbox(m_dir, {}, k_small);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.misp_url = "http://misp.example.org";
  tool.configure(spec);

  const ProcessResult refused = tool.run({"sync"});

  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("allow_insecure_http"));
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM requests"), 0);
}

} // namespace
} // namespace m2s::testing
