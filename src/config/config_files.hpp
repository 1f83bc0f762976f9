#pragma once

// --- File helpers for the config: reading text, resolving relative paths ---

#include <filesystem>
#include <optional>
#include <string>
#include <system_error>

namespace m2s::config_detail {

// The whole file, or nullopt with `error` set (e.g. no such file, is a
// directory, permission denied).
[[nodiscard]] std::optional<std::string>
read_text_file(const std::filesystem::path& path, std::error_code& error);

// `value` when it is empty or absolute, else `folder / value`. An empty
// folder (config in the working directory) leaves `value` as it is.
[[nodiscard]] std::string resolve_path(const std::filesystem::path& folder,
                                       const std::string& value);

} // namespace m2s::config_detail
