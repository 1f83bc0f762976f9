#include "secrets.hpp"

#include "config_files.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace m2s::config_detail {

namespace {

constexpr std::string_view k_blank = " \t\r\n\f\v";

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(k_blank);
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(k_blank);
  return std::string(text.substr(first, last - first + 1));
}

// The secret is only as safe as the file: say so when other users may read
// or replace it.
void warn_about_access(SectionReader& section,
                       const std::string& key,
                       const std::string& path,
                       const std::string& shown) {
  if (readable_by_others(path)) {
    section.warning(key,
                    fmt::format("{} is readable by every user of this "
                                "machine; restrict it (chmod 600, or 640 "
                                "for a group)",
                                shown));
  }
  if (writable_by_others(path)) {
    section.warning(
        key,
        fmt::format("{} is writable by every user of this machine", shown));
  }
}

std::optional<Secret> secret_from_env(SectionReader& section,
                                      const std::string& key,
                                      const std::string& name) {
  if (name.empty()) {
    section.problem(key, "must not be empty");
    return std::nullopt;
  }

  // Naming the variable helps, unless the value is the secret itself.
  const std::string shown =
      looks_like_env_name(name)
          ? fmt::format("environment variable {}", name)
          : std::string("the environment variable (name not shown: it "
                        "does not look like a variable name; give the "
                        "name, not the secret)");
  const char* raw = std::getenv(name.c_str());
  if (raw == nullptr) {
    section.problem(key, fmt::format("{} is not set", shown));
    return std::nullopt;
  }

  std::string value = trimmed(raw);
  if (value.empty()) {
    section.problem(key, fmt::format("{} is empty", shown));
    return std::nullopt;
  }
  if (value.find_first_of("\r\n") != std::string::npos) {
    section.problem(key, fmt::format("{} holds more than one line", shown));
    return std::nullopt;
  }
  return Secret(std::move(value));
}

std::optional<Secret> secret_from_file(SectionReader& section,
                                       const std::string& key,
                                       const std::string& raw_path,
                                       const std::filesystem::path& folder) {
  if (raw_path.empty()) {
    section.problem(key, "must not be empty");
    return std::nullopt;
  }

  const std::string path = resolve_path(folder, raw_path);
  const std::string shown = path_may_be_secret(raw_path) ? std::string(
                                "the file (path not shown: it looks like a "
                                "secret; give the path of a file holding it)")
                                                         : path;
  // A secret is a line; 64 KiB leaves room for any token format.
  constexpr std::size_t k_max_secret_file = 64 * 1024;
  std::error_code error;
  std::optional<std::string> text =
      read_text_file(path, error, k_max_secret_file);
  if (!text) {
    section.problem(key,
                    fmt::format("cannot read {}: {}", shown, error.message()));
    return std::nullopt;
  }
  warn_about_access(section, key, path, shown);

  std::string value = trimmed(*text);
  if (value.empty()) {
    section.problem(key, fmt::format("{} is empty", shown));
    return std::nullopt;
  }
  if (value.find_first_of("\r\n") != std::string::npos) {
    section.problem(key,
                    fmt::format("{} holds more than one line; it must hold "
                                "only the secret",
                                shown));
    return std::nullopt;
  }
  return Secret(std::move(value));
}

} // namespace

bool looks_like_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) {
    return false;
  }
  for (const char c : name) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool path_may_be_secret(std::string_view path) {
  return path.size() >= 16 && path.find_first_of("/.") == std::string::npos;
}

Secret read_secret(SectionReader& section,
                   std::string_view prefix,
                   std::string_view what,
                   const std::filesystem::path& folder,
                   bool needed) {
  const std::string env_key = fmt::format("{}_env", prefix);
  const std::string file_key = fmt::format("{}_file", prefix);
  const std::optional<std::string> env_name = section.string(env_key);
  const std::optional<std::string> file_path = section.string(file_key);
  const bool has_env = section.has(env_key);
  const bool has_file = section.has(file_key);

  if (has_env && has_file) {
    section.problem_at(section.line_of(file_key),
                       fmt::format("{}, {}", env_key, file_key),
                       "set only one of them");
    return {};
  }
  if (!has_env && !has_file) {
    section.problem_at(
        0,
        fmt::format("{}, {}", env_key, file_key),
        fmt::format("missing; set {} to the name of an environment "
                    "variable holding {}, or {} to a file holding it",
                    env_key,
                    what,
                    file_key));
    return {};
  }

  if (!needed) {
    return {};
  }

  // A value of the wrong type was already reported by string().
  std::optional<Secret> secret;
  if (env_name) {
    secret = secret_from_env(section, env_key, *env_name);
  } else if (file_path) {
    secret = secret_from_file(section, file_key, *file_path, folder);
  }
  return secret ? std::move(*secret) : Secret();
}

} // namespace m2s::config_detail
