#include "misp2sentinel/config/config.hpp"

#include "misp2sentinel/util/errors.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace m2s {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

namespace fs = std::filesystem;

constexpr const char* k_path = "/etc/m2s/config.toml";

// Macros, to be joined with the literals of k_minimal below.
#define M2S_TEST_TENANT "11111111-1111-4111-8111-111111111111"
#define M2S_TEST_CLIENT "22222222-2222-4222-8222-222222222222"
#define M2S_TEST_WORKSPACE "33333333-3333-4333-8333-333333333333"

// The smallest valid file. Line numbers matter to the expected messages:
// added([misp]) lands on line 4, added([sentinel]) on line 10, and any
// other section gets its header on line 10 and the key on line 11.
constexpr std::string_view k_minimal =
    "[misp]\n"                                         // 1
    "url = \"https://misp.example.org\"\n"             // 2
    "key_env = \"M2S_TEST_MISP_KEY\"\n"                // 3
    "\n"                                               // 4
    "[sentinel]\n"                                     // 5
    "tenant_id = \"" M2S_TEST_TENANT "\"\n"                   // 6
    "client_id = \"" M2S_TEST_CLIENT "\"\n"                   // 7
    "client_secret_env = \"M2S_TEST_CLIENT_SECRET\"\n" // 8
    "workspace_id = \"" M2S_TEST_WORKSPACE "\"\n";            // 9

// k_minimal with the line of `key` replaced by `line` (same line number).
std::string replaced(std::string_view key, std::string_view line) {
  std::string text(k_minimal);
  const std::string start = std::string(key) + " = ";
  const std::size_t at = text.find(start);
  EXPECT_NE(at, std::string::npos) << key;
  const std::size_t end = text.find('\n', at);
  text.replace(at, end - at, line);
  return text;
}

// k_minimal with `line` added to `section`.
std::string added(std::string_view section, std::string_view line) {
  std::string text(k_minimal);
  if (section == "misp") {
    text.replace(text.find("\n\n"), 2, "\n" + std::string(line) + "\n");
    return text;
  }
  if (section == "sentinel") {
    return text + std::string(line) + "\n";
  }
  return text + "[" + std::string(section) + "]\n" + std::string(line) + "\n";
}

