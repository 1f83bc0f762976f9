// m2s-bench-parse: the floor for misp2sentinel's local work. Parses the
// event files of a folder with Boost.JSON and nothing else, so the
// benchmark can compare a sync with the bare parse of the same bytes (the
// sandbox answers these events unchanged, 100 to a page). Not part of the
// product. Prints key=value lines for tools/bench/run.sh.

#include "event_files.hpp"

#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> read_all(const std::filesystem::path& dir) {
  std::vector<std::string> texts;
  for (const auto& path : m2s::bench::event_files(dir)) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    texts.push_back(text.str());
  }
  return texts;
}

// Seconds to parse (and free) every text once.
double parse_all(const std::vector<std::string>& texts) {
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& text : texts) {
    boost::system::error_code error;
    const auto document = boost::json::parse(text, error);
    if (error) {
      throw std::runtime_error("invalid JSON: " + error.message());
    }
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    fmt::print(stderr, "usage: m2s-bench-parse EVENTS_DIR [REPEAT]\n");
    return 2;
  }
  try {
    const std::vector<std::string> texts = read_all(argv[1]);
    const int repeat = argc == 3 ? std::max(1, std::atoi(argv[2])) : 3;
    std::size_t bytes = 0;
    for (const std::string& text : texts) {
      bytes += text.size();
    }

    std::vector<double> seconds;
    for (int i = 0; i < repeat; ++i) {
      seconds.push_back(parse_all(texts));
    }
    std::sort(seconds.begin(), seconds.end());
    const double median = seconds[seconds.size() / 2];
    fmt::print("files={}\nbytes={}\nparse_seconds={:.3f}\nmb_per_s={:.0f}\n",
               texts.size(),
               bytes,
               median,
               static_cast<double>(bytes) / 1e6 / median);
    return 0;
  } catch (const std::exception& error) {
    fmt::print(stderr, "m2s-bench-parse: {}\n", error.what());
    return 1;
  }
}
