#include "problems.hpp"

#include "misp2sentinel/util/errors.hpp"

#include <fmt/format.h>

#include <utility>

namespace m2s::config_detail {

Problems::Problems(std::string path)
    : m_path(std::move(path)) {}

void Problems::add(std::uint32_t line, const std::string& text) {
  if (line == 0) {
    m_lines.push_back(fmt::format("{}: {}", m_path, text));
    return;
  }
  m_lines.push_back(fmt::format("{}:{}: {}", m_path, line, text));
}

void Problems::throw_if_any() const {
  if (m_lines.empty()) {
    return;
  }
  throw ConfigError(fmt::format("{}", fmt::join(m_lines, "\n")));
}

} // namespace m2s::config_detail
