// `misp2sentinel check` against the real sandbox: one line per check, each
// deliberately broken setting pinpointed with its fix, the documented exit
// code, no secret in the output and nothing stored anywhere.

#include "sandbox_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

namespace m2s::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::vector<std::string> k_one_event = {"MISP_MISP__tests_event.json"};

// A loopback port that was bound and closed without listen(): connecting
// is refused at once.
int refused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  const bool bound =
      fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0
      && ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
  if (fd >= 0) {
    ::close(fd);
  }
  if (!bound) {
    throw std::runtime_error("cannot bind a loopback port");
  }
  return ntohs(address.sin_port);
}

// The line of check `name` ("FAIL  MISP: ..."), or "" when there is none.
std::string line_for(const std::string& out, const std::string& name) {
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    const auto at = line.find(" " + name + ": ");
    if (at != std::string::npos && at <= 5) {
      return line;
    }
  }
  return {};
}

class CheckCommand : public ::testing::Test {
protected:
  ProcessResult check(Misp2Sentinel& tool,
                      const std::map<std::string, std::string>& env = {}) {
    ProcessResult result = tool.run({"check"}, env);
    for (const std::string& secret : {k_misp_key, k_client_secret}) {
      EXPECT_THAT(result.out, Not(HasSubstr(secret)));
      EXPECT_THAT(result.err, Not(HasSubstr(secret)));
    }
    return result;
  }

  TempDir m_dir;
};

TEST_F(CheckCommand, BrokenConfigFailsFirstAndSkipsTheRest) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.extra = "[misp_extra]\nvalue = 1\n";
  tool.configure(spec);

  const ProcessResult result = check(tool);

  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_THAT(line_for(result.out, "config"), StartsWith("FAIL"));
  EXPECT_THAT(result.out, HasSubstr("misp_extra"));
  EXPECT_THAT(line_for(result.out, "MISP"), StartsWith("SKIP"));
  EXPECT_THAT(line_for(result.out, "Sentinel workspace"), StartsWith("SKIP"));
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM requests"), 0);
}

// Every sync stops with exit 2 when [log] file cannot be opened: check
// says so, without creating the file. The other checks still run.
TEST_F(CheckCommand, LogFileThatCannotBeWrittenFailsTheConfigLine) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  write_file(m_dir.file("not-a-folder"), "x");
  ConfigSpec spec;
  spec.extra = "[log]\nfile = \"" + m_dir.file("not-a-folder")
               + "/m2s.log\"\n";
  tool.configure(spec);

  const ProcessResult result = check(tool);

  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  const std::string line = line_for(result.out, "config");
  EXPECT_THAT(line, StartsWith("FAIL"));
  EXPECT_THAT(line, HasSubstr("[log] file"));
  EXPECT_THAT(line, HasSubstr("not-a-folder"));
  EXPECT_THAT(line_for(result.out, "MISP"), StartsWith("OK"));
}

// A log file in a folder that does not exist yet is fine: sync creates it.
TEST_F(CheckCommand, LogFileInAFolderToCreateIsFine) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.extra = "[log]\nfile = \"" + m_dir.file("logs/sub") + "/m2s.log\"\n";
  tool.configure(spec);

  const ProcessResult result = check(tool);

  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_FALSE(std::filesystem::exists(m_dir.file("logs")));
}

TEST_F(CheckCommand, StoreInAMissingFolderIsNamed) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  std::string text = read_file(tool.config_path());
  const std::string store_line = "path = \"" + tool.store_path() + "\"";
  ASSERT_NE(text.find(store_line), std::string::npos);
  text.replace(text.find(store_line),
               store_line.size(),
               "path = \"/nonexistent-m2s-dir/state.db\"");
  write_file(tool.config_path(), text);

  const ProcessResult result = check(tool);

  EXPECT_EQ(result.exit_code, 5) << result.out;
  const std::string line = line_for(result.out, "store");
  EXPECT_THAT(line, StartsWith("FAIL"));
  EXPECT_THAT(line, HasSubstr("/nonexistent-m2s-dir"));
  EXPECT_THAT(line, HasSubstr("[state] path"));
  EXPECT_THAT(line_for(result.out, "MISP"), StartsWith("OK"));
}

