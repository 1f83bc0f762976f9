#include "warninglist.hpp"

#include "text_util.hpp"

#include <fstream>

namespace m2s::sandbox {

Warninglist load_warninglist(const std::string& path) {
  Warninglist list;
  if (path.empty()) {
    return list;
  }
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto value = trim(line);
    if (!value.empty() && value.front() != '#') {
      list.emplace(value);
    }
  }
  return list;
}

bool warninglisted(const Warninglist& list, std::string_view value) {
  if (list.empty()) {
    return false;
  }
  if (list.count(std::string(value)) != 0) {
    return true;
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t bar = value.find('|', start);
    if (bar == std::string_view::npos) {
      return start > 0 && list.count(std::string(value.substr(start))) != 0;
    }
    if (list.count(std::string(value.substr(start, bar - start))) != 0) {
      return true;
    }
    start = bar + 1;
  }
}

} // namespace m2s::sandbox
