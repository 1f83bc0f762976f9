#include "config_files.hpp"
#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "problems.hpp"
#include "section_reader.hpp"
#include "sections.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <filesystem>
#include <optional>
#include <system_error>

namespace m2s {

namespace {

toml::table parse_toml(const std::string& text, const std::string& path) {
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& error) {
    const toml::source_position& where = error.source().begin;
    throw ConfigError(fmt::format("{}:{}:{}: invalid TOML: {}",
                                  path,
                                  where.line,
                                  where.column,
                                  error.description()));
  }
}

} // namespace

Config parse_config(const std::string& toml_text, const std::string& path) {
  const toml::table root = parse_toml(toml_text, path);
  const std::filesystem::path folder =
      std::filesystem::path(path).parent_path();
  config_detail::Problems problems(path);
  config_detail::SectionReader top(&root, "", problems);

  Config config;
  config.source_path = path;
  auto misp = top.section("misp");
  config.misp = config_detail::read_misp_section(misp, folder);
  auto sentinel = top.section("sentinel");
  config.sentinel = config_detail::read_sentinel_section(sentinel, folder);
  auto indicators = top.section("indicators");
  config.indicators = config_detail::read_indicators_section(indicators);
  auto state = top.section("state");
  config.state = config_detail::read_state_section(state, folder);
  auto log = top.section("log");
  config.log = config_detail::read_log_section(log, folder);
  auto limits = top.section("limits");
  config.limits = config_detail::read_limits_section(limits);

  top.report_unknown_keys();
  problems.throw_if_any();
  return config;
}

Config load_config(const std::string& path) {
  std::error_code error;
  const std::optional<std::string> text =
      config_detail::read_text_file(path, error);
  if (!text) {
    throw ConfigError(
        fmt::format("{}: cannot read config file: {} (choose the file with "
                    "`misp2sentinel --config FILE`)",
                    path,
                    error.message()));
  }
  return parse_config(*text, path);
}

} // namespace m2s
