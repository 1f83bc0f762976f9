#pragma once

// --- Reads with the checks several sections share ---
//
// Each leaves `out` untouched (its default) when the key is absent, and
// records a problem when the value is present but wrong.

#include "section_reader.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace m2s::config_detail {

// A non-empty string that must be present; `example` completes the hint
// "missing; e.g. <key> = <example>".
void read_required(SectionReader& section,
                   std::string_view key,
                   std::string& out,
                   std::string_view example);

// An http:// or https:// URL with a host; trailing slashes removed. With
// `allow_empty`, "" is accepted and stands for the default.
void read_url(SectionReader& section,
              std::string_view key,
              std::string& out,
              bool allow_empty);

// One of `choices`, compared without regard to ASCII case; returns the
// matching choice as spelt in `choices`.
[[nodiscard]] std::optional<std::string>
read_choice(SectionReader& section,
            std::string_view key,
            const std::vector<std::string_view>& choices);

// A path; relative ones resolve against `folder`. Empty means unset.
void read_path(SectionReader& section,
               std::string_view key,
               std::string& out,
               const std::filesystem::path& folder);

// The problem with `url` as an http(s) base URL, or "" when it is fine.
[[nodiscard]] std::string http_url_problem(std::string_view url);

// `url` without trailing slashes and with a lower-case scheme.
[[nodiscard]] std::string normalized_url(std::string_view url);

// True when the host of http(s) `url` is this machine: "localhost",
// 127.0.0.0/8 or [::1].
[[nodiscard]] bool is_loopback_url(std::string_view url);

// True when `url` carries a password ("https://user:pass@host").
[[nodiscard]] bool url_has_password(std::string_view url);

// A problem when `url` is plain http:// to a host other than loopback and
// `allowed` (the section's allow_insecure_http) is false; a warning when it
// is allowed. `what` names what would travel in clear ("the API key").
void refuse_plain_http(SectionReader& section,
                       std::string_view key,
                       std::string_view url,
                       bool allowed,
                       std::string_view what);

} // namespace m2s::config_detail