// The ConfigError message for `text`, or "no error".
std::string error_of(const std::string& text,
                     const std::string& path = k_path) {
  try {
    static_cast<void>(parse_config(text, path));
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

void write_file(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

// Environment variables are process-wide; each test sets its own names and
// the fixture clears them.
class ConfigTest : public ::testing::Test {
protected:
  void SetUp() override {
    setenv("M2S_TEST_MISP_KEY", "  misp-key-123\n", 1);
    setenv("M2S_TEST_CLIENT_SECRET", "client-secret-456", 1);
    m_folder = fs::temp_directory_path()
               / ("m2s-config-test-" + std::to_string(getpid()));
    fs::create_directories(m_folder);
  }

  void TearDown() override {
    unsetenv("M2S_TEST_MISP_KEY");
    unsetenv("M2S_TEST_CLIENT_SECRET");
    unsetenv("M2S_TEST_EMPTY");
    fs::remove_all(m_folder);
  }

  fs::path m_folder;
};

// --- Reading the file ---

TEST_F(ConfigTest, MissingFileNamesPathReasonAndOption) {
  const std::string path = (m_folder / "nope.toml").string();
  try {
    static_cast<void>(load_config(path));
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              path
                  + ": cannot read config file: No such file or directory "
                    "(choose the file with `misp2sentinel --config FILE`)");
    EXPECT_EQ(error.code(), ExitCode::usage_or_config);
  }
}

TEST_F(ConfigTest, DirectoryIsNotAConfigFile) {
  try {
    static_cast<void>(load_config(m_folder.string()));
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              m_folder.string()
                  + ": cannot read config file: Is a directory (choose the "
                    "file with `misp2sentinel --config FILE`)");
  }
}

TEST_F(ConfigTest, TomlSyntaxErrorHasLineAndColumn) {
  const std::string text = "[misp]\nurl = = \"x\"\n";

  EXPECT_THAT(error_of(text),
              StartsWith("/etc/m2s/config.toml:2:7: invalid TOML: "));
}

// --- Unknown and mistyped keys ---

TEST_F(ConfigTest, UnknownKeySuggestsNearestKnownKey) {
  EXPECT_EQ(error_of(added("sentinel", "batchsize = 10")),
            "/etc/m2s/config.toml:10: unknown key [sentinel] batchsize "
            "(did you mean batch_size?)");
}

TEST_F(ConfigTest, UnknownKeyWithoutCloseMatchHasNoSuggestion) {
  EXPECT_EQ(error_of(added("misp", "colour = \"blue\"")),
            "/etc/m2s/config.toml:4: unknown key [misp] colour");
}

TEST_F(ConfigTest, UnknownSectionSuggestsNearestSection) {
  EXPECT_EQ(error_of(added("sentinal", "x = 1")),
            "/etc/m2s/config.toml:10: unknown section [sentinal] "
            "(did you mean [sentinel]?)");
}

TEST_F(ConfigTest, UnknownSubsectionSuggestsNearestSubsection) {
  EXPECT_EQ(error_of(added("misp.filter", "tags = []")),
            "/etc/m2s/config.toml:10: unknown section [misp.filter] "
            "(did you mean [misp.filters]?)");
}

TEST_F(ConfigTest, KeyOutsideAnySectionIsUnknown) {
  const std::string text = "page_size = 5\n" + std::string(k_minimal);

  EXPECT_EQ(error_of(text),
            "/etc/m2s/config.toml:1: unknown key page_size outside any "
            "section");
}

TEST_F(ConfigTest, SectionThatIsNotATableIsAnError) {
  const std::string text = "log = \"debug\"\n" + std::string(k_minimal);

  EXPECT_EQ(error_of(text),
            "/etc/m2s/config.toml:1: [log]: expected a table, got string");
}

TEST_F(ConfigTest, StringWhereIntegerExpected) {
  EXPECT_EQ(error_of(added("misp", "page_size = \"100\"")),
            "/etc/m2s/config.toml:4: [misp] page_size: expected an "
            "integer, got string");
}

TEST_F(ConfigTest, FloatWhereIntegerExpected) {
  EXPECT_EQ(error_of(added("sentinel", "batch_size = 10.5")),
            "/etc/m2s/config.toml:10: [sentinel] batch_size: expected an "
            "integer, got floating-point number");
}

TEST_F(ConfigTest, IntegerWhereBooleanExpected) {
  EXPECT_EQ(error_of(added("misp", "verify_tls = 1")),
            "/etc/m2s/config.toml:4: [misp] verify_tls: expected a "
            "boolean (true or false), got integer");
}

TEST_F(ConfigTest, StringWhereArrayExpected) {
  EXPECT_EQ(error_of(added("misp.filters", "tags = \"tlp:white\"")),
            "/etc/m2s/config.toml:11: [misp.filters] tags: expected an "
            "array of strings, got string");
}

TEST_F(ConfigTest, ArrayItemOfWrongTypeIsNamed) {
  EXPECT_EQ(error_of(added("misp.filters", "not_tags = [\"a\", 2]")),
            "/etc/m2s/config.toml:11: [misp.filters] not_tags: item 2: "
            "expected a string, got integer");
}

TEST_F(ConfigTest, EmptyArrayItemIsAnError) {
  EXPECT_EQ(error_of(added("misp.filters", "tags = [\"\"]")),
            "/etc/m2s/config.toml:11: [misp.filters] tags: item 1: must "
            "not be empty");
}

TEST_F(ConfigTest, IntegerWhereStringExpected) {
  EXPECT_EQ(error_of(replaced("tenant_id", "tenant_id = 42")),
            "/etc/m2s/config.toml:6: [sentinel] tenant_id: expected a "
            "string, got integer");
}

// --- [misp] ---

TEST_F(ConfigTest, MispUrlIsRequired) {
  EXPECT_EQ(error_of(replaced("url", "")),
            "/etc/m2s/config.toml: [misp] url: missing; e.g. url = "
            "\"https://misp.example.org\"");
}

TEST_F(ConfigTest, MissingMispSectionReportsUrlAndKey) {
  const std::string text(k_minimal.substr(k_minimal.find("[sentinel]")));

  EXPECT_EQ(error_of(text),
            "/etc/m2s/config.toml: [misp] url: missing; e.g. url = "
            "\"https://misp.example.org\"\n"
            "/etc/m2s/config.toml: [misp] key_env, key_file: missing; set "
            "key_env to the name of an environment variable holding the "
            "MISP API key, or key_file to a file holding it");
}

TEST_F(ConfigTest, MispUrlNeedsHttpScheme) {
  EXPECT_EQ(error_of(replaced("url", "url = \"misp.example.org\"")),
            "/etc/m2s/config.toml:2: [misp] url: must start with https:// "
            "or http://");
}

TEST_F(ConfigTest, MispUrlNeedsHost) {
  EXPECT_EQ(error_of(replaced("url", "url = \"https:///misp\"")),
            "/etc/m2s/config.toml:2: [misp] url: has no host name after "
            "the scheme");
}

TEST_F(ConfigTest, MispUrlMustNotBeEmpty) {
  EXPECT_EQ(error_of(replaced("url", "url = \"\"")),
            "/etc/m2s/config.toml:2: [misp] url: must not be empty");
}

TEST_F(ConfigTest, MispUrlWithSpaceIsRejected) {
  EXPECT_EQ(error_of(replaced("url", "url = \"https://misp example\"")),
            "/etc/m2s/config.toml:2: [misp] url: must not contain spaces "
            "or control characters");
}

TEST_F(ConfigTest, MispUrlLosesTrailingSlashes) {
  const Config config = parse_config(
      replaced("url", "url = \"HTTPS://misp.example.org/misp//\""), k_path);

  EXPECT_EQ(config.misp.url, "https://misp.example.org/misp");
}

TEST_F(ConfigTest, PlainHttpMispUrlIsAccepted) {
  const Config config = parse_config(
      replaced("url",
               "url = \"http://10.0.0.5:8080/\"\nallow_insecure_http = true"),
      k_path);

  EXPECT_EQ(config.misp.url, "http://10.0.0.5:8080");
}

TEST_F(ConfigTest, PageSizeZeroIsOutOfRange) {
  EXPECT_EQ(error_of(added("misp", "page_size = 0")),
            "/etc/m2s/config.toml:4: [misp] page_size: must be between 1 "
            "and 1000, got 0");
}

TEST_F(ConfigTest, PageSizeAboveThousandIsOutOfRange) {
  EXPECT_EQ(error_of(added("misp", "page_size = 1001")),
            "/etc/m2s/config.toml:4: [misp] page_size: must be between 1 "
            "and 1000, got 1001");
}

TEST_F(ConfigTest, IntegerBeyondIntRangeIsOutOfRange) {
  EXPECT_EQ(error_of(added("misp", "page_size = 99999999999")),
            "/etc/m2s/config.toml:4: [misp] page_size: must be between 1 "
            "and 1000, got 99999999999");
}

TEST_F(ConfigTest, MispTimeoutZeroIsOutOfRange) {
  EXPECT_EQ(error_of(added("misp", "timeout_seconds = 0")),
            "/etc/m2s/config.toml:4: [misp] timeout_seconds: must be "
            "between 1 and 3600, got 0");
}

// --- Secrets ---

TEST_F(ConfigTest, KeyFromEnvironmentIsTrimmed) {
  const Config config = parse_config(std::string(k_minimal), k_path);

  EXPECT_EQ(config.misp.key.reveal(), "misp-key-123");
  EXPECT_EQ(config.sentinel.client_secret.reveal(), "client-secret-456");
}

TEST_F(ConfigTest, KeyEnvAndKeyFileTogetherIsAnError) {
  EXPECT_EQ(error_of(added("misp", "key_file = \"misp.key\"")),
            "/etc/m2s/config.toml:4: [misp] key_env, key_file: set only "
            "one of them");
}

TEST_F(ConfigTest, NeitherKeyEnvNorKeyFileIsAnError) {
  EXPECT_EQ(error_of(replaced("key_env", "")),
            "/etc/m2s/config.toml: [misp] key_env, key_file: missing; set "
            "key_env to the name of an environment variable holding the "
            "MISP API key, or key_file to a file holding it");
}

TEST_F(ConfigTest, UnsetKeyVariableIsNamed) {
  EXPECT_EQ(error_of(replaced("key_env", "key_env = \"M2S_TEST_UNSET\"")),
            "/etc/m2s/config.toml:3: [misp] key_env: environment variable "
            "M2S_TEST_UNSET is not set");
}

TEST_F(ConfigTest, BlankKeyVariableIsAnError) {
  setenv("M2S_TEST_EMPTY", " \n", 1);

  EXPECT_EQ(error_of(replaced("key_env", "key_env = \"M2S_TEST_EMPTY\"")),
            "/etc/m2s/config.toml:3: [misp] key_env: environment variable "
            "M2S_TEST_EMPTY is empty");
}

TEST_F(ConfigTest, EmptyKeyEnvIsAnError) {
  EXPECT_EQ(error_of(replaced("key_env", "key_env = \"\"")),
            "/etc/m2s/config.toml:3: [misp] key_env: must not be empty");
}

TEST_F(ConfigTest, KeyPastedIntoKeyEnvIsNotEchoed) {
  const std::string pasted = "Xq7PsecretKeyPastedHere0123456789abcdefG";

  const std::string message =
      error_of(replaced("key_env", "key_env = \"" + pasted + "\""));

  EXPECT_EQ(message,
            "/etc/m2s/config.toml:3: [misp] key_env: the environment "
            "variable (name not shown: it does not look like a variable "
            "name; give the name, not the secret) is not set");
  EXPECT_THAT(message, Not(HasSubstr(pasted)));
}

TEST_F(ConfigTest, KeyFileIsReadRelativeToConfigAndTrimmed) {
  write_file(m_folder / "misp.key", "file-key-789\n");
  const std::string path = (m_folder / "config.toml").string();

  const Config config =
      parse_config(replaced("key_env", "key_file = \"misp.key\""), path);

  EXPECT_EQ(config.misp.key.reveal(), "file-key-789");
}

TEST_F(ConfigTest, MissingKeyFileNamesResolvedPath) {
  const std::string path = (m_folder / "config.toml").string();

  EXPECT_EQ(error_of(replaced("key_env", "key_file = \"keys/misp.key\""), path),
            path + ":3: [misp] key_file: cannot read "
                + (m_folder / "keys/misp.key").string()
                + ": No such file or directory");
}

TEST_F(ConfigTest, EmptyKeyFileIsAnError) {
  write_file(m_folder / "empty.key", "\n\n");
  const std::string key_file = (m_folder / "empty.key").string();

  EXPECT_EQ(error_of(replaced("key_env", "key_file = \"" + key_file + "\"")),
            "/etc/m2s/config.toml:3: [misp] key_file: " + key_file
                + " is empty");
}

TEST_F(ConfigTest, MultiLineKeyFileIsAnError) {
  write_file(m_folder / "two.key", "first-line\nsecond-line\n");
  const std::string key_file = (m_folder / "two.key").string();

  const std::string message =
      error_of(replaced("key_env", "key_file = \"" + key_file + "\""));

  EXPECT_EQ(message,
            "/etc/m2s/config.toml:3: [misp] key_file: " + key_file
                + " holds more than one line; it must hold only the secret");
  EXPECT_THAT(message, Not(HasSubstr("first-line")));
}

TEST_F(ConfigTest, KeyPastedIntoKeyFileIsNotEchoed) {
  const std::string pasted = "Xq7PsecretKeyPastedHere0123456789abcdefG";

  const std::string message =
      error_of(replaced("key_env", "key_file = \"" + pasted + "\""));

  EXPECT_EQ(message,
            "/etc/m2s/config.toml:3: [misp] key_file: cannot read the file "
            "(path not shown: it looks like a secret; give the path of a "
            "file holding it): No such file or directory");
  EXPECT_THAT(message, Not(HasSubstr(pasted)));
}

TEST_F(ConfigTest, ClientSecretFromFile) {
  write_file(m_folder / "client.secret", "from-file\r\n");
  const std::string path = (m_folder / "config.toml").string();

  const Config config = parse_config(
      replaced("client_secret_env", "client_secret_file = \"client.secret\""),
      path);

  EXPECT_EQ(config.sentinel.client_secret.reveal(), "from-file");
}

TEST_F(ConfigTest, UnsetClientSecretVariableIsNamed) {
  EXPECT_EQ(error_of(replaced("client_secret_env",
                              "client_secret_env = \"M2S_TEST_NO_SECRET\"")),
            "/etc/m2s/config.toml:8: [sentinel] client_secret_env: "
            "environment variable M2S_TEST_NO_SECRET is not set");
}

// `status` reads only the store and `sync --dry-run` asks for no token:
// a secret the command does not need is not resolved, so its variable
// may be unset.
TEST_F(ConfigTest, SecretsACommandDoesNotNeedAreNotRead) {
  const std::string text = replaced(
      "client_secret_env", "client_secret_env = \"M2S_TEST_NO_SECRET\"");
  std::string none = replaced("key_env", "key_env = \"M2S_TEST_UNSET\"");
  none.replace(none.find("M2S_TEST_CLIENT_SECRET"),
               std::string_view("M2S_TEST_CLIENT_SECRET").size(),
               "M2S_TEST_NO_SECRET");

  const Config status = parse_config(none, k_path, NeededSecrets::none());
  const Config dry = parse_config(text, k_path, NeededSecrets::misp_only());

  EXPECT_TRUE(status.misp.key.empty());
  EXPECT_TRUE(status.sentinel.client_secret.empty());
  EXPECT_EQ(dry.misp.key.reveal(), "misp-key-123");
  EXPECT_TRUE(dry.sentinel.client_secret.empty());
}

TEST_F(ConfigTest, ASecretTheCommandNeedsIsStillNamedWhenUnset) {
  const std::string text = replaced("key_env", "key_env = \"M2S_TEST_UNSET\"");

  try {
    static_cast<void>(parse_config(text, k_path, NeededSecrets::misp_only()));
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              "/etc/m2s/config.toml:3: [misp] key_env: environment "
              "variable M2S_TEST_UNSET is not set");
  }
  // How the secret is given is still checked when it is not read.
  EXPECT_THROW(static_cast<void>(parse_config(
                   replaced("key_env", ""), k_path, NeededSecrets::none())),
               ConfigError);
}

