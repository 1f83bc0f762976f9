#pragma once

// --- Collects the problems of one config file ---
//
// Validation goes on after the first problem so that one run of `check`
// lists everything that is wrong. Each problem becomes one line of the
// final ConfigError, prefixed with "<path>:" or "<path>:<line>:".

#include <cstdint>
#include <string>
#include <vector>

namespace m2s::config_detail {

class Problems {
public:
  explicit Problems(std::string path);

  // `line` is 1-based; 0 means the position is unknown.
  void add(std::uint32_t line, const std::string& text);

  [[nodiscard]] const std::string& path() const noexcept {
    return m_path;
  }

  // Throws ConfigError holding every problem, one per line, if any: in
  // file order, then those without a line (missing keys) as found.
  void throw_if_any() const;

  // Something to fix that does not stop the run, as "<path>: <text>";
  // collected in order and handed to Config::warnings.
  void warn(const std::string& text);

  [[nodiscard]] const std::vector<std::string>& warnings() const noexcept {
    return m_warnings;
  }

private:
  struct Entry {
    std::uint32_t line;
    std::string message;
  };

  std::string m_path;
  std::vector<Entry> m_entries;
  std::vector<std::string> m_warnings;
};

} // namespace m2s::config_detail
