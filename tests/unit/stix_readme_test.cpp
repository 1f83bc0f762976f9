// The README's "Conversion" tables against the code and MISP's type list
// (data/describeTypes.json), so that they cannot drift apart: every MISP
// type is in them, each skip row lists exactly the types the converter
// skips for that reason, and no type listed as giving indicators is one
// the converter refuses whatever its value.

#include "misp2sentinel/stix/conversion.hpp"
#include "stix_test_support.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace m2s {
namespace {

const std::set<std::string> k_type_reasons = {
    "rule language", "not matchable", "free text", "context only"};

std::string read_source(const std::string& relative) {
  std::ifstream file(std::string(M2S_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::vector<std::string> describe_types() {
  const auto root = boost::json::parse(read_source("data/describeTypes.json"));
  std::vector<std::string> types;
  for (const auto& type : root.at("result").at("types").as_array()) {
    types.emplace_back(type.as_string());
  }
  return types;
}

// The text between `heading` and the next heading of its level or above.
std::string section(const std::string& text, const std::string& heading) {
  const auto start = text.find("\n" + heading + "\n");
  EXPECT_NE(start, std::string::npos) << heading;
  if (start == std::string::npos) {
    return "";
  }
  const std::string level = heading.substr(0, heading.find(' ') + 1);
  auto end = text.find("\n" + level, start + heading.size() + 1);
  if (level == "### ") {
    end = std::min(end, text.find("\n## ", start + 1));
  }
  return text.substr(start, end - start);
}

// The `code` spans of `text`, with markdown's `\|` read as `|`.
std::vector<std::string> code_spans(const std::string& text) {
  std::vector<std::string> spans;
  std::size_t pos = 0;
  while (true) {
    const auto open = text.find('`', pos);
    const auto close = text.find('`', open + 1);
    if (open == std::string::npos || close == std::string::npos) {
      return spans;
    }
    std::string span = text.substr(open + 1, close - open - 1);
    for (auto bar = span.find("\\|"); bar != std::string::npos;
         bar = span.find("\\|", bar)) {
      span.erase(bar, 1);
    }
    spans.push_back(span);
    pos = close + 1;
  }
}

// Table rows of `text` ("| … |"), as their cells.
std::vector<std::vector<std::string>> rows(const std::string& text) {
  std::vector<std::vector<std::string>> result;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("| `")) {
      continue;
    }
    std::vector<std::string> cells;
    std::string cell;
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '|' && line[i - 1] != '\\') {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += line[i];
      }
    }
    result.push_back(cells);
  }
  return result;
}

// The reason a type gives no indicator whatever its value, or "".
std::string type_reason(const std::string& type) {
  const EventConversion result =
      test::convert_one(test::make_attribute(type, "x"));
  if (result.skipped.size() == 1
      && k_type_reasons.count(result.skipped[0].reason) == 1) {
    return result.skipped[0].reason;
  }
  return "";
}

class StixReadme : public ::testing::Test {
protected:
  std::string m_text = section(read_source("README.md"), "## Conversion");
};

TEST_F(StixReadme, NamesEveryMispType) {
  const std::vector<std::string> spans = code_spans(m_text);
  const std::set<std::string> named(spans.begin(), spans.end());
  for (const std::string& type : describe_types()) {
    EXPECT_EQ(named.count(type), 1U) << type;
  }
}

TEST_F(StixReadme, SkipRowsListExactlyTheSkippedTypes) {
  std::map<std::string, std::set<std::string>> in_readme;
  for (const auto& cells :
       rows(section(m_text, "### Attribute types that give none"))) {
    ASSERT_EQ(cells.size(), 2U);
    // The table of other reasons (to_ids, invalid value, ...) follows.
    const std::vector<std::string> reason = code_spans(cells[0]);
    if (reason.size() != 1 || k_type_reasons.count(reason[0]) == 0) {
      continue;
    }
    for (const std::string& type : code_spans(cells[1])) {
      in_readme[reason[0]].insert(type);
    }
  }

  std::map<std::string, std::set<std::string>> in_code;
  for (const std::string& type : describe_types()) {
    const std::string reason = type_reason(type);
    if (!reason.empty()) {
      in_code[reason].insert(type);
    }
  }
  EXPECT_EQ(in_readme, in_code);
}

TEST_F(StixReadme, IndicatorRowsListOnlyConvertedTypes) {
  const std::vector<std::string> types = describe_types();
  const std::set<std::string> known(types.begin(), types.end());
  int listed = 0;
  for (const auto& cells :
       rows(section(m_text, "### Attribute types that give indicators"))) {
    ASSERT_EQ(cells.size(), 2U);
    for (const std::string& type : code_spans(cells[0])) {
      EXPECT_EQ(known.count(type), 1U) << type;
      EXPECT_EQ(type_reason(type), "") << type;
      ++listed;
    }
  }
  // With the skip rows, every describeTypes type once.
  int skipped = 0;
  for (const std::string& type : types) {
    skipped += type_reason(type).empty() ? 0 : 1;
  }
  EXPECT_EQ(listed + skipped, static_cast<int>(types.size()));
}

} // namespace
} // namespace m2s