TEST_F(ConfigTest, MissingClientSecretIsAnError) {
  EXPECT_EQ(error_of(replaced("client_secret_env", "")),
            "/etc/m2s/config.toml: [sentinel] client_secret_env, "
            "client_secret_file: missing; set client_secret_env to the name "
            "of an environment variable holding the Entra ID client secret, "
            "or client_secret_file to a file holding it");
}

TEST_F(ConfigTest, SecretsNeverAppearInErrors) {
  const std::string misp_key = "MispKeyValue0123456789abcdefABCDEF012345";
  const std::string client_secret = "Cl1ent~Secret.Value_0123456789";
  setenv("M2S_TEST_MISP_KEY", misp_key.c_str(), 1);
  write_file(m_folder / "client.secret", client_secret + "\n");
  std::string text =
      replaced("client_secret_env", "client_secret_file = \"client.secret\"");
  text += "batch_size = 0\nkey = \"x\"\n";

  const std::string message =
      error_of(text, (m_folder / "config.toml").string());

  EXPECT_THAT(message, HasSubstr("[sentinel] batch_size: must be between"));
  EXPECT_THAT(message, Not(HasSubstr(misp_key)));
  EXPECT_THAT(message, Not(HasSubstr(client_secret)));
}

// --- [sentinel] ---

TEST_F(ConfigTest, TenantIdIsRequired) {
  EXPECT_EQ(error_of(replaced("tenant_id", "")),
            "/etc/m2s/config.toml: [sentinel] tenant_id: missing; e.g. "
            "tenant_id = \"00000000-0000-0000-0000-000000000000\"");
}

TEST_F(ConfigTest, ClientIdMustNotBeEmpty) {
  EXPECT_EQ(error_of(replaced("client_id", "client_id = \"\"")),
            "/etc/m2s/config.toml:7: [sentinel] client_id: must not be "
            "empty");
}

// A placeholder left in (the README's "...") or a name instead of an ID is
// caught by the config, not by a token or upload request later.
TEST_F(ConfigTest, IdsMustLookLikeIds) {
  EXPECT_EQ(error_of(replaced("tenant_id", "tenant_id = \"...\"")),
            "/etc/m2s/config.toml:6: [sentinel] tenant_id: neither a GUID "
            "(Directory (tenant) ID) nor a domain such as "
            "contoso.onmicrosoft.com");
  EXPECT_EQ(error_of(replaced("client_id", "client_id = \"my-app\"")),
            "/etc/m2s/config.toml:7: [sentinel] client_id: not a GUID; use "
            "the app registration's Application (client) ID");
  EXPECT_EQ(error_of(replaced("workspace_id",
                              "workspace_id = \"sentinel-ws\"")),
            "/etc/m2s/config.toml:9: [sentinel] workspace_id: not a GUID; "
            "use the Log Analytics workspace's Workspace ID");
}

