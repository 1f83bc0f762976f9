#include "misp2sentinel/sentinel/rate_limiter.hpp"

#include "misp2sentinel/util/errors.hpp"
#include "misp2sentinel/util/termination.hpp"
#include "net_test_support.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <string>

namespace m2s {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiter, FirstRequestsInAnEmptyWindowDoNotWait) {
  test::FakeTime time;
  RateLimiter limiter(3, milliseconds(60000), time.sleeper(), time.clock());

  limiter.acquire();
  limiter.acquire();
  limiter.acquire();

  EXPECT_TRUE(time.sleeps().empty());
}

TEST(RateLimiter, NeverExceedsLimitInAnyWindow) {
  test::FakeTime time;
  const milliseconds window(1000);
  RateLimiter limiter(3, window, time.sleeper(), time.clock());
  std::vector<std::chrono::steady_clock::time_point> sent;

  for (int i = 0; i < 20; ++i) {
    limiter.acquire();
    sent.push_back(time.now());
    time.advance(milliseconds(70)); // the request itself takes a while
  }

  for (const auto& start : sent) {
    int in_window = 0;
    for (const auto& at : sent) {
      in_window += (at >= start && at < start + window) ? 1 : 0;
    }
    EXPECT_LE(in_window, 3);
  }
  // The 4th request goes exactly when the 1st leaves the window.
  EXPECT_EQ(sent[3] - sent[0], window);
  EXPECT_EQ(sent[18] - sent[0], 6 * window);
}

// The server counts a request when it arrives, which can be any time up
// to its answer: a slow first request (a token fetch, a busy network) must
// not let a later one arrive within the server's window.
TEST(RateLimiter, WindowCountsFromTheAnswer) {
  test::FakeTime time;
  const milliseconds window(1000);
  RateLimiter limiter(2, window, time.sleeper(), time.clock());
  const auto first_sent = time.now();

  limiter.acquire();
  time.advance(milliseconds(300));
  limiter.answered();
  const auto first_answered = time.now();
  limiter.acquire();
  limiter.answered();
  limiter.acquire();

  EXPECT_EQ(time.now() - first_answered, window);
  EXPECT_GT(time.now() - first_sent, window);
}

TEST(RateLimiter, AnswerWithNothingCountedIsHarmless) {
  test::FakeTime time;
  RateLimiter limiter(1, milliseconds(1000), time.sleeper(), time.clock());

  limiter.answered();
  limiter.acquire();

  EXPECT_TRUE(time.sleeps().empty());
}

TEST(RateLimiter, BackOffHoldsTheNextRequest) {
  test::FakeTime time;
  RateLimiter limiter(100, milliseconds(60000), time.sleeper(), time.clock());
  limiter.acquire();

  limiter.back_off(milliseconds(2000));
  limiter.acquire();

  ASSERT_EQ(time.sleeps().size(), 1u);
  EXPECT_EQ(time.sleeps()[0], milliseconds(2000));
}

// SIGTERM cuts the wait short (the real sleeper returns early): the
// request it was waiting for must not go out before the limit allows.
TEST(RateLimiter, TerminationDuringAWaitSendsNothing) {
  RateLimiter limiter(
      1,
      milliseconds(60000),
      [](milliseconds) { request_termination(SIGTERM); },
      [] { return std::chrono::steady_clock::time_point{}; });
  limiter.acquire();

  std::string error;
  try {
    limiter.acquire();
  } catch (const SentinelError& e) {
    error = e.what();
  }
  clear_termination_request();

  EXPECT_NE(error.find("stopped by SIGTERM while waiting for Sentinel's "
                       "rate limit"),
            std::string::npos)
      << error;
}

TEST(RateLimiter, ShorterBackOffDoesNotShortenALongerOne) {
  test::FakeTime time;
  RateLimiter limiter(100, milliseconds(60000), time.sleeper(), time.clock());

  limiter.back_off(milliseconds(5000));
  limiter.back_off(milliseconds(1000));
  limiter.acquire();

  ASSERT_EQ(time.sleeps().size(), 1u);
  EXPECT_EQ(time.sleeps()[0], milliseconds(5000));
}

TEST(RateLimiter, ZeroLimitStillLetsOneThrough) {
  test::FakeTime time;
  RateLimiter limiter(0, milliseconds(1000), time.sleeper(), time.clock());

  limiter.acquire();
  limiter.acquire();

  ASSERT_EQ(time.sleeps().size(), 1u);
  EXPECT_EQ(time.sleeps()[0], milliseconds(1000));
}

} // namespace
} // namespace m2s
