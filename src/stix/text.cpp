#include "text.hpp"

#include <algorithm>

namespace m2s::stix {

namespace {

constexpr std::string_view k_ascii_space = " \t\r\n\v\f";

} // namespace

std::string_view trim_ascii(std::string_view text) {
  const auto first = text.find_first_not_of(k_ascii_space);
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(k_ascii_space);
  return text.substr(first, last - first + 1);
}

std::string to_lower_ascii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

bool has_ascii_space(std::string_view text) {
  return text.find_first_of(k_ascii_space) != std::string_view::npos;
}

bool is_hex(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
           || (c >= 'A' && c <= 'F');
  });
}

std::string_view strip_quotes(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    return text.substr(1, text.size() - 2);
  }
  return text;
}

} // namespace m2s::stix
