#pragma once

// --- One reader per config section ---
//
// Each starts from the defaults in config.hpp, reads and checks every key
// of its section, records problems, and reports unknown keys. `folder` is
// the config file's folder, for relative paths.

#include "misp2sentinel/config/config.hpp"
#include "section_reader.hpp"

#include <filesystem>

namespace m2s::config_detail {

// `need_key` / `need_secret`: resolve the secret (NeededSecrets).
[[nodiscard]] MispConfig read_misp_section(SectionReader& section,
                                           const std::filesystem::path& folder,
                                           bool need_key);

[[nodiscard]] SentinelConfig
read_sentinel_section(SectionReader& section,
                      const std::filesystem::path& folder,
                      bool need_secret);

[[nodiscard]] IndicatorConfig read_indicators_section(SectionReader& section);

[[nodiscard]] StateConfig
read_state_section(SectionReader& section, const std::filesystem::path& folder);

[[nodiscard]] LogConfig read_log_section(SectionReader& section,
                                         const std::filesystem::path& folder);

[[nodiscard]] RunLimits read_limits_section(SectionReader& section);

[[nodiscard]] MetricsConfig
read_metrics_section(SectionReader& section,
                     const std::filesystem::path& folder);

} // namespace m2s::config_detail
