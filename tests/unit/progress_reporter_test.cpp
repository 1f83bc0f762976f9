#include "progress_reporter.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace m2s {
namespace {

using namespace std::chrono_literals;
using Clock = ProgressOptions::Clock;

// The text written to `file` so far.
std::string contents(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buffer[256];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    text.append(buffer, got);
  }
  return text;
}

// A reporter on a fake clock that records what it draws and logs.
class ProgressReporterTest : public ::testing::Test {
protected:
  ProgressOptions options(bool terminal) {
    ProgressOptions result;
    result.terminal = terminal;
    result.now = [this] {
      return m_now;
    };
    result.draw = [this](const std::string& line) {
      m_drawn.push_back(line);
    };
    result.log = [this](const std::string& line) {
      m_logged.push_back(line);
    };
    return result;
  }

  void at(Clock::duration since_start) {
    m_now = k_start + since_start;
  }

  static constexpr Clock::time_point k_start = Clock::time_point{} + 1000s;
  Clock::time_point m_now = k_start;
  std::vector<std::string> m_drawn;
  std::vector<std::string> m_logged;
};

// --- format_progress ---

TEST(ProgressFormat, UnknownRateLeavesOutRateAndEta) {
  EXPECT_EQ(format_progress({"uploading", 0, 1000}, 0.0),
            "uploading: 0/1000 indicators (0%)");
}

TEST(ProgressFormat, UnknownPhaseCountsItems) {
  EXPECT_EQ(format_progress({"sorting", 3, 0}, -1.0), "sorting: 3 items");
}

TEST(ProgressFormat, DoneBeyondTotalStopsAtOneHundredPercent) {
  EXPECT_EQ(format_progress({"uploading", 12, 10}, 1.0),
            "uploading: 12/10 indicators (100%), 1.0/s, ETA 0s");
}

TEST(ProgressFormat, UnknownTotalShowsCountAndRate) {
  EXPECT_EQ(format_progress({"reading MISP", 250, 0}, 50.0),
            "reading MISP: 250 events, 50/s");
}

TEST(ProgressFormat, KnownTotalShowsPercentAndEta) {
  EXPECT_EQ(format_progress({"uploading", 300, 1000}, 100.0),
            "uploading: 300/1000 indicators (30%), 100/s, ETA 7s");
}

TEST(ProgressFormat, SlowRateKeepsOneDecimal) {
  EXPECT_EQ(format_progress({"reading MISP", 5, 0}, 2.5),
            "reading MISP: 5 events, 2.5/s");
}

TEST(ProgressFormat, EtaRoundsUp) {
  EXPECT_EQ(format_progress({"uploading", 1, 8}, 20.0),
            "uploading: 1/8 indicators (12%), 20/s, ETA 1s");
}

TEST(ProgressEta, SecondsMinutesHours) {
  EXPECT_EQ(format_eta(-5), "0s");
  EXPECT_EQ(format_eta(0), "0s");
  EXPECT_EQ(format_eta(59), "59s");
  EXPECT_EQ(format_eta(60), "1m00s");
  EXPECT_EQ(format_eta(61), "1m01s");
  EXPECT_EQ(format_eta(3599), "59m59s");
  EXPECT_EQ(format_eta(3600), "1h00m");
  EXPECT_EQ(format_eta(3725), "1h02m");
  EXPECT_EQ(format_eta(90000), "25h00m");
}

// --- Off a terminal: log lines, throttled ---

TEST_F(ProgressReporterTest, OffTerminalShortRunLogsNothing) {
  ProgressReporter reporter(options(false));

  for (int second = 1; second <= 4; ++second) {
    at(std::chrono::seconds(second));
    reporter.report({"reading MISP", second * 10, 0});
  }

  EXPECT_TRUE(m_logged.empty());
  EXPECT_TRUE(m_drawn.empty());
}