TEST_F(ConfigTest, TenantMayBeADomainAndGuidsAnyCase) {
  const Config config = parse_config(
      replaced("tenant_id", "tenant_id = \"contoso.onmicrosoft.com\""),
      k_path);
  EXPECT_EQ(config.sentinel.tenant_id, "contoso.onmicrosoft.com");
  const Config upper = parse_config(
      replaced("workspace_id",
               "workspace_id = \"3333AAAA-3333-4333-8333-333333333333\""),
      k_path);
  EXPECT_EQ(upper.sentinel.workspace_id,
            "3333AAAA-3333-4333-8333-333333333333");
}

TEST_F(ConfigTest, WorkspaceIdIsRequired) {
  EXPECT_EQ(error_of(replaced("workspace_id", "")),
            "/etc/m2s/config.toml: [sentinel] workspace_id: missing; e.g. "
            "workspace_id = \"00000000-0000-0000-0000-000000000000\"");
}

TEST_F(ConfigTest, UnknownApiIsAnError) {
  EXPECT_EQ(error_of(added("sentinel", "api = \"stix\"")),
            "/etc/m2s/config.toml:10: [sentinel] api: must be "
            "\"stix-objects\" or \"upload-indicators\", got \"stix\"");
}

TEST_F(ConfigTest, GraphApiIsRetired) {
  EXPECT_EQ(error_of(added("sentinel", "api = \"graph\"")),
            "/etc/m2s/config.toml:10: [sentinel] api: \"graph\" (Microsoft "
            "Graph tiIndicators) is retired by Microsoft; use "
            "\"stix-objects\"");
}

TEST_F(ConfigTest, UploadIndicatorsApiGetsItsDefaults) {
  const Config config =
      parse_config(added("sentinel", "api = \"upload-indicators\""), k_path);

  EXPECT_EQ(config.sentinel.api, SentinelApi::upload_indicators);
  EXPECT_EQ(config.sentinel.api_url, "https://sentinelus.azure-api.net");
  EXPECT_EQ(config.sentinel.api_version, "2022-07-01");
}

TEST_F(ConfigTest, ApiUrlAndVersionCanBeOverridden) {
  const std::string text = added("sentinel",
                                 "api_url = \"http://127.0.0.1:8443/\"\n"
                                 "api_version = \"2025-01-01\"");

  const Config config = parse_config(text, k_path);

  EXPECT_EQ(config.sentinel.api, SentinelApi::stix_objects);
  EXPECT_EQ(config.sentinel.api_url, "http://127.0.0.1:8443");
  EXPECT_EQ(config.sentinel.api_version, "2025-01-01");
}

TEST_F(ConfigTest, BadApiUrlIsAnError) {
  EXPECT_EQ(error_of(added("sentinel", "api_url = \"api.example\"")),
            "/etc/m2s/config.toml:10: [sentinel] api_url: must start with "
            "https:// or http://");
}

TEST_F(ConfigTest, EmptyLoginUrlIsAnError) {
  EXPECT_EQ(error_of(added("sentinel", "login_url = \"\"")),
            "/etc/m2s/config.toml:10: [sentinel] login_url: must not be "
            "empty");
}

TEST_F(ConfigTest, BatchSizeAboveHundredIsOutOfRange) {
  EXPECT_EQ(error_of(added("sentinel", "batch_size = 101")),
            "/etc/m2s/config.toml:10: [sentinel] batch_size: must be "
            "between 1 and 100, got 101");
}

TEST_F(ConfigTest, BatchSizeZeroIsOutOfRange) {
  EXPECT_EQ(error_of(added("sentinel", "batch_size = 0")),
            "/etc/m2s/config.toml:10: [sentinel] batch_size: must be "
            "between 1 and 100, got 0");
}

TEST_F(ConfigTest, RequestsPerMinuteAboveHundredIsOutOfRange) {
  EXPECT_EQ(error_of(added("sentinel", "requests_per_minute = 101")),
            "/etc/m2s/config.toml:10: [sentinel] requests_per_minute: must "
            "be between 1 and 100, got 101");
}

TEST_F(ConfigTest, ReservedSourceSystemIsAnError) {
  EXPECT_EQ(
      error_of(added("sentinel", "source_system = \"Microsoft Sentinel\"")),
      "/etc/m2s/config.toml:10: [sentinel] source_system: "
      "\"Microsoft Sentinel\" is reserved by Sentinel; choose another "
      "name");
}

TEST_F(ConfigTest, EmptySourceSystemIsAnError) {
  EXPECT_EQ(error_of(added("sentinel", "source_system = \"\"")),
            "/etc/m2s/config.toml:10: [sentinel] source_system: must not "
            "be empty");
}

TEST_F(ConfigTest, EmptyScopeIsAnError) {
  EXPECT_EQ(error_of(added("sentinel", "scope = \"\"")),
            "/etc/m2s/config.toml:10: [sentinel] scope: must not be empty");
}

// --- [indicators] ---

TEST_F(ConfigTest, ConfidenceAboveHundredIsOutOfRange) {
  EXPECT_EQ(error_of(added("indicators", "default_confidence = 101")),
            "/etc/m2s/config.toml:11: [indicators] default_confidence: "
            "must be between 0 and 100, got 101");
}

TEST_F(ConfigTest, NegativeConfidenceIsOutOfRange) {
  EXPECT_EQ(error_of(added("indicators", "default_confidence = -1")),
            "/etc/m2s/config.toml:11: [indicators] default_confidence: "
            "must be between 0 and 100, got -1");
}

TEST_F(ConfigTest, ZeroDaysToExpireIsAnError) {
  EXPECT_EQ(error_of(added("indicators", "days_to_expire = 0")),
            "/etc/m2s/config.toml:11: [indicators] days_to_expire: must be "
            "at least 1, got 0");
}

TEST_F(ConfigTest, UnknownExpireFromIsAnError) {
  EXPECT_EQ(error_of(added("indicators", "expire_from = \"today\"")),
            "/etc/m2s/config.toml:11: [indicators] expire_from: must be "
            "one of \"now\", \"valid_from\", got \"today\"");
}

TEST_F(ConfigTest, UnknownTlpIsAnError) {
  EXPECT_EQ(error_of(added("indicators", "default_tlp = \"tlp:blue\"")),
            "/etc/m2s/config.toml:11: [indicators] default_tlp: must be one "
            "of \"tlp:clear\", \"tlp:white\", \"tlp:green\", \"tlp:amber\", "
            "\"tlp:amber+strict\", \"tlp:red\", got \"tlp:blue\"");
}

TEST_F(ConfigTest, TlpIsCaseInsensitiveAndStoredLowerCase) {
  const Config config =
      parse_config(added("indicators", "default_tlp = \"TLP:AMBER\""), k_path);

  EXPECT_EQ(config.indicators.default_tlp, "tlp:amber");
}

