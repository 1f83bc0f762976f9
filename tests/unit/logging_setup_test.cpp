#include "logging_setup.hpp"

#include "misp2sentinel/util/errors.hpp"
#include "temp_dir.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>

namespace m2s {
namespace {

using ::testing::HasSubstr;

namespace fs = std::filesystem;

const std::regex k_utc_ms(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");

// What one logger call with `format` writes.
std::string formatted(LogFormat format,
                      spdlog::level::level_enum level,
                      const std::string& message) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
  sink->set_formatter(make_log_formatter(format));
  spdlog::logger logger("test", sink);
  logger.log(level, "{}", message);
  return out.str();
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

mode_t mode_of(const fs::path& path) {
  struct stat info {};

  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777;
}

// Keeps the process's default logger and umask as they were.
class LogFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_previous_logger = spdlog::default_logger();
    m_previous_mask = ::umask(022);
  }

  void TearDown() override {
    spdlog::set_default_logger(m_previous_logger);
    ::umask(m_previous_mask);
  }

  LogConfig file_config(const std::string& name) {
    LogConfig log;
    log.file = m_dir.file(name);
    return log;
  }

  testing::TempDir m_dir;
  std::shared_ptr<spdlog::logger> m_previous_logger;
  mode_t m_previous_mask = 022;
};

// --- Formats ---

TEST(JsonLogFormat, MessageWithQuotesAndControlCharactersStaysOneLine) {
  const std::string message =
      "quote \" backslash \\ newline \n tab \t bell \x07 caf\xc3\xa9";

  const std::string line =
      formatted(LogFormat::json, spdlog::level::warn, message);

  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
  const boost::json::object object = boost::json::parse(line).as_object();
  EXPECT_EQ(object.size(), 3U);
  EXPECT_EQ(object.at("message").as_string(), message);
  EXPECT_EQ(object.at("level").as_string(), "warning");
  EXPECT_TRUE(std::regex_match(
      std::string(object.at("time").as_string().c_str()), k_utc_ms))
      << line;
}

TEST(JsonLogFormat, KeysComeInTimeLevelMessageOrder) {
  const std::string line =
      formatted(LogFormat::json, spdlog::level::info, "hello");

  EXPECT_TRUE(std::regex_match(
      line,
      std::regex(R"(\{"time":"[0-9T:.\-]+Z","level":"info","message":)"
                 R"("hello"\}\n)")))
      << line;
}

TEST(TextLogFormat, TimeLevelMessage) {
  const std::string line =
      formatted(LogFormat::text, spdlog::level::info, "hello");

  EXPECT_TRUE(std::regex_match(
      line,
      std::regex(
          R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z info hello\n)")))
      << line;
}

// --- The file ---

TEST_F(LogFileTest, FolderThatCannotExistIsAConfigError) {
  std::ofstream(m_dir.file("plain-file")) << "x";
  LogConfig log = file_config("plain-file/m2s.log");

  try {
    static_cast<void>(make_log_file_sink(log));
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(),
                HasSubstr("[log] file " + log.file + ": cannot open"));
  }
}

TEST_F(LogFileTest, FileIsCreatedPrivate) {
  const LogConfig log = file_config("m2s.log");

  spdlog::logger logger("test", make_log_file_sink(log));
  logger.info("one line");
  logger.flush();

  EXPECT_EQ(mode_of(log.file), 0600U);
  EXPECT_THAT(read_text(log.file), HasSubstr(" info one line\n"));
}

TEST_F(LogFileTest, RotatesAtSizeKeepsMaxFilesAllPrivate) {
  LogConfig log = file_config("m2s.log");
  log.max_size_mb = 1;
  log.max_files = 2;

  spdlog::logger logger("test", make_log_file_sink(log));
  const std::string line(1000, 'x');
  for (int i = 0; i < 3500; ++i) {
    logger.info("{}", line);
  }
  logger.flush();

  EXPECT_TRUE(fs::exists(m_dir.file("m2s.1.log")));
  EXPECT_TRUE(fs::exists(m_dir.file("m2s.2.log")));
  EXPECT_FALSE(fs::exists(m_dir.file("m2s.3.log")));
  EXPECT_LE(fs::file_size(m_dir.file("m2s.1.log")), 1024U * 1024U);
  EXPECT_GT(fs::file_size(m_dir.file("m2s.1.log")), 1000U * 1000U);
  for (const char* name : {"m2s.log", "m2s.1.log", "m2s.2.log"}) {
    EXPECT_EQ(mode_of(m_dir.file(name)), 0600U) << name;
  }
}

TEST_F(LogFileTest, FileUsesTheJsonFormat) {
  LogConfig log = file_config("m2s.log");
  log.format = LogFormat::json;

  spdlog::logger logger("test", make_log_file_sink(log));
  logger.info("event {} read", 42);
  logger.flush();

  const boost::json::object object =
      boost::json::parse(read_text(log.file)).as_object();
  EXPECT_EQ(object.at("message").as_string(), "event 42 read");
}

TEST_F(LogFileTest, UnknownLevelOverrideIsAConfigError) {
  const auto before = spdlog::default_logger();

  try {
    setup_logging(LogConfig{}, "verbose");
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              "--log-level: must be one of trace, debug, info, warn, "
              "error, got \"verbose\"");
  }
  EXPECT_EQ(spdlog::default_logger(), before);
}

TEST_F(LogFileTest, SetupMakesTheDefaultLoggerWithOverrideLevel) {
  LogConfig log = file_config("m2s.log");
  log.level = "info";
  log.format = LogFormat::json;

  setup_logging(log, "warn");
  spdlog::info("not shown");
  spdlog::warn("shown");
  spdlog::default_logger()->flush();

  EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::warn);
  const std::string text = read_text(log.file);
  EXPECT_EQ(boost::json::parse(text).as_object().at("message").as_string(),
            "shown");
}

} // namespace
} // namespace m2s
