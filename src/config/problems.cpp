#include "problems.hpp"

#include "misp2sentinel/util/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <utility>

namespace m2s::config_detail {

Problems::Problems(std::string path)
    : m_path(std::move(path)) {}

void Problems::add(std::uint32_t line, const std::string& text) {
  if (line == 0) {
    m_entries.push_back({line, fmt::format("{}: {}", m_path, text)});
    return;
  }
  m_entries.push_back({line, fmt::format("{}:{}: {}", m_path, line, text)});
}

void Problems::warn(const std::string& text) {
  m_warnings.push_back(fmt::format("{}: {}", m_path, text));
}

void Problems::throw_if_any() const {
  if (m_entries.empty()) {
    return;
  }

  std::vector<Entry> sorted = m_entries;
  const auto order = [](std::uint32_t line) {
    return line == 0 ? std::numeric_limits<std::uint32_t>::max() : line;
  };
  std::stable_sort(
      sorted.begin(), sorted.end(), [&](const Entry& a, const Entry& b) {
        return order(a.line) < order(b.line);
      });

  std::string message;
  for (const Entry& entry : sorted) {
    if (!message.empty()) {
      message += '\n';
    }
    message += entry.message;
  }
  throw ConfigError(message);
}

} // namespace m2s::config_detail
