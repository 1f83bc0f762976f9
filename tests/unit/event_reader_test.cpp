// The streaming event reader (misp/event_reader.hpp): text fed in chunks
// of any size reads as the whole text does, and what decides a reading
// (the shape, repeated keys, key order) is what decided it in the DOM
// reader that came before. Field semantics and messages are pinned in
// event_parser_test.cpp and bad_input_catalogue_test.cpp.

#include "misp2sentinel/misp/event_reader.hpp"

#include "misp2sentinel/util/errors.hpp"
#include "misp_event_fields.hpp"
#include "misp_json_generator.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace m2s {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t k_whole = 0;

// What a reader made of a text: the MispError, or every field.
struct Reading {
  std::string error;
  test::NamedFields fields;
};

EventReaderOptions options_for(MispJsonSource source, bool tolerant) {
  EventReaderOptions options;
  options.source = source;
  options.tolerant = tolerant;
  return options;
}

// `text` fed `chunk` bytes at a time (k_whole: at once).
Reading read(const std::string& text,
             std::size_t chunk,
             EventReaderOptions options = {}) {
  try {
    EventReader reader("input", options);
    const std::string_view rest(text);
    const std::size_t step = chunk == k_whole ? text.size() : chunk;
    for (std::size_t at = 0; at < text.size(); at += step) {
      reader.feed(rest.substr(at, step));
    }
    const ParsedEvents parsed = reader.finish();

    Reading reading{"", test::event_fields(parsed.events)};
    const test::NamedFields failures = test::failure_fields(parsed.failures);
    reading.fields.insert(
        reading.fields.end(), failures.begin(), failures.end());
    reading.fields.emplace_back("listed", std::to_string(parsed.listed));
    return reading;
  } catch (const MispError& error) {
    return {error.what(), {}};
  }
}

void expect_same_in_chunks(const std::string& text,
                           const std::string& label,
                           EventReaderOptions options = {}) {
  const Reading whole = read(text, k_whole, options);
  for (const std::size_t chunk : {1, 7, 4096}) {
    const Reading chunked = read(text, chunk, options);
    EXPECT_EQ(chunked.error, whole.error) << label << ", chunks of " << chunk;
    EXPECT_EQ(test::first_difference(chunked.fields, whole.fields), "")
        << label << ", chunks of " << chunk;
  }
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> event_files() {
  std::vector<fs::path> files;
  for (const char* dir : {"data/misp-events", "tests/data"}) {
    for (const auto& entry :
         fs::directory_iterator(fs::path(M2S_SOURCE_DIR) / dir)) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// --- Chunks ---

TEST(EventReader, EveryEventFileReadsTheSameInChunks) {
  const std::vector<fs::path> files = event_files();
  ASSERT_EQ(files.size(), 31u);

  // Tolerant: every event is read to its end, even one that fails.
  for (const fs::path& path : files) {
    expect_same_in_chunks(read_text(path),
                          path.filename().string(),
                          options_for(MispJsonSource::file, true));
  }
}

// The fixture without a uuid is the one file that fails: it must fail
// alike, or the comparison above would prove little about errors.
TEST(EventReader, FileWithoutUuidFailsAlikeInChunks) {
  const std::string text =
      read_text(fs::path(M2S_SOURCE_DIR)
                / "tests/data/"
                  "MISP_PyMISP__tests_mispevent_testfiles_attribute_del.json");

  EXPECT_EQ(read(text, 1).error,
            "input: event #0 (info \"This is a test\") has no uuid");
  EXPECT_EQ(read(text, 7).error, read(text, k_whole).error);
}

TEST(EventReader, EveryTruncationFailsAlikeInChunks) {
  const std::string text =
      read_text(fs::path(M2S_SOURCE_DIR)
                / "data/misp-events/"
                  "eset_malware-ioc__sshdoor_misp-events_borleias.json");

  for (std::size_t cut = 0; cut < text.size(); cut += 3) {
    const std::string part = text.substr(0, cut);
    const std::string whole = read(part, k_whole).error;
    ASSERT_THAT(whole, ::testing::HasSubstr("invalid JSON")) << cut;
    EXPECT_EQ(read(part, 1).error, whole) << cut;
    EXPECT_EQ(read(part, 7).error, whole) << cut;
  }
}

// Odd values, repeated and missing keys, every shape: seeded, so that a
// failure can be replayed.
TEST(EventReader, GeneratedDocumentsReadTheSameInChunks) {
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    const std::string text =
        test::MispJsonGenerator(seed, seed % 2 == 0).document();
    for (const bool tolerant : {false, true}) {
      expect_same_in_chunks(text,
                            "seed " + std::to_string(seed),
                            options_for(MispJsonSource::misp_answer, tolerant));
    }
  }
}

// Boost.JSON checks a literal at once when its buffer holds all of it and
// byte by byte otherwise, so a broken literal cut by a chunk boundary
// fails at the bad byte rather than at its start. Only where a syntax
// error is placed differs; pinned so that a Boost upgrade is noticed.
TEST(EventReader, BrokenLiteralCutByAChunkIsPlacedAtTheBadByte) {
  const std::string text = R"({"uuid": "u", "published": fals})";

  EXPECT_EQ(read(text, k_whole).error,
            "input: invalid JSON: syntax error at byte 27 (line 1, column 28)");
  EXPECT_EQ(read(text, 1).error,
            "input: invalid JSON: syntax error at byte 31 (line 1, column 32)");
}

TEST(EventReader, PositionCountsLinesAcrossChunks) {
  const std::string text = "{\"Event\": {\n\"uuid\": \"u\",\n\n  \"x\": ?}}";

  EXPECT_EQ(read(text, 2).error,
            "input: invalid JSON: syntax error at byte 33 (line 4, column 8)");
}

TEST(EventReader, KeysAndStringsSplitAcrossChunksAreWhole) {
  const std::string text =
      R"({"Event": {"uuid": "u", "info": "caf\u00e9 \"q\"",)"
      R"( "Attribute": [{"uuid": "a", "value": ")"
      + std::string(9000, 'v') + R"("}]}})";

  for (const std::size_t chunk : {1, 3, 4096}) {
    EventReader reader("input");
    for (std::size_t at = 0; at < text.size(); at += chunk) {
      reader.feed(std::string_view(text).substr(at, chunk));
    }
    const ParsedEvents parsed = reader.finish();
    ASSERT_EQ(parsed.events.size(), 1u);
    EXPECT_EQ(parsed.events[0].info, "caf\xc3\xa9 \"q\"");
    ASSERT_EQ(parsed.events[0].attributes.size(), 1u);
    EXPECT_EQ(parsed.events[0].attributes[0].value, std::string(9000, 'v'));
  }
}

