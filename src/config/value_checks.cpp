#include "value_checks.hpp"

#include "config_files.hpp"

#include <fmt/format.h>

#include <algorithm>
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

} // namespace

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
