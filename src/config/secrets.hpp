#pragma once

// --- Secrets from `<prefix>_env` or `<prefix>_file` ---
//
// Exactly one of the two keys must be set. The value is trimmed of
// surrounding whitespace (a trailing newline is the usual case) and must
// be non-empty and one line. No problem text ever holds the secret; a key
// value that looks like a pasted secret rather than a variable name or a
// path is not echoed either.

#include "misp2sentinel/config/config.hpp"
#include "section_reader.hpp"

#include <filesystem>
#include <string_view>

namespace m2s::config_detail {

// `what` names the secret in messages, e.g. "the MISP API key". Returns an
// empty Secret after recording a problem. Unless `needed`, only how it is
// given is checked and an empty Secret is returned: the variable or file
// is not read at all.
[[nodiscard]] Secret read_secret(SectionReader& section,
                                 std::string_view prefix,
                                 std::string_view what,
                                 const std::filesystem::path& folder,
                                 bool needed);

// True for conventional environment variable names: [A-Z_][A-Z0-9_]*.
[[nodiscard]] bool looks_like_env_name(std::string_view name);

// True when a file path could be a secret pasted by mistake: long, with
// no '/' and no '.'.
[[nodiscard]] bool path_may_be_secret(std::string_view path);

} // namespace m2s::config_detail