TEST_F(CheckCommand, UnreachableMispNamesTheUrl) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.misp_url = "http://127.0.0.1:" + std::to_string(refused_port());
  tool.configure(spec);

  const ProcessResult result = check(tool);

  EXPECT_EQ(result.exit_code, 3) << result.out;
  const std::string line = line_for(result.out, "MISP");
  EXPECT_THAT(line, StartsWith("FAIL"));
  EXPECT_THAT(line, HasSubstr(spec.misp_url));
  EXPECT_THAT(line, HasSubstr("[misp] url"));
  // The other checks still run: one command shows every problem.
  EXPECT_THAT(line_for(result.out, "Entra ID token"), StartsWith("OK"));
  EXPECT_THAT(line_for(result.out, "Sentinel workspace"), StartsWith("OK"));
}

TEST_F(CheckCommand, HttpsToAPlainHttpPortGivesTheTlsHint) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.misp_url = "https" + sandbox.url().substr(4);
  tool.configure(spec);

  const ProcessResult result = check(tool);

  EXPECT_EQ(result.exit_code, 3) << result.out;
  const std::string line = line_for(result.out, "MISP");
  EXPECT_THAT(line, StartsWith("FAIL"));
  EXPECT_THAT(line, HasSubstr("TLS"));
  EXPECT_THAT(line, HasSubstr("[misp] ca_file"));
}

TEST_F(CheckCommand, WrongMispKeyIsNamed) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  const std::string wrong = "WrongKeyWrongKeyWrongKeyWrongKeyWrongKey";

  const ProcessResult result = check(tool, {{"M2S_TEST_MISP_KEY", wrong}});

  EXPECT_EQ(result.exit_code, 3) << result.out;
  const std::string line = line_for(result.out, "MISP");
  EXPECT_THAT(line, StartsWith("FAIL"));
  EXPECT_THAT(line, HasSubstr("403"));
  EXPECT_THAT(line, HasSubstr("API key"));
  EXPECT_THAT(line, HasSubstr("API access"));
  EXPECT_THAT(result.out + result.err, Not(HasSubstr(wrong)));
}

TEST_F(CheckCommand, WrongSecretIsNamedAndTheWorkspaceSkipped) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  const std::string wrong = "not-the-sandbox-secret";

  const ProcessResult result = check(tool, {{"M2S_TEST_CLIENT_SECRET", wrong}});

  EXPECT_EQ(result.exit_code, 4) << result.out;
  const std::string line = line_for(result.out, "Entra ID token");
  EXPECT_THAT(line, StartsWith("FAIL"));
  EXPECT_THAT(line, HasSubstr("AADSTS7000215"));
  EXPECT_THAT(line, HasSubstr("client_secret_env"));
  EXPECT_THAT(line_for(result.out, "MISP"), StartsWith("OK"));
  EXPECT_THAT(line_for(result.out, "Sentinel workspace"), StartsWith("SKIP"));
  EXPECT_THAT(result.out + result.err, Not(HasSubstr(wrong)));
}

TEST_F(CheckCommand, ExpiredSecretSaysToCreateANewOne) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  sandbox.add_fault(R"({"path_contains":"oauth2","status":401,
    "body":{"error":"invalid_client",
            "error_description":"AADSTS7000222: The client secret expired.",
            "error_codes":[7000222]}})");

  const ProcessResult result = check(tool);

  EXPECT_EQ(result.exit_code, 4) << result.out;
  const std::string line = line_for(result.out, "Entra ID token");
  EXPECT_THAT(line, StartsWith("FAIL"));
  EXPECT_THAT(line, HasSubstr("expired"));
  EXPECT_THAT(line, HasSubstr("new client secret"));
}

TEST_F(CheckCommand, WrongTenantIsNamed) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.tenant = "11111111-1111-4111-8111-111111111111";
  tool.configure(spec);

  const ProcessResult result = check(tool);

  EXPECT_EQ(result.exit_code, 4) << result.out;
  const std::string line = line_for(result.out, "Entra ID token");
  EXPECT_THAT(line, StartsWith("FAIL"));
  EXPECT_THAT(line, HasSubstr("AADSTS90002"));
  EXPECT_THAT(line, HasSubstr("[sentinel] tenant_id"));
}

