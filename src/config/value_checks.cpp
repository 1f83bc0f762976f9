#include "value_checks.hpp"

#include "config_files.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace m2s::config_detail {

namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size()
         && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
              return lower(x) == lower(y);
            });
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size()
         && equal_ignoring_case(text.substr(0, prefix.size()), prefix);
}

std::size_t scheme_length(std::string_view url) {
  if (starts_with_ignoring_case(url, "https://")) {
    return 8;
  }
  if (starts_with_ignoring_case(url, "http://")) {
    return 7;
  }
  return 0;
}

// The authority of "scheme://authority/...": up to the first '/', '?' or
// '#'.
std::string_view authority_of(std::string_view url) {
  const std::size_t scheme = scheme_length(url);
  if (scheme == 0) {
    return {};
  }
  const std::string_view rest = url.substr(scheme);
  return rest.substr(0, rest.find_first_of("/?#"));
}

// The host of an authority, without user info, port or IPv6 brackets.
std::string host_of(std::string_view authority) {
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    return std::string(authority.substr(
        1,
        close == std::string_view::npos ? std::string_view::npos : close - 1));
  }
  return std::string(authority.substr(0, authority.find(':')));
}

bool is_loopback_host(const std::string& host) {
  if (equal_ignoring_case(host, "localhost")) {
    return true;
  }
  std::array<unsigned char, 16> address{};
  if (inet_pton(AF_INET, host.c_str(), address.data()) == 1) {
    return address[0] == 127;
  }
  if (inet_pton(AF_INET6, host.c_str(), address.data()) == 1) {
    const std::array<unsigned char, 16> loopback = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return address == loopback;
  }
  return false;
}

} // namespace

bool is_loopback_url(std::string_view url) {
  return scheme_length(url) != 0
         && is_loopback_host(host_of(authority_of(url)));
}

bool url_has_password(std::string_view url) {
  const std::string_view authority = authority_of(url);
  const std::size_t at = authority.rfind('@');
  return at != std::string_view::npos
         && authority.substr(0, at).find(':') != std::string_view::npos;
}

void refuse_plain_http(SectionReader& section,
                       std::string_view key,
                       std::string_view url,
                       bool allowed,
                       std::string_view what) {
  if (!starts_with_ignoring_case(url, "http://") || is_loopback_url(url)) {
    return;
  }

  if (!allowed) {
    section.problem(key,
                    fmt::format("plain http:// to another machine would send "
                                "{} unencrypted; use https://, or set "
                                "allow_insecure_http = true to accept that",
                                what));
    return;
  }
  section.warning(key,
                  fmt::format("plain http:// (allow_insecure_http = true): "
                              "{} travels unencrypted",
                              what));
}

void read_required(SectionReader& section,
                   std::string_view key,
                   std::string& out,
                   std::string_view example) {
  if (!section.has(key)) {
    section.problem(key, fmt::format("missing; e.g. {} = {}", key, example));
    return;
  }

  const std::optional<std::string> value = section.string(key);
  if (value && value->empty()) {
    section.problem(key, "must not be empty");
    return;
  }
  if (value) {
    out = *value;
  }
}

std::string http_url_problem(std::string_view url) {
  if (url.empty()) {
    return "must not be empty";
  }

  // URLs are not echoed: one could carry user:password@.
  const bool has_blank = std::any_of(url.begin(), url.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0
           || std::iscntrl(static_cast<unsigned char>(c)) != 0;
  });
  if (has_blank) {
    return "must not contain spaces or control characters";
  }

  const std::size_t scheme = scheme_length(url);
  if (scheme == 0) {
    return "must start with https:// or http://";
  }
  if (scheme == url.size() || url[scheme] == '/') {
    return "has no host name after the scheme";
  }
  return {};
}

std::string normalized_url(std::string_view url) {
  std::string result(url);
  const std::size_t scheme = scheme_length(url);
  std::transform(result.begin(),
                 result.begin() + static_cast<std::ptrdiff_t>(scheme),
                 result.begin(),
                 lower);

  while (result.size() > scheme && result.back() == '/') {
    result.pop_back();
  }
  return result;
}

void read_url(SectionReader& section,
              std::string_view key,
              std::string& out,
              bool allow_empty) {
  const std::optional<std::string> value = section.string(key);
  if (!value) {
    return;
  }

  if (value->empty() && allow_empty) {
    out.clear();
    return;
  }

  const std::string problem = http_url_problem(*value);
  if (!problem.empty()) {
    section.problem(key, problem);
    return;
  }
  out = normalized_url(*value);
}

std::optional<std::string>
read_choice(SectionReader& section,
            std::string_view key,
            const std::vector<std::string_view>& choices) {
  const std::optional<std::string> value = section.string(key);
  if (!value) {
    return std::nullopt;
  }

  for (const std::string_view choice : choices) {
    if (equal_ignoring_case(*value, choice)) {
      return std::string(choice);
    }
  }

  std::vector<std::string> quoted;
  for (const std::string_view choice : choices) {
    quoted.push_back(fmt::format("\"{}\"", choice));
  }
  section.problem(key,
                  fmt::format("must be one of {}, got \"{}\"",
                              fmt::join(quoted, ", "),
                              *value));
  return std::nullopt;
}

void read_path(SectionReader& section,
               std::string_view key,
               std::string& out,
               const std::filesystem::path& folder) {
  const std::optional<std::string> value = section.string(key);
  if (value) {
    out = resolve_path(folder, *value);
  }
}

} // namespace m2s::config_detail
