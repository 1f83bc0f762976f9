// The bad-input catalogue, Sentinel's side (issue 7): answers of unexpected
// shapes to an upload of three records, each with the exact outcome. An
// answer either accepts records, rejects named records with a message, or
// fails the batch with a SentinelError (the batch then stays queued);
// never a crash, and never "accepted" for an answer that could hide
// per-record errors.

#include "misp2sentinel/sentinel/uploader.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "net_test_support.hpp"
#include "scripted_http.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace m2s {
namespace {

using std::chrono::milliseconds;
using test::ScriptedAnswer;

constexpr const char* k_endpoint =
    "https://sentinel.example.org/workspaces/ws-1/"
    "threat-intelligence-stix-objects:upload?api-version=2024-02-01-preview";

class FixedTokens final : public TokenSource {
public:
  std::string bearer() override {
    return "token-1";
  }

  void invalidate() override {}
};

// The JSON texts of `count` records, as the outbox keeps them.
std::vector<std::string> records(int count) {
  std::vector<std::string> list;
  for (int i = 0; i < count; ++i) {
    boost::json::object record;
    record["type"] = "indicator";
    record["id"] = "indicator--" + std::to_string(i);
    list.push_back(boost::json::serialize(record));
  }
  return list;
}

struct Case {
  const char* name;
  std::vector<ScriptedAnswer> answers;
  std::string expected;
  int records = 3;
  // Retries allowed: 0 makes the first wait refused, so a case that would
  // retry forever ends after exactly one attempt.
  milliseconds budget{0};
};

void PrintTo(const Case& c, std::ostream* out) {
  *out << c.name;
}

std::string case_name(const ::testing::TestParamInfo<Case>& param) {
  return param.param.name;
}

// "accepted all in N request(s)", "rejected #i: message; ... in N
// request(s)", or "error: <SentinelError message>".
std::string outcome_of(const Case& c) {
  SentinelConfig config;
  config.api_url = "https://sentinel.example.org";
  config.workspace_id = "ws-1";
  config.api_version = "2024-02-01-preview";
  test::ScriptedHttp http(c.answers);
  test::FakeTime time;
  FixedTokens tokens;
  RateLimiter limiter(100, milliseconds(60000), time.sleeper(), time.clock());
  RetryBudget retry(c.budget, milliseconds(100), milliseconds(100));
  SentinelUploader uploader(
      config, http, tokens, limiter, retry, time.sleeper());

  BatchOutcome outcome;
  try {
    outcome = uploader.upload(records(c.records));
  } catch (const SentinelError& error) {
    return std::string("error: ") + error.what();
  }

  std::string text;
  for (const RecordRejection& rejection : outcome.rejected) {
    text += "rejected #" + std::to_string(rejection.index) + ": "
            + rejection.message + "; ";
  }
  if (text.empty()) {
    text = "accepted all ";
  }
  return text + "in " + std::to_string(outcome.requests) + " request(s)";
}

class SentinelAnswerCatalogue : public ::testing::TestWithParam<Case> {};

TEST_P(SentinelAnswerCatalogue, GivesTheExactOutcome) {
  EXPECT_EQ(outcome_of(GetParam()), GetParam().expected);
}

ScriptedAnswer ok(std::string body) {
  return {200, std::move(body), {}};
}

ScriptedAnswer status(long code, std::string body) {
  return {code, std::move(body), {}};
}

const std::string k_unreadable = std::string("error: Sentinel's answer from ")
                                 + k_endpoint + " to a batch of 3 records ";
const std::string k_html =
    "<html><head><title>502 Bad Gateway</title></head></html>";
const std::string k_foreign_400 =
    std::string("error: Sentinel's endpoint ") + k_endpoint
    + " answered 400 with a body that is not Sentinel's JSON (";
const std::string k_foreign_400_end =
    "): a proxy or gateway in between? No record was marked rejected; the "
    "batch stays queued for the next run";
const std::string k_gave_up_on_200 =
    std::string("error: gave up on ") + k_endpoint
    + " after 1 attempt: Sentinel answered 200 with a body that is not a "
      "JSON object";

std::vector<Case> cases() {
  const milliseconds some{1000};
  return {
      {"EmptyOkAcceptsAll", {ok("")}, "accepted all in 1 request(s)"},
      {"BlankOkAcceptsAll", {ok(" \r\n")}, "accepted all in 1 request(s)"},
      {"EmptyObjectAcceptsAll", {ok("{}")}, "accepted all in 1 request(s)"},
      {"NullErrorsAcceptAll",
       {ok(R"({"errors":null})")},
       "accepted all in 1 request(s)"},
      {"EmptyErrorsAcceptAll",
       {ok(R"({"errors":[]})")},
       "accepted all in 1 request(s)"},
      {"PerRecordErrors",
       {ok(R"({"errors":[{"recordIndex":2,"errorMessages":["a","b"]},)"
           R"({"recordIndex":0,"errorMessages":["c"]}]})")},
       "rejected #0: c; rejected #2: a; b; in 1 request(s)"},
      {"SameRecordTwiceIsOneRejection",
       {ok(R"({"errors":[{"recordIndex":1,"errorMessages":["a"]},)"
           R"({"recordIndex":1,"errorMessages":["b"]}]})")},
       "rejected #1: a; b; in 1 request(s)"},
      {"ErrorWithoutMessages",
       {ok(R"({"errors":[{"recordIndex":1,"errorMessages":[1,null]}]})")},
       "rejected #1: rejected by Sentinel without a message; in 1 "
       "request(s)"},
      {"NewlinesInMessageAreFlattened",
       {ok(R"({"errors":[{"recordIndex":0,"errorMessages":["a\r\nb"]}]})")},
       "rejected #0: a  b; in 1 request(s)"},
      {"IndexPastTheBatch",
       {ok(R"({"errors":[{"recordIndex":3,"errorMessages":["x"]}]})")},
       k_unreadable
           + "names a record outside the batch: "
             R"({"recordIndex":3,"errorMessages":["x"]})"},
      {"NegativeIndex",
       {ok(R"({"errors":[{"recordIndex":-1}]})")},
       k_unreadable
           + R"(names a record outside the batch: {"recordIndex":-1})"},
      {"IndexAsText",
       {ok(R"({"errors":[{"recordIndex":"1"}]})")},
       k_unreadable
           + R"(names a record outside the batch: {"recordIndex":"1"})"},
      {"IndexAsFraction",
       {ok(R"({"errors":[{"recordIndex":1.5}]})")},
       k_unreadable
           + R"(names a record outside the batch: {"recordIndex":1.5E0})"},
      {"ErrorEntryNotAnObject",
       {ok(R"({"errors":["record 1 is bad"]})")},
       k_unreadable + R"(names a record outside the batch: "record 1 is bad")"},
      {"ErrorsNotAList",
       {ok(R"({"errors":"boom"})")},
       k_unreadable + "has an \"errors\" that is not a list"},
      {"HtmlOkIsNotAcceptance", {ok(k_html)}, k_gave_up_on_200},
      {"ListOkIsNotAcceptance", {ok("[]")}, k_gave_up_on_200},
      {"CutJsonOkIsNotAcceptance",
       {ok(R"({"errors":[{"recordIndex":1,)")},
       k_gave_up_on_200},
      {"DeeplyNestedOkIsNotAcceptance",
       {ok(R"({"errors":)" + std::string(5000, '[') + "}")},
       k_gave_up_on_200},
      {"HtmlOkThenEmptyOk",
       {ok(k_html), ok("")},
       "accepted all in 2 request(s)",
       3,
       some},
      // A 400 that is not Sentinel's JSON comes from something in between
      // and is no verdict on the records: they stay queued.
      {"HtmlBadRequestKeepsTheBatchQueued",
       {status(400, k_html)},
       k_foreign_400 + k_html + k_foreign_400_end,
       1},
      {"EmptyBadRequestKeepsTheBatchQueued",
       {status(400, "")},
       k_foreign_400 + "empty" + k_foreign_400_end,
       1},
      {"LongHtmlIsCutInTheMessage",
       {status(400, "<html>" + std::string(400, 'x'))},
       k_foreign_400 + "<html>" + std::string(294, 'x') + "..."
           + k_foreign_400_end,
       1},
      {"JsonBadRequestRejectsTheRecord",
       {status(400, R"({"error":{"message":"Bad pattern"}})")},
       "rejected #0: Bad pattern; in 1 request(s)",
       1},
      // Two single records refused like the whole batch, nothing accepted:
      // the third gets the same verdict without a request of its own.
      {"BadRequestForAllIsBisectedUntilItIsClear",
       {status(400, "{}"),
        status(400, "{}"),
        status(400, "{}"),
        status(400, "{}")},
       "rejected #0: Sentinel answered 400 without a message; "
       "rejected #1: Sentinel answered 400 without a message; "
       "rejected #2: Sentinel answered 400 without a message; "
       "in 4 request(s)"},
      {"TooLargeIsBisected",
       {status(413, ""), ok(""), ok("")},
       "accepted all in 3 request(s)"},
      {"HtmlServerErrorIsRetried",
       {status(502, k_html), ok("")},
       "accepted all in 2 request(s)",
       3,
       some},
      {"ServerErrorGivesUpWithTheCause",
       {status(503, k_html)},
       std::string("error: gave up on ") + k_endpoint
           + " after 1 attempt: Sentinel answered 503: " + k_html},
      {"ServerErrorWithAnEmptyBodySaysSo",
       {status(503, "")},
       std::string("error: gave up on ") + k_endpoint
           + " after 1 attempt: Sentinel answered 503 without a message"},
      {"ThrottledWithUnreadableRetryAfter",
       {{429, "", {{"retry-after", "soon"}}}, ok("")},
       "accepted all in 2 request(s)",
       3,
       some},
      {"DroppedConnectionIsRetried",
       {ScriptedAnswer::failure(), ok("")},
       "accepted all in 2 request(s)",
       3,
       some},
      {"RedirectIsNotFollowed",
       {{302, "", {{"location", "https://elsewhere.example/"}}}},
       std::string("error: Sentinel answered 302 for ") + k_endpoint},
      {"ForbiddenHtmlNamesTheRole",
       {status(403, k_html)},
       std::string("error: Sentinel answered 403 for ") + k_endpoint
           + ": the app lacks the Microsoft Sentinel Contributor role on "
             "workspace ws-1 ("
           + k_html + ")"},
  };
}

INSTANTIATE_TEST_SUITE_P(Cases,
                         SentinelAnswerCatalogue,
                         ::testing::ValuesIn(cases()),
                         case_name);

} // namespace
} // namespace m2s