TEST_F(ConfigTest, UnknownObservableTypeIsNamed) {
  EXPECT_EQ(
      error_of(added("indicators.days_to_expire_by_type", "ipv4 = 30")),
      "/etc/m2s/config.toml:11: [indicators.days_to_expire_by_type] ipv4: "
      "not a STIX observable type (did you mean ipv4-addr?); use one of "
      "ipv4-addr, ipv6-addr, domain-name, url, file, email-addr, "
      "user-account, windows-registry-key");
}

// The converter makes no network-traffic indicator (an ip|port gives the
// address's), so a lifetime for that type would silently do nothing.
TEST_F(ConfigTest, NetworkTrafficLifetimeSaysWhichTypeToUse) {
  EXPECT_EQ(
      error_of(added("indicators.days_to_expire_by_type",
                     "network-traffic = 30")),
      "/etc/m2s/config.toml:11: [indicators.days_to_expire_by_type] "
      "network-traffic: no indicator has this type (an IP with a port "
      "gives an ipv4-addr or ipv6-addr indicator); use one of "
      "ipv4-addr, ipv6-addr, domain-name, url, file, email-addr, "
      "user-account, windows-registry-key");
}

TEST_F(ConfigTest, ZeroDaysForATypeIsAnError) {
  EXPECT_EQ(error_of(added("indicators.days_to_expire_by_type", "url = 0")),
            "/etc/m2s/config.toml:11: [indicators.days_to_expire_by_type] url: "
            "must be at least 1, got 0");
}

TEST_F(ConfigTest, RefreshWindowMustBeShorterThanEveryLifetime) {
  EXPECT_EQ(error_of(added("indicators", "refresh_before_days = 50")),
            "/etc/m2s/config.toml:11: [indicators] refresh_before_days: 50 "
            "is not less than days_to_expire (50): every run would re-send "
            "those indicators; make it smaller, or 0 to turn refresh off");

  const std::string by_type =
      added("indicators.days_to_expire_by_type", "url = 5");
  EXPECT_NE(error_of(by_type).find("is not less than "
                                   "days_to_expire_by_type.url (5)"),
            std::string::npos)
      << error_of(by_type);

  EXPECT_EQ(error_of(added("indicators", "refresh_before_days = 0")),
            "no error");
  EXPECT_EQ(error_of(added("indicators",
                           "refresh_before_days = 50\n"
                           "expire_from = \"valid_from\"")),
            "no error");
}

TEST_F(ConfigTest, DaysForATypeMustBeAnInteger) {
  EXPECT_EQ(
      error_of(added("indicators.days_to_expire_by_type", "url = \"30\"")),
      "/etc/m2s/config.toml:11: [indicators.days_to_expire_by_type] url: "
      "expected an integer, got string");
}

TEST_F(ConfigTest, IgnoreLocalTagsMustBeABoolean) {
  EXPECT_EQ(error_of(added("indicators", "ignore_local_tags = \"no\"")),
            "/etc/m2s/config.toml:11: [indicators] ignore_local_tags: "
            "expected a boolean (true or false), got string");
}

TEST_F(ConfigTest, AllowedTagPrefixesMustBeStrings) {
  EXPECT_EQ(error_of(added("indicators", "allowed_tag_prefixes = \"tlp\"")),
            "/etc/m2s/config.toml:11: [indicators] allowed_tag_prefixes: "
            "expected an array of strings, got string");
  EXPECT_EQ(error_of(added("indicators", "allowed_tag_prefixes = [\"\"]")),
            "/etc/m2s/config.toml:11: [indicators] allowed_tag_prefixes: "
            "item 1: must not be empty");
}

TEST_F(ConfigTest, BlankTagPrefixIsAnError) {
  EXPECT_EQ(
      error_of(
          added("indicators", "allowed_tag_prefixes = [\"osint:\", \" \"]")),
      "/etc/m2s/config.toml:11: [indicators] allowed_tag_prefixes: a prefix "
      "is blank; leave the list empty to allow every tag");
}

TEST_F(ConfigTest, TagOptionsAreRead) {
  const Config defaults = parse_config(added("indicators", ""), k_path);
  EXPECT_TRUE(defaults.indicators.ignore_local_tags);
  EXPECT_TRUE(defaults.indicators.allowed_tag_prefixes.empty());

  const Config config = parse_config(
      added("indicators",
            "ignore_local_tags = false\n"
            "allowed_tag_prefixes = [\"misp-galaxy:\", \"osint:\"]"),
      k_path);
  EXPECT_FALSE(config.indicators.ignore_local_tags);
  EXPECT_EQ(config.indicators.allowed_tag_prefixes,
            (std::vector<std::string>{"misp-galaxy:", "osint:"}));
}

// --- [state], [log], [limits] ---

TEST_F(ConfigTest, BadLookbackIsAnError) {
  EXPECT_EQ(error_of(added("state", "lookback = \"1 hour\"")),
            "/etc/m2s/config.toml:11: [state] lookback: expected a "
            "duration such as \"90s\", \"15m\", \"1h\" or \"14d\", got "
            "\"1 hour\"");
}

TEST_F(ConfigTest, LookbackInMinutes) {
  const Config config =
      parse_config(added("state", "lookback = \"15m\""), k_path);

  EXPECT_EQ(config.state.lookback_seconds, 900);
}

TEST_F(ConfigTest, EmptyStatePathIsAnError) {
  EXPECT_EQ(error_of(added("state", "path = \"\"")),
            "/etc/m2s/config.toml:11: [state] path: must not be empty");
}

TEST_F(ConfigTest, UnknownLogLevelIsAnError) {
  EXPECT_EQ(error_of(added("log", "level = \"verbose\"")),
            "/etc/m2s/config.toml:11: [log] level: must be one of "
            "\"trace\", \"debug\", \"info\", \"warn\", \"error\", got "
            "\"verbose\"");
}

TEST_F(ConfigTest, UnknownLogFormatIsAnError) {
  EXPECT_EQ(error_of(added("log", "format = \"xml\"")),
            "/etc/m2s/config.toml:11: [log] format: must be one of "
            "\"text\", \"json\", got \"xml\"");
}

TEST_F(ConfigTest, LogFormatIgnoresCase) {
  const Config config = parse_config(added("log", "format = \"JSON\""), k_path);

  EXPECT_EQ(config.log.format, LogFormat::json);
}

TEST_F(ConfigTest, ZeroLogFileSizeIsAnError) {
  EXPECT_EQ(error_of(added("log", "max_size_mb = 0")),
            "/etc/m2s/config.toml:11: [log] max_size_mb: must be between 1 "
            "and 10240, got 0");
}

TEST_F(ConfigTest, ZeroLogFilesIsAnError) {
  EXPECT_EQ(error_of(added("log", "max_files = 0")),
            "/etc/m2s/config.toml:11: [log] max_files: must be between 1 "
            "and 1000, got 0");
}

