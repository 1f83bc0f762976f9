#include "config_files.hpp"
#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "problems.hpp"
#include "section_reader.hpp"
#include "sections.hpp"
#include "value_checks.hpp"

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

// Warnings about the config file itself, which parse_config cannot see.
void add_file_warnings(Config& config, const std::string& path) {
  // Whoever may write the config may point the tool at their own server
  // and collect the keys.
  if (config_detail::writable_by_others(path)) {
    config.warnings.push_back(
        fmt::format("{}: the config file is writable by every user of this "
                    "machine; anyone could redirect the keys it uses "
                    "(chmod 600)",
                    path));
  }

  using config_detail::url_has_password;
  const bool holds_password = url_has_password(config.misp.url)
                              || url_has_password(config.sentinel.login_url)
                              || url_has_password(config.sentinel.api_url);
  if (holds_password && config_detail::readable_by_others(path)) {
    config.warnings.push_back(
        fmt::format("{}: the config file holds a URL with a password and is "
                    "readable by every user of this machine (chmod 600)",
                    path));
  }
}

} // namespace

Config parse_config(const std::string& toml_text,
                    const std::string& path,
                    NeededSecrets needed) {
  const toml::table root = parse_toml(toml_text, path);
  const std::filesystem::path folder =
      std::filesystem::path(path).parent_path();
  config_detail::Problems problems(path);
  config_detail::SectionReader top(&root, "", problems);

  Config config;
  config.source_path = path;
  auto misp = top.section("misp");
  config.misp = config_detail::read_misp_section(misp, folder, needed.misp_key);
  auto sentinel = top.section("sentinel");
  config.sentinel = config_detail::read_sentinel_section(
      sentinel, folder, needed.sentinel_client_secret);
  auto indicators = top.section("indicators");
  config.indicators = config_detail::read_indicators_section(indicators);
  auto state = top.section("state");
  config.state = config_detail::read_state_section(state, folder);
  auto log = top.section("log");
  config.log = config_detail::read_log_section(log, folder);
  auto limits = top.section("limits");
  config.limits = config_detail::read_limits_section(limits);
  config.misp.max_json_depth = config.limits.max_json_depth;
  auto metrics = top.section("metrics");
  config.metrics = config_detail::read_metrics_section(metrics, folder);

  top.report_unknown_keys();
  problems.throw_if_any();
  config.warnings = problems.warnings();
  return config;
}

Config load_config(const std::string& path, NeededSecrets needed) {
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
  Config config = parse_config(*text, path, needed);
  add_file_warnings(config, path);
  return config;
}

} // namespace m2s
