#include "scope.hpp"

#include <cctype>
#include <string>
#include <vector>

namespace m2s {

namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Glob match with '%' as the only wildcard, iterative with one backtrack
// point: linear enough for tag names, never recursive on hostile input.
bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && lower(pattern[p]) == lower(text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') {
    ++p;
  }
  return p == pattern.size();
}

bool any_tag_matches(const std::vector<std::string>& patterns,
                     const std::vector<MispTag>& tags) {
  for (const std::string& pattern : patterns) {
    for (const MispTag& tag : tags) {
      if (tag_matches(pattern, tag.name)) {
        return true;
      }
    }
  }
  return false;
}

} // namespace

bool tag_matches(std::string_view pattern, std::string_view tag) {
  return glob_match(pattern, tag);
}

bool event_in_scope(const MispEvent& event, const MispFilters& filters) {
  if (filters.published && !event.published) {
    return false;
  }

  if (any_tag_matches(filters.not_tags, event.tags)) {
    return false;
  }

  if (filters.tags.empty() || any_tag_matches(filters.tags, event.tags)) {
    return true;
  }
  for (const MispAttribute& attribute : event.attributes) {
    if (any_tag_matches(filters.tags, attribute.tags)) {
      return true;
    }
  }
  return false;
}

} // namespace m2s