TEST_F(ConfigTest, MetricsFileMustEndInProm) {
  EXPECT_EQ(error_of(added("metrics", "textfile = \"/var/lib/node/m2s.txt\"")),
            "/etc/m2s/config.toml:11: [metrics] textfile: node_exporter's "
            "textfile collector reads only files ending in .prom, got "
            "\"/var/lib/node/m2s.txt\"");
}

TEST_F(ConfigTest, MisspeltMetricsKeyIsAnError) {
  EXPECT_EQ(error_of(added("metrics", "text_file = \"m2s.prom\"")),
            "/etc/m2s/config.toml:11: unknown key [metrics] text_file (did "
            "you mean textfile?)");
}

TEST_F(ConfigTest, EmptyMetricsFileMeansNoMetrics) {
  const Config config =
      parse_config(added("metrics", "textfile = \"\""), k_path);

  EXPECT_EQ(config.metrics.textfile, "");
}

TEST_F(ConfigTest, NegativeRetryBudgetIsAnError) {
  EXPECT_EQ(error_of(added("limits", "retry_budget_seconds = -1")),
            "/etc/m2s/config.toml:11: [limits] retry_budget_seconds: must "
            "be between 0 and 86400, got -1");
}

// --- Several problems at once ---

TEST_F(ConfigTest, AllProblemsAreListedInFileOrder) {
  std::string text = replaced("tenant_id", "");
  text = text.replace(text.find("\n\n"), 2, "\npage_size = 0\n");
  text += "batchsize = 5\n[log]\nlevel = \"loud\"\n";

  EXPECT_EQ(error_of(text),
            "/etc/m2s/config.toml:4: [misp] page_size: must be between 1 "
            "and 1000, got 0\n"
            "/etc/m2s/config.toml:10: unknown key [sentinel] batchsize "
            "(did you mean batch_size?)\n"
            "/etc/m2s/config.toml:12: [log] level: must be one of "
            "\"trace\", \"debug\", \"info\", \"warn\", \"error\", got "
            "\"loud\"\n"
            "/etc/m2s/config.toml: [sentinel] tenant_id: missing; e.g. "
            "tenant_id = \"00000000-0000-0000-0000-000000000000\"");
}

// --- Valid files ---

TEST_F(ConfigTest, MinimalFileGetsDefaults) {
  const Config config = parse_config(std::string(k_minimal), k_path);

  EXPECT_EQ(config.source_path, k_path);
  EXPECT_EQ(config.misp.url, "https://misp.example.org");
  EXPECT_TRUE(config.misp.verify_tls);
  EXPECT_EQ(config.misp.ca_file, "");
  EXPECT_EQ(config.misp.page_size, 100);
  EXPECT_EQ(config.misp.timeout_seconds, 60);
  EXPECT_TRUE(config.misp.filters.published);
  EXPECT_TRUE(config.misp.filters.to_ids);
  EXPECT_TRUE(config.misp.filters.tags.empty());
  EXPECT_TRUE(config.misp.filters.not_tags.empty());
  EXPECT_TRUE(config.misp.filters.enforce_warninglist);
  EXPECT_EQ(config.sentinel.api, SentinelApi::stix_objects);
  EXPECT_EQ(config.sentinel.tenant_id, M2S_TEST_TENANT);
  EXPECT_EQ(config.sentinel.client_id, M2S_TEST_CLIENT);
  EXPECT_EQ(config.sentinel.workspace_id, M2S_TEST_WORKSPACE);
  EXPECT_EQ(config.sentinel.source_system, "MISP");
  EXPECT_EQ(config.sentinel.batch_size, 100);
  EXPECT_EQ(config.sentinel.requests_per_minute, 100);
  EXPECT_EQ(config.sentinel.login_url, "https://login.microsoftonline.com");
  EXPECT_EQ(config.sentinel.api_url, "https://api.ti.sentinel.azure.com");
  EXPECT_EQ(config.sentinel.api_version, "2024-02-01-preview");
  EXPECT_EQ(config.sentinel.scope, "https://management.azure.com/.default");
  EXPECT_TRUE(config.sentinel.verify_tls);
  EXPECT_EQ(config.sentinel.timeout_seconds, 60);
  EXPECT_EQ(config.indicators.default_confidence, 50);
  EXPECT_EQ(config.indicators.days_to_expire, 50);
  EXPECT_EQ(config.indicators.expire_from, ExpireFrom::now);
  EXPECT_TRUE(config.indicators.days_to_expire_by_type.empty());
  EXPECT_EQ(config.indicators.default_tlp, "tlp:clear");
  EXPECT_EQ(config.state.path, "/etc/m2s/misp2sentinel.db");
  EXPECT_EQ(config.state.lookback_seconds, 3600);
  EXPECT_EQ(config.log.level, "info");
  EXPECT_EQ(config.log.file, "");
  EXPECT_EQ(config.log.format, LogFormat::text);
  EXPECT_EQ(config.log.max_size_mb, 10);
  EXPECT_EQ(config.log.max_files, 5);
  EXPECT_EQ(config.limits.retry_budget_seconds, 300);
  EXPECT_EQ(config.metrics.textfile, "");
}

TEST_F(ConfigTest, ConfigInWorkingDirectoryKeepsRelativePaths) {
  const Config config = parse_config(std::string(k_minimal), "m2s.toml");

  EXPECT_EQ(config.state.path, "misp2sentinel.db");
}

