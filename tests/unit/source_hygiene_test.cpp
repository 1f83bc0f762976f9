// Security properties checked on the source itself (issue 7): no shell or
// child process is ever started, and every SQL statement is a fixed text
// whose values are bound as parameters. Comments and string literals are
// blanked out first, so prose and SQL text cannot trigger or hide a hit.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace m2s {
namespace {

namespace fs = std::filesystem;

struct SourceFile {
  std::string path; // relative to the repository, e.g. "src/store/store.cpp"
  std::string text; // as written
  std::string code; // comments and literal contents blanked, same offsets
};

// `text` with comments and the inside of string and character literals
// (raw strings included) replaced by spaces; newlines are kept so that
// offsets and line numbers stay the same.
std::string blank_comments_and_literals(const std::string& text) {
  std::string code = text;
  const auto blank = [&code](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to && i < code.size(); ++i) {
      if (code[i] != '\n') {
        code[i] = ' ';
      }
    }
  };

  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "//") == 0) {
      const std::size_t end = text.find('\n', i);
      blank(i, end);
      i = end == std::string::npos ? text.size() : end;
    } else if (text.compare(i, 2, "/*") == 0) {
      const std::size_t end = text.find("*/", i + 2);
      blank(i, end == std::string::npos ? text.size() : end + 2);
      i = end == std::string::npos ? text.size() : end + 2;
    } else if (text.compare(i, 3, "R\"(") == 0
               || (text[i] == 'R' && i + 1 < text.size()
                   && text[i + 1] == '"')) {
      const std::size_t open = text.find('(', i);
      const std::string delimiter = text.substr(i + 2, open - i - 2);
      const std::string close = ")" + delimiter + "\"";
      const std::size_t end = text.find(close, open);
      blank(open + 1, end);
      i = end == std::string::npos ? text.size() : end + close.size();
    } else if (text[i] == '"' || text[i] == '\'') {
      const char quote = text[i];
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != quote) {
        j += text[j] == '\\' ? 2 : 1;
      }
      blank(i + 1, j);
      i = j + 1;
    } else {
      ++i;
    }
  }
  return code;
}

std::vector<SourceFile> product_sources() {
  std::vector<SourceFile> files;
  const fs::path root(M2S_SOURCE_DIR);
  for (const char* folder : {"src", "include"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      const std::string extension = entry.path().extension().string();
      if (!entry.is_regular_file()
          || (extension != ".cpp" && extension != ".hpp")) {
        continue;
      }
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      SourceFile file{
          fs::relative(entry.path(), root).string(), text.str(), {}};
      file.code = blank_comments_and_literals(file.text);
      files.push_back(std::move(file));
    }
  }
  return files;
}

std::size_t line_at(const std::string& text, std::size_t offset) {
  return 1
         + static_cast<std::size_t>(
             std::count(text.begin(), text.begin() + offset, '\n'));
}

// The text from `open` (a '(') to its matching ')', both excluded, read
// in the blanked code so that parentheses inside literals do not count.
std::pair<std::size_t, std::size_t> argument_span(const std::string& code,
                                                  std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < code.size(); ++i) {
    if (code[i] == '(') {
      ++depth;
    } else if (code[i] == ')' && --depth == 0) {
      return {open + 1, i};
    }
  }
  return {open + 1, code.size()};
}

// The top-level arguments of a call, as [begin, end) offsets.
std::vector<std::pair<std::size_t, std::size_t>>
split_arguments(const std::string& code, std::size_t begin, std::size_t end) {
  std::vector<std::pair<std::size_t, std::size_t>> arguments;
  int depth = 0;
  std::size_t start = begin;
  for (std::size_t i = begin; i < end; ++i) {
    if (code[i] == '(' || code[i] == '{' || code[i] == '[') {
      ++depth;
    } else if (code[i] == ')' || code[i] == '}' || code[i] == ']') {
      --depth;
    } else if (code[i] == ',' && depth == 0) {
      arguments.emplace_back(start, i);
      start = i + 1;
    }
  }
  arguments.emplace_back(start, end);
  return arguments;
}

