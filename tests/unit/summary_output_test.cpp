#include "summary_output.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace m2s {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

SyncSummary summary() {
  SyncSummary s;
  s.run_id = 7;
  s.cursor_from = 100;
  s.cursor_to = 200;
  s.pending_left = 2;
  s.elapsed = std::chrono::milliseconds(1500);
  RunCounts& c = s.counts;
  c.events_read = 3;
  c.events_unchanged = 2;
  c.attributes_read = 40;
  c.attributes_converted = 30;
  c.indicators_new = 5;
  c.indicators_changed = 1;
  c.indicators_unchanged = 20;
  c.indicators_revoked = 2;
  c.indicators_refreshed = 4;
  c.events_removed = 1;
  c.attributes_skipped = 12;
  c.skips_by_reason = {{"to_ids is false", 10}, {"unsupported type", 2}};
  c.objects_sent = 11;
  c.objects_rejected = 1;
  c.requests = 3;
  c.throttled = 1;
  return s;
}

TEST(SummaryJson, FailedRunCarriesErrorAndExitCode) {
  SyncSummary s = summary();
  s.exit_code = ExitCode::sentinel_error;
  s.error = "Sentinel answered 403";

  const boost::json::object json = summary_json(s, "delta");

  EXPECT_EQ(json.at("outcome"), "failed");
  EXPECT_EQ(json.at("exit_code"), 4);
  EXPECT_EQ(json.at("error"), "Sentinel answered 403");
}

TEST(SummaryJson, HasEveryFigure) {
  SyncSummary s = summary();
  s.exit_code = ExitCode::some_rejected;

  const boost::json::object json = summary_json(s, "full");

  const boost::json::value expected = boost::json::parse(R"({
    "run_id":7,"mode":"full","outcome":"some_rejected","exit_code":1,
    "error":null,"elapsed_seconds":1.5,
    "cursor":{"from_epoch":100,"to_epoch":200},
    "events_read":3,"events_unchanged":2,"attributes_read":40,
    "attributes_converted":30,
    "events_removed":1,
    "indicators":{"new":5,"changed":1,"unchanged":20,"revoked":2,
                  "refreshed":4},
    "skipped":{"total":12,"by_reason":{"to_ids is false":10,
                                       "unsupported type":2}},
    "sentinel":{"sent":11,"rejected":1,"requests":3,"throttled":1,
                "pending_left":2}})");
  EXPECT_EQ(boost::json::value(json), expected);
}

TEST(SummaryText, NamesRefreshedAndSkipReasons) {
  const std::string text = format_summary(summary());

  EXPECT_THAT(text, HasSubstr("Run 7 finished in 1.5 s."));
  EXPECT_THAT(text, HasSubstr("2 revoked, 4 refreshed."));
  EXPECT_THAT(text, HasSubstr("(to_ids is false: 10, unsupported type: 2)"));
  EXPECT_THAT(text, HasSubstr("2 left pending."));
}

// `revoke` reads nothing from MISP: its paragraph says what it revoked
// instead of "MISP: 0 events, 0 attributes read".
TEST(SummaryText, RevokeSaysWhatItRevoked) {
  SyncSummary revoke;
  revoke.run_id = 9;
  revoke.counts.indicators_revoked = 30;
  revoke.counts.events_removed = 1;
  revoke.counts.objects_sent = 30;
  revoke.counts.requests = 1;

  const std::string text = format_revoke_summary(revoke);

  EXPECT_THAT(text, HasSubstr("Run 9 finished in 0.0 s. Revoked 30 "
                              "indicators of 1 event. Sentinel: 30 sent"));
  EXPECT_THAT(text, Not(HasSubstr("MISP")));
}

// "1 events" reads wrong in the paragraph an operator sees after a run.
TEST(SummaryText, CountsAreSingularForOne) {
  SyncSummary one = summary();
  one.counts.events_read = 1;
  one.counts.attributes_read = 1;

  EXPECT_THAT(format_summary(one),
              HasSubstr("MISP: 1 event, 1 attribute read."));
  EXPECT_THAT(format_dry_run(one, {}),
              HasSubstr("MISP: 1 event, 1 attribute read."));
  EXPECT_THAT(format_summary(summary()),
              HasSubstr("MISP: 3 events, 40 attributes read."));
}

DryRunReport report() {
  DryRunReport r;
  r.sends = {{"add", "indicator--1", "ipv4-addr", "203.0.113.7", "e-1"},
             {"update", "indicator--2", "url", "http://x.example/", "e-1"},
             {"revoke", "indicator--3", "file", "abc", "e-2"}};
  r.requests = 1;
  r.out_dir = "/tmp/bodies";
  return r;
}

TEST(DryRunText, OneLinePerSendThenTheSummary) {
  const std::string text = format_dry_run(summary(), report());

  EXPECT_THAT(text,
              HasSubstr("add     ipv4-addr 203.0.113.7 "
                        "(indicator--1)\n"));
  EXPECT_THAT(text,
              HasSubstr("update  url http://x.example/ "
                        "(indicator--2)\n"));
  EXPECT_THAT(text, HasSubstr("revoke  file abc (indicator--3)\n"));
  EXPECT_THAT(text, HasSubstr("nothing was sent and the store is unchanged"));
  EXPECT_THAT(text,
              HasSubstr("Would send 3 indicator version(s) in 1 "
                        "request(s): 1 new, 1 updated, 1 revoked, 0 "
                        "refreshed."));
  EXPECT_THAT(text, HasSubstr("Request bodies written to /tmp/bodies."));
  EXPECT_THAT(text, Not(HasSubstr("Run 7")));
}

TEST(DryRunJson, ListsWhatWouldBeSentPerAction) {
  const boost::json::object json = dry_run_json(summary(), report(), "delta");

  EXPECT_FALSE(json.contains("run_id"));
  EXPECT_EQ(json.at("dry_run"), true);
  EXPECT_EQ(json.at("out_dir"), "/tmp/bodies");
  const auto& would = json.at("would").as_object();
  EXPECT_EQ(would.at("add").as_array().size(), 1u);
  EXPECT_EQ(would.at("update").as_array().size(), 1u);
  EXPECT_EQ(would.at("revoke").as_array().size(), 1u);
  EXPECT_TRUE(would.at("refresh").as_array().empty());
  EXPECT_EQ(would.at("add").as_array()[0],
            boost::json::parse(R"({"indicator_id":"indicator--1",
              "observable_type":"ipv4-addr","value":"203.0.113.7",
              "event_uuid":"e-1"})"));
}

} // namespace
} // namespace m2s