TEST_F(ProgressReporterTest, OffTerminalLogsAtMostOncePerInterval) {
  ProgressReporter reporter(options(false));

  for (int second = 1; second <= 12; ++second) {
    at(std::chrono::seconds(second));
    reporter.report({"reading MISP", second * 10, 0});
  }

  EXPECT_EQ(m_logged,
            (std::vector<std::string>{"reading MISP: 50 events, 10/s",
                                      "reading MISP: 100 events, 10/s"}));
  EXPECT_TRUE(m_drawn.empty());
}

TEST_F(ProgressReporterTest, OffTerminalIntervalIsConfigurable) {
  ProgressOptions opts = options(false);
  opts.log_interval = 2s;
  ProgressReporter reporter(opts);

  for (int second = 1; second <= 5; ++second) {
    at(std::chrono::seconds(second));
    reporter.report({"uploading", second, 5});
  }

  EXPECT_EQ(m_logged,
            (std::vector<std::string>{
                "uploading: 2/5 indicators (40%), 1.0/s, ETA 3s",
                "uploading: 4/5 indicators (80%), 1.0/s, ETA 1s"}));
}

// --- On a terminal: one line, redrawn ---

TEST_F(ProgressReporterTest, OnTerminalUpdateAtStartHasNoRate) {
  ProgressReporter reporter(options(true));

  reporter.report({"reading MISP", 10, 0});

  EXPECT_EQ(m_drawn, std::vector<std::string>{"reading MISP: 10 events"});
}

TEST_F(ProgressReporterTest, OnTerminalRedrawsAtMostEvery200ms) {
  ProgressReporter reporter(options(true));

  for (int step = 1; step <= 8; ++step) {
    at(std::chrono::milliseconds(50 * step));
    reporter.report({"uploading", step, 8});
  }

  EXPECT_EQ(m_drawn,
            (std::vector<std::string>{
                "uploading: 1/8 indicators (12%), 20/s, ETA 1s",
                "uploading: 5/8 indicators (62%), 20/s, ETA 1s",
                "uploading: 8/8 indicators (100%), 20/s, ETA 0s"}));
  EXPECT_TRUE(m_logged.empty());
}

TEST_F(ProgressReporterTest, NewPhaseIsDrawnAndRestartsTheRate) {
  ProgressReporter reporter(options(true));

  at(10s);
  reporter.report({"reading MISP", 100, 0});
  at(10s + 50ms);
  reporter.report({"uploading", 5, 100});
  at(12s + 50ms);
  reporter.report({"uploading", 55, 100});

  EXPECT_EQ(m_drawn,
            (std::vector<std::string>{
                "reading MISP: 100 events, 10/s",
                "uploading: 5/100 indicators (5%), 100/s, ETA 1s",
                "uploading: 55/100 indicators (55%), 27/s, ETA 2s"}));
}

TEST_F(ProgressReporterTest, ListenerFeedsTheReporter) {
  const SyncEngine::ProgressListener listener =
      make_progress_listener(options(false));

  at(6s);
  listener({"reading MISP", 30, 0});

  EXPECT_EQ(m_logged,
            std::vector<std::string>{"reading MISP: 30 events, 5.0/s"});
}

// --- The terminal line itself ---

TEST(TerminalLine, ClearWithoutALineWritesNothing) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::tmpfile(),
                                                       &std::fclose);
  ASSERT_NE(file, nullptr);
  TerminalLine line(file.get());

  line.clear();

  EXPECT_EQ(contents(file.get()), "");
}

TEST(TerminalLine, ShowRedrawsInPlaceAndClearErasesOnce) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::tmpfile(),
                                                       &std::fclose);
  ASSERT_NE(file, nullptr);
  TerminalLine line(file.get());

  line.show("a");
  line.show("bb");
  line.clear();
  line.clear();

  EXPECT_EQ(contents(file.get()), "\ra\033[K\rbb\033[K\r\033[K");
}

} // namespace
} // namespace m2s