TEST_F(CheckCommand, UnknownClientIdIsNamed) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.client_id = "22222222-2222-4222-8222-222222222222";
  tool.configure(spec);

  const ProcessResult result = check(tool);

  EXPECT_EQ(result.exit_code, 4) << result.out;
  const std::string line = line_for(result.out, "Entra ID token");
  EXPECT_THAT(line, StartsWith("FAIL"));
  EXPECT_THAT(line, HasSubstr("AADSTS700016"));
  EXPECT_THAT(line, HasSubstr("[sentinel] client_id"));
}

TEST_F(CheckCommand, UnknownWorkspaceIsNamed) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  ConfigSpec spec;
  spec.workspace = "33333333-3333-4333-8333-333333333333";
  tool.configure(spec);

  const ProcessResult result = check(tool);

  EXPECT_EQ(result.exit_code, 4) << result.out;
  const std::string line = line_for(result.out, "Sentinel workspace");
  EXPECT_THAT(line, StartsWith("FAIL"));
  EXPECT_THAT(line, HasSubstr("not found"));
  EXPECT_THAT(line, HasSubstr(spec.workspace));
  EXPECT_THAT(line, HasSubstr("[sentinel] workspace_id"));
  EXPECT_THAT(line_for(result.out, "Entra ID token"), StartsWith("OK"));
}

TEST_F(CheckCommand, MissingRoleIsNamed) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  sandbox.add_fault(R"({"path_contains":"stix-objects","status":403,
    "body":{"error":{"code":"AuthorizationFailed",
                     "message":"The client has no authorization."}}})");

  const ProcessResult result = check(tool);

  EXPECT_EQ(result.exit_code, 4) << result.out;
  const std::string line = line_for(result.out, "Sentinel workspace");
  EXPECT_THAT(line, StartsWith("FAIL"));
  EXPECT_THAT(line, HasSubstr("Microsoft Sentinel Contributor"));
}

TEST_F(CheckCommand, RightSetupPassesAndChangesNothing) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);

  const ProcessResult result = check(tool);

  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  for (const char* name :
       {"config", "store", "MISP", "Entra ID token", "Sentinel workspace"}) {
    EXPECT_THAT(line_for(result.out, name), StartsWith("OK")) << name;
  }
  EXPECT_THAT(line_for(result.out, "MISP"), HasSubstr("2.5.1"));
  EXPECT_THAT(result.out, Not(HasSubstr("FAIL")));
  EXPECT_FALSE(std::filesystem::exists(tool.store_path()));
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM objects"), 0);
  EXPECT_EQ(sandbox.record_count("SELECT count(*) FROM requests "
                                 "WHERE path LIKE '%restSearch%'"),
            0);
}

// Every warning sync would log about the config shows as a WARN line, and
// warnings alone do not fail the check.
TEST_F(CheckCommand, ConfigWarningsShowAsWarnLines) {
  Sandbox sandbox(m_dir, {}, k_one_event);
  Misp2Sentinel tool(m_dir, sandbox);
  namespace fs = std::filesystem;
  const std::string key_file = m_dir.file("misp.key");
  write_file(key_file, k_misp_key + "\n");
  fs::permissions(key_file, fs::perms::owner_read | fs::perms::owner_write
                                | fs::perms::group_read
                                | fs::perms::others_read);
  std::string text = read_file(tool.config_path());
  const std::string key_line = "key_env = \"M2S_TEST_MISP_KEY\"";
  ASSERT_NE(text.find(key_line), std::string::npos);
  text.replace(text.find(key_line), key_line.size(),
               "key_file = \"" + key_file + "\"\nverify_tls = false");
  write_file(tool.config_path(), text);
  fs::permissions(tool.config_path(), fs::perms::others_write,
                  fs::perm_options::add);

  const ProcessResult result = check(tool);

  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  std::vector<std::string> warnings;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("WARN  config: ", 0) == 0) {
      warnings.push_back(line);
    }
  }
  const auto warned = [&](const std::string& what) {
    for (const std::string& line : warnings) {
      if (line.find(what) != std::string::npos) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(warned("config file is writable by every user")) << result.out;
  EXPECT_TRUE(warned(key_file + " is readable by every user")) << result.out;
  EXPECT_TRUE(warned("TLS certificate verification is OFF for MISP"))
      << result.out;
  EXPECT_THAT(line_for(result.out, "config"), StartsWith("OK"));
}

} // namespace
} // namespace m2s::testing