TEST_F(ConfigTest, FullFileReadsEveryKey) {
  write_file(m_folder / "misp.key", "full-misp-key\n");
  write_file(m_folder / "client.secret", "full-client-secret\n");
  write_file(m_folder / "config.toml", R"(# every key, none at its default
[misp]
url = "https://misp.example.org/"
key_file = "misp.key"
verify_tls = false
ca_file = "certs/misp-ca.pem"
page_size = 250
timeout_seconds = 30

[misp.filters]
published = false
to_ids = false
tags = ['workflow:state="complete"', "tlp:green"]
not_tags = ["tlp:red"]
enforce_warninglist = false

[sentinel]
api = "upload-indicators"
tenant_id = "11111111-1111-1111-1111-111111111111"
client_id = "22222222-2222-2222-2222-222222222222"
client_secret_file = "client.secret"
workspace_id = "33333333-3333-3333-3333-333333333333"
source_system = "Our MISP"
batch_size = 50
requests_per_minute = 60
login_url = "https://login.microsoftonline.us/"
api_url = "https://sentinel.example.us"
api_version = "2022-12-01-preview"
scope = "https://management.usgovcloudapi.net/.default"
verify_tls = false
ca_file = "/etc/ssl/sentinel-ca.pem"
timeout_seconds = 90

[indicators]
default_confidence = 75
days_to_expire = 30
expire_from = "valid_from"
default_tlp = "tlp:amber+strict"

[indicators.days_to_expire_by_type]
ipv4-addr = 150
url = 400

[state]
path = "state/m2s.db"
lookback = "2h"

[log]
level = "debug"
file = "logs/m2s.log"
format = "json"
max_size_mb = 50
max_files = 3

[limits]
retry_budget_seconds = 120

[metrics]
textfile = "metrics/m2s.prom"
)");

  const Config config = load_config((m_folder / "config.toml").string());

  const std::string folder = m_folder.string();
  EXPECT_EQ(config.source_path, folder + "/config.toml");
  EXPECT_EQ(config.misp.url, "https://misp.example.org");
  EXPECT_EQ(config.misp.key.reveal(), "full-misp-key");
  EXPECT_FALSE(config.misp.verify_tls);
  EXPECT_EQ(config.misp.ca_file, folder + "/certs/misp-ca.pem");
  EXPECT_EQ(config.misp.page_size, 250);
  EXPECT_EQ(config.misp.timeout_seconds, 30);
  EXPECT_FALSE(config.misp.filters.published);
  EXPECT_FALSE(config.misp.filters.to_ids);
  EXPECT_EQ(
      config.misp.filters.tags,
      (std::vector<std::string>{"workflow:state=\"complete\"", "tlp:green"}));
  EXPECT_EQ(config.misp.filters.not_tags, std::vector<std::string>{"tlp:red"});
  EXPECT_FALSE(config.misp.filters.enforce_warninglist);
  EXPECT_EQ(config.sentinel.api, SentinelApi::upload_indicators);
  EXPECT_EQ(config.sentinel.tenant_id, "11111111-1111-1111-1111-111111111111");
  EXPECT_EQ(config.sentinel.client_id, "22222222-2222-2222-2222-222222222222");
  EXPECT_EQ(config.sentinel.client_secret.reveal(), "full-client-secret");
  EXPECT_EQ(config.sentinel.workspace_id,
            "33333333-3333-3333-3333-333333333333");
  EXPECT_EQ(config.sentinel.source_system, "Our MISP");
  EXPECT_EQ(config.sentinel.batch_size, 50);
  EXPECT_EQ(config.sentinel.requests_per_minute, 60);
  EXPECT_EQ(config.sentinel.login_url, "https://login.microsoftonline.us");
  EXPECT_EQ(config.sentinel.api_url, "https://sentinel.example.us");
  EXPECT_EQ(config.sentinel.api_version, "2022-12-01-preview");
  EXPECT_EQ(config.sentinel.scope,
            "https://management.usgovcloudapi.net/.default");
  EXPECT_FALSE(config.sentinel.verify_tls);
  EXPECT_EQ(config.sentinel.ca_file, "/etc/ssl/sentinel-ca.pem");
  EXPECT_EQ(config.sentinel.timeout_seconds, 90);
  EXPECT_EQ(config.indicators.default_confidence, 75);
  EXPECT_EQ(config.indicators.days_to_expire, 30);
  EXPECT_EQ(config.indicators.expire_from, ExpireFrom::valid_from);
  EXPECT_EQ(config.indicators.default_tlp, "tlp:amber+strict");
  EXPECT_EQ(config.indicators.days_to_expire_by_type,
            (std::map<std::string, int>{{"ipv4-addr", 150}, {"url", 400}}));
  EXPECT_EQ(config.state.path, folder + "/state/m2s.db");
  EXPECT_EQ(config.state.lookback_seconds, 7200);
  EXPECT_EQ(config.log.level, "debug");
  EXPECT_EQ(config.log.file, folder + "/logs/m2s.log");
  EXPECT_EQ(config.log.format, LogFormat::json);
  EXPECT_EQ(config.log.max_size_mb, 50);
  EXPECT_EQ(config.log.max_files, 3);
  EXPECT_EQ(config.limits.retry_budget_seconds, 120);
  EXPECT_EQ(config.metrics.textfile, folder + "/metrics/m2s.prom");
}

// --- Security properties and limits (issue 7) ---

// The config's single warning, or "" when there is none.
std::string only_warning(const Config& config) {
  EXPECT_LE(config.warnings.size(), 1u);
  return config.warnings.empty() ? "" : config.warnings.front();
}

TEST_F(ConfigTest, PlainHttpToAnotherMachineIsRefused) {
  EXPECT_EQ(error_of(replaced("url", "url = \"http://misp.example.org\"")),
            "/etc/m2s/config.toml:2: [misp] url: plain http:// to another "
            "machine would send the API key unencrypted; use https://, or "
            "set allow_insecure_http = true to accept that");
}

TEST_F(ConfigTest, PlainHttpToLoopbackIsAccepted) {
  for (const char* url : {"http://127.0.0.1:8080",
                          "http://localhost/",
                          "http://LOCALHOST:80",
                          "http://[::1]:8443",
                          "http://127.1.2.3",
                          "http://u:p@127.0.0.1"}) {
    const Config config = parse_config(
        replaced("url", "url = \"" + std::string(url) + "\""), k_path);
    EXPECT_TRUE(config.warnings.empty()) << url;
  }
}

TEST_F(ConfigTest, LoopbackLookalikesAreNotLoopback) {
  for (const char* url : {"http://127.0.0.1.evil.example",
                          "http://localhost.evil.example",
                          "http://evil.example/127.0.0.1",
                          "http://127.0.0.1@evil.example",
                          "http://[::2]",
                          "http://0.0.0.0:8080",
                          "http://[::ffff:10.0.0.1]"}) {
    EXPECT_THAT(error_of(replaced("url", "url = \"" + std::string(url) + "\"")),
                HasSubstr("[misp] url: plain http:// to another machine"))
        << url;
  }
}

TEST_F(ConfigTest, AllowInsecureHttpAcceptsWithAWarning) {
  const Config config = parse_config(
      replaced("url",
               "url = \"http://misp.example.org\"\nallow_insecure_http = true"),
      k_path);

  EXPECT_EQ(config.misp.url, "http://misp.example.org");
  EXPECT_TRUE(config.misp.allow_insecure_http);
  EXPECT_EQ(only_warning(config),
            "/etc/m2s/config.toml: [misp] url: plain http:// "
            "(allow_insecure_http = true): the API key travels unencrypted");
}

TEST_F(ConfigTest, PlainHttpLoginUrlIsRefused) {
  EXPECT_EQ(error_of(added("sentinel", "login_url = \"http://login.example\"")),
            "/etc/m2s/config.toml:10: [sentinel] login_url: plain http:// to "
            "another machine would send the client secret unencrypted; use "
            "https://, or set allow_insecure_http = true to accept that");
}

TEST_F(ConfigTest, PlainHttpApiUrlIsRefused) {
  EXPECT_EQ(error_of(added("sentinel", "api_url = \"http://ti.example\"")),
            "/etc/m2s/config.toml:10: [sentinel] api_url: plain http:// to "
            "another machine would send the bearer token unencrypted; use "
            "https://, or set allow_insecure_http = true to accept that");
}

TEST_F(ConfigTest, SentinelAllowInsecureHttpCoversItsUrls) {
  const Config config =
      parse_config(added("sentinel",
                         "login_url = \"http://login.example\"\n"
                         "allow_insecure_http = true"),
                   k_path);

  EXPECT_TRUE(config.sentinel.allow_insecure_http);
  EXPECT_EQ(only_warning(config),
            "/etc/m2s/config.toml: [sentinel] login_url: plain http:// "
            "(allow_insecure_http = true): the client secret travels "
            "unencrypted");
}