TEST(EventReader, EmptyChunksChangeNothing) {
  EventReader reader("input");
  reader.feed("");
  reader.feed(R"({"uuid":)");
  reader.feed("");
  reader.feed(R"( "u"})");

  EXPECT_EQ(reader.finish().events.at(0).uuid, "u");
}

TEST(EventReader, BytesAfterASyntaxErrorAreIgnored) {
  EventReader reader("input");
  reader.feed(R"({"uuid": x)");
  reader.feed(R"("u"})");

  try {
    static_cast<void>(reader.finish());
    FAIL() << "no error";
  } catch (const MispError& error) {
    EXPECT_STREQ(error.what(),
                 "input: invalid JSON: syntax error at byte 9 (line 1, "
                 "column 10)");
  }
}

// --- MISP answers: standard JSON, the client's wording ---

TEST(EventReader, AnswerRejectsTrailingCommasThatFilesAccept) {
  const std::string text = R"({"response": [{"Event": {"uuid": "u"}},]})";
  const auto answer = options_for(MispJsonSource::misp_answer, true);

  EXPECT_EQ(read(text, k_whole, answer).error,
            "input: invalid JSON at offset 39 (syntax error)");
  EXPECT_EQ(read(text, k_whole).error, "");
}

TEST(EventReader, AnswerErrorsNameTheOffsetAndHtml) {
  const auto answer = options_for(MispJsonSource::misp_answer, true);

  EXPECT_EQ(read("  <html>", 3, answer).error,
            "input: invalid JSON at offset 2 (syntax error); the answer is "
            "an HTML page: check [misp] url");
  EXPECT_EQ(read("", k_whole, answer).error,
            "input: invalid JSON at offset 0 (incomplete JSON)");
  EXPECT_EQ(read("{} {}", 1, answer).error,
            "input: invalid JSON at offset 3 (extra data)");
}

TEST(EventReader, AnswerNestedTooDeepNamesTheSetting) {
  auto answer = options_for(MispJsonSource::misp_answer, true);
  answer.max_depth = 3;

  EXPECT_EQ(read(R"({"a":[[[]]]})", 2, answer).error,
            "input: the answer nests JSON deeper than [limits] "
            "max_json_depth (3)");
}

TEST(EventReader, ListedCountsEveryResponseItem) {
  const auto tolerant = options_for(MispJsonSource::file, true);
  Reading reading =
      read(R"({"response": [{"Event": {"uuid": "a"}}, 7, {"Event": {}}]})",
           k_whole,
           tolerant);

  ASSERT_EQ(reading.error, "");
  EXPECT_EQ(reading.fields.back().second, "3");
  reading = read(R"({"Event": {"info": "no uuid"}})", k_whole, tolerant);
  EXPECT_EQ(reading.fields.back().second, "1");
}

} // namespace
} // namespace m2s
