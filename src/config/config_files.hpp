#pragma once

// --- File helpers for the config: reading text, resolving relative paths ---

#include <filesystem>
#include <optional>
#include <string>
#include <system_error>

namespace m2s::config_detail {

// The whole file, or nullopt with `error` set (e.g. no such file, is a
// directory, permission denied, or longer than `max_bytes`: "File too
// large", so that /dev/zero or a log file named by mistake cannot exhaust
// memory).
[[nodiscard]] std::optional<std::string>
read_text_file(const std::filesystem::path& path,
               std::error_code& error,
               std::size_t max_bytes = 1024 * 1024);

// True when users other than the owner and the group may read `path`
// (o+r); false when it cannot be checked.
[[nodiscard]] bool readable_by_others(const std::filesystem::path& path);

// True when users other than the owner and the group may write `path`.
[[nodiscard]] bool writable_by_others(const std::filesystem::path& path);

// `value` when it is empty or absolute, else `folder / value`. An empty
// folder (config in the working directory) leaves `value` as it is.
[[nodiscard]] std::string resolve_path(const std::filesystem::path& folder,
                                       const std::string& value);

} // namespace m2s::config_detail
