#include "misp2sentinel/util/time.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace m2s {
namespace {

TEST(Time, ParseRejectsMalformedText) {
  const char* bad[] = {
      "",
      "2020-10-25",
      "2020-10-25T16:22Z",
      "2020-10-25T16:22:00Zjunk",
      "2020-10-25T16:22:00.Z",
      "2020-10-25T16:22:00+2:00",
      "2020-10-25T16:22:00+02:0",
      "2020-10-25T16:22:00 +02:00",
      "2020-10-25T16:22:00+24:00",
      "2020-10-25T16:22:00+02:60",
      " 2020-10-25T16:22:00Z",
      "2020-1-25T16:22:00Z",
      "2020-10-25X16:22:00Z",
      "2020-10-25T-1:22:00Z",
      "2020-10-25T+1:22:00Z",
      "20a0-10-25T16:22:00Z",
      "1603642920",
  };
  for (const char* text : bad) {
    EXPECT_EQ(parse_iso8601_ms(text), std::nullopt) << text;
  }
}

TEST(Time, ParseRejectsImpossibleDatesAndTimes) {
  const char* bad[] = {
      "2020-02-30T00:00:00Z",
      "2021-02-29T00:00:00Z",
      "2100-02-29T00:00:00Z",
      "2020-13-01T00:00:00Z",
      "2020-00-10T00:00:00Z",
      "2020-10-00T00:00:00Z",
      "2020-10-25T24:00:00Z",
      "2020-10-25T16:60:00Z",
      "2020-10-25T16:22:60Z",
  };
  for (const char* text : bad) {
    EXPECT_EQ(parse_iso8601_ms(text), std::nullopt) << text;
  }
}

TEST(Time, ParsesMispFirstSeenWithMicrosecondsAndOffset) {
  EXPECT_EQ(parse_iso8601_ms("2014-11-19T17:23:09.000000+00:00"),
            std::optional<std::int64_t>{1416417789000});
  EXPECT_EQ(parse_iso8601_ms("2014-11-19T17:23:09.123456+00:00"),
            std::optional<std::int64_t>{1416417789123});
}

TEST(Time, ParsesStixTimestamps) {
  EXPECT_EQ(parse_iso8601_ms("2020-10-25T16:22:00Z"),
            std::optional<std::int64_t>{1603642920000});
  EXPECT_EQ(parse_iso8601_ms("2020-10-25T16:22:00.5Z"),
            std::optional<std::int64_t>{1603642920500});
  EXPECT_EQ(parse_iso8601_ms("2020-10-25t16:22:00.123456789z"),
            std::optional<std::int64_t>{1603642920123});
  EXPECT_EQ(parse_iso8601_ms("2020-10-25 16:22:00Z"),
            std::optional<std::int64_t>{1603642920000});
}

TEST(Time, ParseAppliesOffsets) {
  EXPECT_EQ(parse_iso8601_ms("2020-10-25T18:22:00+02:00"),
            std::optional<std::int64_t>{1603642920000});
  EXPECT_EQ(parse_iso8601_ms("2020-10-25T18:22:00+0200"),
            std::optional<std::int64_t>{1603642920000});
  EXPECT_EQ(parse_iso8601_ms("2020-10-25T10:52:00.250-05:30"),
            std::optional<std::int64_t>{1603642920250});
  // The offset may carry the time across midnight and a month end.
  EXPECT_EQ(parse_iso8601_ms("2000-01-01T01:00:00+02:00"),
            std::optional<std::int64_t>{946684800000 - 3600000});
}

TEST(Time, ParseReadsTextWithoutOffsetAsUtc) {
  EXPECT_EQ(parse_iso8601_ms("2024-02-29T12:00:00"),
            std::optional<std::int64_t>{1709208000000});
}

TEST(Time, FormatsMillisecondsUtc) {
  EXPECT_EQ(format_utc_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_utc_ms(1603642920123), "2020-10-25T16:22:00.123Z");
  EXPECT_EQ(format_utc_ms(1709208000007), "2024-02-29T12:00:00.007Z");
  EXPECT_EQ(format_utc_ms(4107542400000), "2100-03-01T00:00:00.000Z");
  EXPECT_EQ(format_utc_ms(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Time, FormatsWholeSecondsUtc) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(1603642920), "2020-10-25T16:22:00Z");
  EXPECT_EQ(format_utc(2147483648), "2038-01-19T03:14:08Z");
}

TEST(Time, FormatThenParseRoundTrips) {
  const std::int64_t samples[] = {
      0, 1, 999, 951782400000, 1709208000001, 4102444799999, -86400000};
  for (const std::int64_t epoch_ms : samples) {
    EXPECT_EQ(parse_iso8601_ms(format_utc_ms(epoch_ms)),
              std::optional<std::int64_t>{epoch_ms})
        << epoch_ms;
  }
}

TEST(Time, NowIsTheSystemClock) {
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  const std::int64_t now = now_epoch_ms();
  const auto after = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());

  EXPECT_GE(now, before.count());
  EXPECT_LE(now, after.count());
}

TEST(Time, DurationRejectsMalformedText) {
  const char* bad[] = {"",
                       "s",
                       "-5",
                       "+5",
                       "-5m",
                       "1.5h",
                       "5 m",
                       " 5",
                       "5w",
                       "1H",
                       "1hm",
                       "99999999999999999999",
                       "9223372036854775807d"};
  for (const char* text : bad) {
    EXPECT_EQ(parse_duration_seconds(text), std::nullopt) << text;
  }
}

TEST(Time, DurationReadsUnits) {
  EXPECT_EQ(parse_duration_seconds("90s"), std::optional<std::int64_t>{90});
  EXPECT_EQ(parse_duration_seconds("15m"), std::optional<std::int64_t>{900});
  EXPECT_EQ(parse_duration_seconds("1h"), std::optional<std::int64_t>{3600});
  EXPECT_EQ(parse_duration_seconds("14d"),
            std::optional<std::int64_t>{1209600});
  EXPECT_EQ(parse_duration_seconds("3600"), std::optional<std::int64_t>{3600});
  EXPECT_EQ(parse_duration_seconds("0"), std::optional<std::int64_t>{0});
}

TEST(ProcessCpu, GrowsWithWorkDone) {
  const double before = process_cpu_seconds();
  volatile std::uint64_t sum = 0;
  for (std::uint64_t i = 0; i < 50'000'000; ++i) {
    sum = sum + i;
  }

  const double after = process_cpu_seconds();

  EXPECT_GT(before, 0.0);
  EXPECT_GT(after, before);
}

} // namespace
} // namespace m2s