std::string squeezed(std::string text) {
  text.erase(std::remove_if(text.begin(),
                            text.end(),
                            [](char c) { return c == '\n' || c == ' '; }),
             text.end());
  return text;
}

TEST(SourceHygiene, SourcesAreFound) {
  const auto files = product_sources();

  EXPECT_GT(files.size(), 40u);
  EXPECT_EQ(blank_comments_and_literals("a(\"x)\") // system(\n"),
            "a(\"  \")           \n");
  EXPECT_EQ(blank_comments_and_literals("R\"(po)pen()\" b"),
            "R\"(       )\" b");
}

TEST(SourceHygiene, NoShellOrChildProcessIsEverStarted) {
  const std::regex call(
      R"(\b(system|popen|execl|execle|execlp|execv|execve|execvp|execvpe|)"
      R"(fexecve|fork|vfork|clone|posix_spawnp?|wordexp)\s*\()"
      // A method named clone() (spdlog's formatter) starts nothing.
      R"((?!\)\s*const))");

  std::vector<std::string> hits;
  for (const SourceFile& file : product_sources()) {
    for (std::sregex_iterator it(file.code.begin(), file.code.end(), call), end;
         it != end;
         ++it) {
      hits.push_back(file.path + ":"
                     + std::to_string(line_at(
                         file.code, static_cast<std::size_t>(it->position())))
                     + ": " + it->str());
    }
    for (const char* shell : {"/bin/sh", "/bin/bash", "sh -c"}) {
      if (file.text.find(shell) != std::string::npos) {
        hits.push_back(file.path + ": names " + shell);
      }
    }
  }
  EXPECT_THAT(hits, ::testing::IsEmpty());
}

// Every SQL text given to SQLiteCpp (Statement, exec, execAndGet) is fixed:
// literals, a named constant or an embedded migration. Values reach SQL
// only as bound parameters. The one exception is listed with its reason.
TEST(SourceHygiene, EverySqlStatementIsAFixedText) {
  // PRAGMA takes no bound parameters; the version is an integer from the
  // list of migrations compiled into the binary.
  const std::set<std::string> allowed = {
      "src/store/migrations.cpp: "
      "fmt::format(\"PRAGMAuser_version={}\",migration.version)"};
  const std::regex sql_call(
      R"((SQLite::Statement\s+\w+\s*\()|([.>](exec|execAndGet)\s*\())");
  const std::regex built(R"(\+|format|to_string|append|std::string|str\()");

  std::vector<std::string> built_sql;
  int statements = 0;
  for (const SourceFile& file : product_sources()) {
    for (std::sregex_iterator it(file.code.begin(), file.code.end(), sql_call),
         end;
         it != end;
         ++it) {
      const std::size_t open =
          static_cast<std::size_t>(it->position() + it->length() - 1);
      const auto [begin, stop] = argument_span(file.code, open);
      const auto arguments = split_arguments(file.code, begin, stop);
      const bool statement = (*it)[1].matched;
      if (statement && arguments.size() < 2) {
        continue;
      }
      const auto [from, to] = statement ? arguments[1] : arguments[0];
      const std::string code = squeezed(file.code.substr(from, to - from));
      if (code.empty()) {
        continue; // Statement::exec(): runs an already prepared statement
      }

      ++statements;
      const std::string text = squeezed(file.text.substr(from, to - from));
      if (std::regex_search(code, built)
          && allowed.count(file.path + ": " + text) == 0) {
        built_sql.push_back(file.path + ":"
                            + std::to_string(line_at(file.text, from)) + ": "
                            + text);
      }
    }
  }

  EXPECT_GT(statements, 20);
  EXPECT_THAT(built_sql, ::testing::IsEmpty());
}

TEST(SourceHygiene, OnlySqliteCppTalksToSqlite) {
  const std::regex raw(R"(\bsqlite3_\w+\s*\()");

  std::vector<std::string> hits;
  for (const SourceFile& file : product_sources()) {
    std::smatch match;
    if (std::regex_search(file.code, match, raw)) {
      hits.push_back(file.path + ": " + match.str());
    }
  }
  EXPECT_THAT(hits, ::testing::IsEmpty());
}

} // namespace
} // namespace m2s
