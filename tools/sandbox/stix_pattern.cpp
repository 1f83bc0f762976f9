#include "stix_pattern.hpp"

#include <fmt/format.h>

#include <array>
#include <cstddef>

namespace m2s::sandbox {

namespace {

class Cursor {
public:
  explicit Cursor(std::string_view text)
      : m_text(text) {}

  [[nodiscard]] bool done() const {
    return m_pos >= m_text.size();
  }

  [[nodiscard]] char peek() const {
    return done() ? '\0' : m_text[m_pos];
  }

  [[nodiscard]] std::size_t pos() const {
    return m_pos;
  }

  [[nodiscard]] std::string_view rest() const {
    return m_text.substr(m_pos);
  }

  void next() {
    ++m_pos;
  }

  bool take(char c) {
    if (done() || peek() != c) {
      return false;
    }
    ++m_pos;
    return true;
  }

  void skip_spaces() {
    while (!done() && (peek() == ' ' || peek() == '\t')) {
      ++m_pos;
    }
  }

private:
  std::string_view m_text;
  std::size_t m_pos = 0;
};

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_ident_char(char c) {
  return is_ident_start(c) || (c >= '0' && c <= '9') || c == '-';
}

std::string read_object_type(Cursor& cur) {
  const std::size_t start = cur.pos();
  if (!(cur.peek() >= 'a' && cur.peek() <= 'z')) {
    return fmt::format("expected an object type (lower case) at offset {}",
                       start);
  }
  while (is_lower_alnum(cur.peek()) || cur.peek() == '-') {
    cur.next();
  }
  if (!cur.take(':')) {
    return fmt::format("expected ':' after the object type at offset {}",
                       cur.pos());
  }
  return {};
}

std::string read_path_component(Cursor& cur) {
  if (cur.take('\'')) {
    while (!cur.done() && cur.peek() != '\'' && cur.peek() != '\\') {
      cur.next();
    }
    if (!cur.take('\'')) {
      return fmt::format("bad quoted property name at offset {}", cur.pos());
    }
  } else if (is_ident_start(cur.peek())) {
    while (is_ident_char(cur.peek())) {
      cur.next();
    }
  } else {
    return fmt::format("expected a property name at offset {}", cur.pos());
  }

  // A list index: [*] or [N].
  if (cur.take('[')) {
    if (!cur.take('*')) {
      const std::size_t digits = cur.pos();
      while (cur.peek() >= '0' && cur.peek() <= '9') {
        cur.next();
      }
      if (cur.pos() == digits) {
        return fmt::format("bad list index at offset {}", cur.pos());
      }
    }
    if (!cur.take(']')) {
      return fmt::format("expected ']' to close the index at offset {}",
                         cur.pos());
    }
  }
  return {};
}

std::string read_path(Cursor& cur) {
  for (;;) {
    auto problem = read_path_component(cur);
    if (!problem.empty()) {
      return problem;
    }
    if (!cur.take('.')) {
      return {};
    }
  }
}

std::string read_operator(Cursor& cur) {
  if (cur.peek() == '=' && cur.rest().substr(0, 2) != "==") {
    cur.next();
    return {};
  }
  const std::string_view rest = cur.rest();
  const std::size_t end = rest.find_first_of(" \t'");
  return fmt::format("only '=' comparisons are supported, found '{}' at "
                     "offset {}",
                     rest.substr(0, end),
                     cur.pos());
}

std::string read_literal(Cursor& cur) {
  if (!cur.take('\'')) {
    return fmt::format("expected a quoted string literal at offset {}",
                       cur.pos());
  }
  for (;;) {
    if (cur.done()) {
      return "unterminated string literal (no closing quote)";
    }
    const char c = cur.peek();
    const std::size_t at = cur.pos();
    cur.next();
    if (c == '\'') {
      return {};
    }
    if (c != '\\') {
      continue;
    }
    if (cur.done()) {
      return fmt::format("lone backslash at offset {} (write \\\\)", at);
    }
    if (cur.peek() != '\\' && cur.peek() != '\'') {
      return fmt::format("invalid escape '\\{}' at offset {}: a string "
                         "literal may only escape \\\\ and \\'",
                         cur.peek(),
                         at);
    }
    cur.next();
  }
}

bool starts_with_keyword(std::string_view text) {
  constexpr std::array keywords = {
      "AND", "OR", "FOLLOWEDBY", "WITHIN", "START", "REPEATS"};
  for (const std::string_view keyword : keywords) {
    if (text.substr(0, keyword.size()) == keyword) {
      return true;
    }
  }
  return false;
}

std::string read_end(Cursor& cur) {
  cur.skip_spaces();
  const std::size_t at = cur.pos();
  if (starts_with_keyword(cur.rest())) {
    return fmt::format("compound patterns and qualifiers are not supported "
                       "(offset {}): send one comparison per indicator",
                       at);
  }
  if (!cur.take(']')) {
    return fmt::format("unexpected text after the string literal at offset "
                       "{} (an unescaped quote inside the value?)",
                       at);
  }
  cur.skip_spaces();
  if (starts_with_keyword(cur.rest())) {
    return fmt::format("compound patterns and qualifiers are not supported "
                       "(offset {}): send one comparison per indicator",
                       cur.pos());
  }
  if (!cur.done()) {
    return fmt::format("unexpected text after ']' at offset {}", cur.pos());
  }
  return {};
}

} // namespace

std::string stix_pattern_problem(std::string_view pattern) {
  Cursor cur(pattern);

  cur.skip_spaces();
  if (!cur.take('[')) {
    return "a pattern must start with '['";
  }
  cur.skip_spaces();

  auto problem = read_object_type(cur);
  if (problem.empty()) {
    problem = read_path(cur);
  }
  if (!problem.empty()) {
    return problem;
  }

  cur.skip_spaces();
  problem = read_operator(cur);
  if (!problem.empty()) {
    return problem;
  }

  cur.skip_spaces();
  problem = read_literal(cur);
  if (!problem.empty()) {
    return problem;
  }
  return read_end(cur);
}

} // namespace m2s::sandbox
