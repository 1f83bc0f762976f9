// [limits] max_json_depth reaches the parsing of MISP's restSearch pages:
// a page nested deeper than the limit fails with a message naming the
// setting; the same page passes under a higher limit.

#include "misp2sentinel/misp/misp_client.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "scripted_http.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace m2s {
namespace {

using ::testing::HasSubstr;

// One event whose "Extra" member nests `levels` arrays; the page adds four
// levels ({"response":[{"Event":{...}}]}) before it.
std::string page_nested(int levels) {
  return R"({"response":[{"Event":{"uuid":)"
         R"("5a3c2fda-0000-4000-8000-000000000001","info":"deep",)"
         R"("timestamp":"1700000000","publish_timestamp":"1700000000",)"
         R"("published":true,"Attribute":[],"Extra":)"
         + std::string(static_cast<std::size_t>(levels), '[')
         + std::string(static_cast<std::size_t>(levels), ']') + "}}]}";
}

EventPage fetch(int max_depth, const std::string& body) {
  MispConfig config;
  config.url = "https://misp.example";
  config.key = Secret("k3y-not-used-by-the-script");
  config.max_json_depth = max_depth;
  test::ScriptedHttp http({{200, body, {}}});
  RetryBudget retry(std::chrono::seconds(0),
                    std::chrono::seconds(1),
                    std::chrono::seconds(1));
  MispClient client(config, http, retry, [](std::chrono::milliseconds) {});
  return client.fetch_events(EventPageRequest{});
}

TEST(MispJsonDepth, PageWithinTheLimitIsRead) {
  const EventPage page = fetch(40, page_nested(30));

  ASSERT_EQ(page.events.size(), 1u);
  EXPECT_EQ(page.events[0].info, "deep");
}

TEST(MispJsonDepth, PageDeeperThanTheLimitFailsNamingTheSetting) {
  try {
    static_cast<void>(fetch(20, page_nested(30)));
    FAIL() << "expected MispError";
  } catch (const MispError& error) {
    EXPECT_THAT(error.what(), HasSubstr("/events/restSearch page 1"));
    EXPECT_THAT(error.what(), HasSubstr("[limits] max_json_depth (20)"));
  }
}

TEST(MispJsonDepth, LimitAboveBoostsDefaultIsHonoured) {
  // Boost.JSON stops at 32 levels unless told otherwise.
  const EventPage page = fetch(128, page_nested(100));

  EXPECT_EQ(page.events.size(), 1u);
}

} // namespace
} // namespace m2s
