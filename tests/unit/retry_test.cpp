#include "misp2sentinel/http/retry.hpp"

#include <gtest/gtest.h>

#include <set>

namespace m2s {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ParseRetryAfter, NothingUsableGivesNullopt) {
  EXPECT_FALSE(parse_retry_after("", "").has_value());
  EXPECT_FALSE(
      parse_retry_after("soon", "Rate limit is exceeded.").has_value());
  EXPECT_FALSE(parse_retry_after("-5", "").has_value());
}

TEST(ParseRetryAfter, ReadsSentinelBody) {
  const std::string body = R"({"statusCode":429,"message":"Rate limit is )"
                           R"(exceeded. Try again in 2 seconds."})";

  EXPECT_EQ(parse_retry_after("", body), milliseconds(2000));
}

TEST(ParseRetryAfter, HeaderWinsOverBody) {
  EXPECT_EQ(parse_retry_after(" 7 ", "Try again in 2 seconds."),
            milliseconds(7000));
}

TEST(ParseRetryAfter, UnreadableHeaderFallsBackToBody) {
  EXPECT_EQ(parse_retry_after("later", "try again in 1 second"),
            milliseconds(1000));
}

TEST(ParseRetryAfter, PastHttpDateMeansNow) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", ""),
            milliseconds(0));
}

TEST(ParseRetryAfter, HugeValuesAreCappedAtADay) {
  EXPECT_EQ(parse_retry_after("99999999999999999999999", ""),
            milliseconds(seconds(24 * 3600)));
}

// Fits an int64 as seconds, overflows as milliseconds (a fuzz finding:
// tools/fuzz http_answers, "429 99999999999999999").
TEST(ParseRetryAfter, SecondsThatOverflowAsMillisecondsAreCapped) {
  EXPECT_EQ(parse_retry_after("99999999999999999", ""),
            milliseconds(seconds(24 * 3600)));
  EXPECT_EQ(parse_retry_after("", "Try again in 9223372036854775807 seconds."),
            milliseconds(seconds(24 * 3600)));
}

TEST(RetryBudget, RefusesWhatItCannotCoverWithoutSpending) {
  RetryBudget budget(milliseconds(1000), milliseconds(100), milliseconds(800));

  EXPECT_FALSE(budget.next_delay(1, milliseconds(1001)).has_value());
  EXPECT_EQ(budget.remaining(), milliseconds(1000));
  EXPECT_EQ(budget.next_delay(1, milliseconds(1000)), milliseconds(1000));
  EXPECT_EQ(budget.remaining(), milliseconds(0));
  EXPECT_FALSE(budget.next_delay(1).has_value());
}

TEST(RetryBudget, BackoffDoublesWithJitterUpToTheCap) {
  RetryBudget budget(
      milliseconds(1000000), milliseconds(100), milliseconds(800));
  const milliseconds expected[] = {milliseconds(100),
                                   milliseconds(200),
                                   milliseconds(400),
                                   milliseconds(800),
                                   milliseconds(800),
                                   milliseconds(800)};

  for (int attempt = 1; attempt <= 6; ++attempt) {
    const auto before = budget.remaining();
    const auto delay = budget.next_delay(attempt);
    const auto centre = expected[attempt - 1];

    ASSERT_TRUE(delay.has_value());
    EXPECT_GE(*delay, centre * 3 / 4) << "attempt " << attempt;
    EXPECT_LE(*delay, centre * 5 / 4) << "attempt " << attempt;
    EXPECT_EQ(budget.remaining(), before - *delay);
  }
}

TEST(RetryBudget, VeryLateAttemptsStayAtTheCap) {
  RetryBudget budget(milliseconds(10000), milliseconds(100), milliseconds(200));

  const auto delay = budget.next_delay(1000);

  ASSERT_TRUE(delay.has_value());
  EXPECT_GE(*delay, milliseconds(150));
  EXPECT_LE(*delay, milliseconds(250));
}

TEST(RetryBudget, JitterVaries) {
  RetryBudget budget(
      milliseconds(1000000), milliseconds(1000), milliseconds(1000));
  std::set<milliseconds::rep> seen;

  for (int i = 0; i < 50; ++i) {
    seen.insert(budget.next_delay(1)->count());
  }

  EXPECT_GT(seen.size(), 10u);
}

} // namespace
} // namespace m2s
