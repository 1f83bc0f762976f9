#include "section_reader.hpp"

#include "suggest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <utility>

namespace m2s::config_detail {

namespace {

std::string qualified(const std::string& section, std::string_view key) {
  if (section.empty()) {
    return std::string(key);
  }
  return fmt::format("{}.{}", section, key);
}

std::uint32_t line_of_node(const toml::node& node) {
  return node.source().begin.line;
}

} // namespace

std::string_view toml_type_name(toml::node_type type) {
  switch (type) {
  case toml::node_type::none:
    return "nothing";
  case toml::node_type::table:
    return "table";
  case toml::node_type::array:
    return "array";
  case toml::node_type::string:
    return "string";
  case toml::node_type::integer:
    return "integer";
  case toml::node_type::floating_point:
    return "floating-point number";
  case toml::node_type::boolean:
    return "boolean";
  case toml::node_type::date:
    return "date";
  case toml::node_type::time:
    return "time";
  case toml::node_type::date_time:
    return "date-time";
  }
  return "unknown";
}

SectionReader::SectionReader(const toml::table* table,
                             std::string name,
                             Problems& problems)
    : m_table(table),
      m_name(std::move(name)),
      m_problems(problems) {}

SectionReader SectionReader::section(std::string_view key) {
  const toml::node* node = find(key);
  const std::string child = qualified(m_name, key);
  if (node == nullptr) {
    return SectionReader(nullptr, child, m_problems);
  }

  if (!node->is_table()) {
    m_problems.add(line_of_node(*node),
                   fmt::format("[{}]: expected a table, got {}",
                               child,
                               toml_type_name(node->type())));
    return SectionReader(nullptr, child, m_problems);
  }
  return SectionReader(node->as_table(), child, m_problems);
}

const toml::node* SectionReader::find(std::string_view key) {
  if (std::find(m_known.begin(), m_known.end(), key) == m_known.end()) {
    m_known.emplace_back(key);
  }
  if (m_table == nullptr) {
    return nullptr;
  }
  return m_table->get(key);
}

bool SectionReader::has(std::string_view key) {
  return find(key) != nullptr;
}

void SectionReader::type_problem(std::string_view key,
                                 std::string_view expected,
                                 const toml::node& node) {
  problem(key,
          fmt::format(
              "expected {}, got {}", expected, toml_type_name(node.type())));
}

std::optional<std::string> SectionReader::string(std::string_view key) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return std::nullopt;
  }

  if (!node->is_string()) {
    type_problem(key, "a string", *node);
    return std::nullopt;
  }
  return node->as_string()->get();
}

std::optional<std::int64_t> SectionReader::integer(std::string_view key) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return std::nullopt;
  }

  if (!node->is_integer()) {
    type_problem(key, "an integer", *node);
    return std::nullopt;
  }
  return node->as_integer()->get();
}

void SectionReader::read(std::string_view key, std::string& out) {
  if (auto value = string(key)) {
    out = std::move(*value);
  }
}

void SectionReader::read(std::string_view key, bool& out) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return;
  }

  if (!node->is_boolean()) {
    type_problem(key, "a boolean (true or false)", *node);
    return;
  }
  out = node->as_boolean()->get();
}

void SectionReader::read(std::string_view key, std::vector<std::string>& out) {
  const toml::node* node = find(key);
  if (node == nullptr) {
    return;
  }

  if (!node->is_array()) {
    type_problem(key, "an array of strings", *node);
    return;
  }

  std::vector<std::string> values;
  std::size_t position = 0;
  for (const toml::node& item : *node->as_array()) {
    ++position;
    if (!item.is_string()) {
      problem(key,
              fmt::format("item {}: expected a string, got {}",
                          position,
                          toml_type_name(item.type())));
      return;
    }
    if (item.as_string()->get().empty()) {
      problem(key, fmt::format("item {}: must not be empty", position));
      return;
    }
    values.push_back(item.as_string()->get());
  }
  out = std::move(values);
}

void SectionReader::read(std::string_view key, int& out, int min, int max) {
  const std::optional<std::int64_t> value = integer(key);
  if (!value) {
    return;
  }

  if (*value < min || *value > max) {
    if (max == std::numeric_limits<int>::max()) {
      problem(key, fmt::format("must be at least {}, got {}", min, *value));
    } else {
      problem(
          key,
          fmt::format("must be between {} and {}, got {}", min, max, *value));
    }
    return;
  }
  out = static_cast<int>(*value);
}

std::vector<std::string> SectionReader::keys() {
  std::vector<std::string> names;
  if (m_table == nullptr) {
    return names;
  }

  for (auto&& [key, node] : *m_table) {
    names.emplace_back(key.str());
  }
  for (const std::string& name : names) {
    static_cast<void>(find(name));
  }
  return names;
}

std::uint32_t SectionReader::line_of(std::string_view key) const {
  if (m_table == nullptr) {
    return 0;
  }
  const toml::node* node = m_table->get(key);
  return node == nullptr ? 0 : line_of_node(*node);
}

void SectionReader::problem(std::string_view key, std::string_view text) {
  problem_at(line_of(key), key, text);
}

void SectionReader::problem_at(std::uint32_t line,
                               std::string_view label,
                               std::string_view text) {
  m_problems.add(line, fmt::format("[{}] {}: {}", m_name, label, text));
}

void SectionReader::warning(std::string_view key, std::string_view text) {
  m_problems.warn(fmt::format("[{}] {}: {}", m_name, key, text));
}

void SectionReader::report_unknown_keys() {
  if (m_table == nullptr) {
    return;
  }

  for (auto&& [key, node] : *m_table) {
    const bool known =
        std::find(m_known.begin(), m_known.end(), key.str()) != m_known.end();
    if (!known) {
      report_unknown(key, node);
    }
  }
}

void SectionReader::report_unknown(const toml::key& key,
                                   const toml::node& node) {
  const std::optional<std::string> guess = nearest_name(key.str(), m_known);
  const std::uint32_t line = key.source().begin.line;

  if (node.is_table()) {
    std::string text =
        fmt::format("unknown section [{}]", qualified(m_name, key.str()));
    if (guess) {
      text += fmt::format(" (did you mean [{}]?)", qualified(m_name, *guess));
    }
    m_problems.add(line, text);
    return;
  }

  std::string text =
      m_name.empty()
          ? fmt::format("unknown key {} outside any section", key.str())
          : fmt::format("unknown key [{}] {}", m_name, key.str());
  if (guess) {
    text += m_name.empty()
                ? fmt::format(" (did you mean section [{}]?)", *guess)
                : fmt::format(" (did you mean {}?)", *guess);
  }
  m_problems.add(line, text);
}

} // namespace m2s::config_detail
