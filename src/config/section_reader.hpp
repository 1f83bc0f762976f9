#pragma once

// --- Typed, checked reads from one TOML table ---
//
// A SectionReader wraps one config section ([misp], [misp.filters], or the
// document root). Every read checks the TOML type and records the key as
// known; `report_unknown_keys` then flags whatever the file holds that no
// read asked for, which catches typos such as `batchsize`. Problems go to
// the shared Problems list as "[section] key: problem" with the line of
// the offending value.

#include "problems.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace m2s::config_detail {

class SectionReader {
public:
  // `table` is null when the section is absent: every key then keeps its
  // default. `name` is "" for the document root, else e.g. "misp.filters".
  SectionReader(const toml::table* table, std::string name, Problems& problems);

  // The sub-table `key` as a reader named "<name>.<key>". A value that is
  // not a table is a problem and yields an absent section.
  [[nodiscard]] SectionReader section(std::string_view key);

  // Each read leaves `out` untouched when the key is absent or invalid.
  void read(std::string_view key, std::string& out);
  void read(std::string_view key, bool& out);
  void read(std::string_view key, std::vector<std::string>& out);
  void read(std::string_view key, int& out, int min, int max);

  // The raw string, or nullopt when absent or not a string.
  [[nodiscard]] std::optional<std::string> string(std::string_view key);

  // The raw integer, or nullopt when absent or not an integer.
  [[nodiscard]] std::optional<std::int64_t> integer(std::string_view key);

  // True when the section holds `key`; records it as known.
  [[nodiscard]] bool has(std::string_view key);

  // All keys of the section in file order, each recorded as known, for
  // sections whose keys are data (days_to_expire_by_type).
  [[nodiscard]] std::vector<std::string> keys();

  // "[name] key: text" at the line of `key`'s value (or no line).
  void problem(std::string_view key, std::string_view text);

  // "[name] label: text" at `line`, for problems about several keys.
  void
  problem_at(std::uint32_t line, std::string_view label, std::string_view text);

  // "[name] key: text" as a warning: reported, but the run goes on.
  void warning(std::string_view key, std::string_view text);

  // The line of `key`'s value, 0 when absent or unknown.
  [[nodiscard]] std::uint32_t line_of(std::string_view key) const;

  // Flags every key or sub-table that no read asked for, with the nearest
  // known name as a suggestion.
  void report_unknown_keys();

  [[nodiscard]] const std::string& name() const noexcept {
    return m_name;
  }

private:
  const toml::node* find(std::string_view key);
  void type_problem(std::string_view key,
                    std::string_view expected,
                    const toml::node& node);
  void report_unknown(const toml::key& key, const toml::node& node);

  const toml::table* m_table;
  std::string m_name;
  Problems& m_problems;
  std::vector<std::string> m_known;
};

// "a string", "an integer", ... as used in "expected ..., got ...".
[[nodiscard]] std::string_view toml_type_name(toml::node_type type);

} // namespace m2s::config_detail