TEST_F(ConfigTest, TlsVerificationIsOnByDefaultWithoutWarnings) {
  const Config config = parse_config(std::string(k_minimal), k_path);

  EXPECT_TRUE(config.misp.verify_tls);
  EXPECT_TRUE(config.sentinel.verify_tls);
  EXPECT_EQ(config.misp.ca_file, "");
  EXPECT_EQ(config.sentinel.ca_file, "");
  EXPECT_TRUE(config.warnings.empty());
}

TEST_F(ConfigTest, TurningTlsVerificationOffWarns) {
  EXPECT_EQ(
      only_warning(parse_config(added("misp", "verify_tls = false"), k_path)),
      "/etc/m2s/config.toml: [misp] verify_tls: TLS certificate "
      "verification is OFF for MISP: anyone on the network path can "
      "read the API key and change the events (for a private CA, set "
      "ca_file instead)");
  EXPECT_EQ(only_warning(
                parse_config(added("sentinel", "verify_tls = false"), k_path)),
            "/etc/m2s/config.toml: [sentinel] verify_tls: TLS certificate "
            "verification is OFF for Entra ID and Sentinel: anyone on the "
            "network path can read the client secret and the bearer token "
            "(for a private CA, set ca_file instead)");
}

TEST_F(ConfigTest, SecretFileReadableByOthersWarns) {
  const fs::path key = m_folder / "misp.key";
  write_file(key, "file-key-789\n");
  const std::string text =
      replaced("key_env", "key_file = \"" + key.string() + "\"");

  fs::permissions(key,
                  fs::perms::owner_read | fs::perms::owner_write
                      | fs::perms::group_read | fs::perms::others_read);
  EXPECT_EQ(only_warning(parse_config(text, k_path)),
            "/etc/m2s/config.toml: [misp] key_file: " + key.string()
                + " is readable by every user of this machine; restrict it "
                  "(chmod 600, or 640 for a group)");

  fs::permissions(key, fs::perms::owner_read | fs::perms::group_read);
  EXPECT_EQ(only_warning(parse_config(text, k_path)), "");
}

TEST_F(ConfigTest, SecretFileWritableByOthersWarns) {
  const fs::path secret = m_folder / "client.secret";
  write_file(secret, "client-secret-000\n");
  fs::permissions(secret, fs::perms::owner_read | fs::perms::others_write);

  const Config config =
      parse_config(replaced("client_secret_env",
                            "client_secret_file = \"" + secret.string() + "\""),
                   k_path);

  EXPECT_EQ(config.warnings,
            std::vector<std::string>{
                "/etc/m2s/config.toml: [sentinel] client_secret_file: "
                + secret.string()
                + " is writable by every user of this machine"});
}

TEST_F(ConfigTest, HugeSecretFileIsRefusedUnread) {
  const fs::path key = m_folder / "big.key";
  write_file(key, std::string(70000, 'k'));

  EXPECT_EQ(
      error_of(replaced("key_env", "key_file = \"" + key.string() + "\"")),
      "/etc/m2s/config.toml:3: [misp] key_file: cannot read " + key.string()
          + ": File too large");
  EXPECT_EQ(error_of(replaced("key_env", "key_file = \"/dev/zero\"")),
            "/etc/m2s/config.toml:3: [misp] key_file: cannot read /dev/zero: "
            "File too large");
}

TEST_F(ConfigTest, EndlessConfigFileIsRefused) {
  try {
    static_cast<void>(load_config("/dev/zero"));
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              "/dev/zero: cannot read config file: File too large (choose "
              "the file with `misp2sentinel --config FILE`)");
  }
}

TEST_F(ConfigTest, ConfigFileWritableByOthersWarns) {
  const fs::path path = m_folder / "config.toml";
  write_file(path, k_minimal);
  fs::permissions(path,
                  fs::perms::owner_read | fs::perms::owner_write
                      | fs::perms::others_write);

  EXPECT_EQ(only_warning(load_config(path.string())),
            path.string()
                + ": the config file is writable by every user of this "
                  "machine; anyone could redirect the keys it uses "
                  "(chmod 600)");
}

TEST_F(ConfigTest, PasswordInUrlOfAReadableConfigWarns) {
  const fs::path path = m_folder / "config.toml";
  write_file(path,
             replaced("url", "url = \"https://sync:pa55@misp.example.org\""));

  fs::permissions(path,
                  fs::perms::owner_read | fs::perms::owner_write
                      | fs::perms::others_read);
  EXPECT_EQ(only_warning(load_config(path.string())),
            path.string()
                + ": the config file holds a URL with a password and is "
                  "readable by every user of this machine (chmod 600)");

  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(only_warning(load_config(path.string())), "");
}

TEST_F(ConfigTest, ReadableConfigWithoutSecretsDoesNotWarn) {
  const fs::path path = m_folder / "config.toml";
  write_file(path, k_minimal);
  fs::permissions(path,
                  fs::perms::owner_read | fs::perms::owner_write
                      | fs::perms::group_read | fs::perms::others_read);

  EXPECT_EQ(only_warning(load_config(path.string())), "");
}

TEST_F(ConfigTest, LimitsHaveSafeDefaults) {
  const Config config = parse_config(std::string(k_minimal), k_path);

  EXPECT_EQ(config.limits.retry_budget_seconds, 300);
  EXPECT_EQ(config.limits.run_budget_seconds, 3600);
  EXPECT_EQ(config.limits.max_response_mb, 256);
  EXPECT_EQ(config.limits.max_json_depth, 64);
  EXPECT_EQ(config.misp.timeout_seconds, 60);
  EXPECT_EQ(config.sentinel.timeout_seconds, 60);
}

TEST_F(ConfigTest, LimitsAreRead) {
  const Config config = parse_config(added("limits",
                                           "run_budget_seconds = 600\n"
                                           "max_response_mb = 32\n"
                                           "max_json_depth = 128"),
                                     k_path);

  EXPECT_EQ(config.limits.run_budget_seconds, 600);
  EXPECT_EQ(config.limits.max_response_mb, 32);
  EXPECT_EQ(config.limits.max_json_depth, 128);
}

TEST_F(ConfigTest, LimitsOutOfRangeAreErrors) {
  EXPECT_EQ(error_of(added("limits", "run_budget_seconds = 0")),
            "/etc/m2s/config.toml:11: [limits] run_budget_seconds: must be "
            "between 1 and 604800, got 0");
  EXPECT_EQ(error_of(added("limits", "max_response_mb = 0")),
            "/etc/m2s/config.toml:11: [limits] max_response_mb: must be "
            "between 1 and 4096, got 0");
  EXPECT_EQ(error_of(added("limits", "max_json_depth = 15")),
            "/etc/m2s/config.toml:11: [limits] max_json_depth: must be "
            "between 16 and 1024, got 15");
  EXPECT_EQ(error_of(added("limits", "max_json_depth = 1025")),
            "/etc/m2s/config.toml:11: [limits] max_json_depth: must be "
            "between 16 and 1024, got 1025");
}

} // namespace
} // namespace m2s
