// m2s-bench-parse: the floor for misp2sentinel's local work. Parses the
// event files of a folder with Boost.JSON and nothing else, so the
// benchmark can compare a sync with the bare parse of the same bytes (the
// sandbox answers these events unchanged, 100 to a page). With --events it
// runs misp2sentinel's own event reader on the same bytes instead, fed in
// chunks as a restSearch answer is; --stream then reads each file from
// disk chunk by chunk, so that the peak RSS is the reader's own. Not part
// of the product. Prints key=value lines for tools/bench/run.sh.

#include "event_files.hpp"
#include "misp2sentinel/misp/event_reader.hpp"

#include <CLI/CLI.hpp>
#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Options {
  std::string dir;
  int repeat = 3;
  bool events = false;
  bool stream = false;
  // libcurl hands a body over in pieces of at most 16 KiB.
  std::size_t chunk = 16 * 1024;
};

struct Totals {
  std::size_t bytes = 0;
  std::size_t events = 0;
  std::size_t attributes = 0;
};

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reads one file's events as MispClient reads a page, and drops them.
class PageReader {
public:
  PageReader(const fs::path& path, const Options& options)
      : m_reader(path.string(), reader_options()),
        m_chunk(options.chunk) {}

  void feed(std::string_view text) {
    for (std::size_t at = 0; at < text.size(); at += m_chunk) {
      m_reader.feed(text.substr(at, m_chunk));
    }
  }

  void finish(Totals& totals) {
    const m2s::ParsedEvents parsed = m_reader.finish();
    totals.events += parsed.events.size();
    for (const m2s::MispEvent& event : parsed.events) {
      totals.attributes += event.attributes.size();
    }
  }

private:
  static m2s::EventReaderOptions reader_options() {
    m2s::EventReaderOptions options;
    options.source = m2s::MispJsonSource::misp_answer;
    options.tolerant = true;
    return options;
  }

  m2s::EventReader m_reader;
  std::size_t m_chunk;
};

void read_file_in_chunks(const fs::path& path,
                         const Options& options,
                         Totals& totals) {
  PageReader reader(path, options);
  std::ifstream in(path, std::ios::binary);
  std::string buffer(options.chunk, '\0');
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()))
         || in.gcount() > 0) {
    const auto got = static_cast<std::size_t>(in.gcount());
    reader.feed(std::string_view(buffer.data(), got));
    totals.bytes += got;
  }
  reader.finish(totals);
}

// Seconds to read every file once; the texts are in memory unless
// --stream.
double run_once(const std::vector<fs::path>& paths,
                const std::vector<std::string>& texts,
                const Options& options,
                Totals& totals) {
  totals = {};
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (options.stream) {
      read_file_in_chunks(paths[i], options, totals);
      continue;
    }

    totals.bytes += texts[i].size();
    if (options.events) {
      PageReader reader(paths[i], options);
      reader.feed(texts[i]);
      reader.finish(totals);
      continue;
    }

    boost::system::error_code error;
    const auto document = boost::json::parse(texts[i], error);
    if (error) {
      throw std::runtime_error("invalid JSON: " + error.message());
    }
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int run(const Options& options) {
  const std::vector<fs::path> paths = m2s::bench::event_files(options.dir);
  std::vector<std::string> texts;
  if (!options.stream) {
    for (const fs::path& path : paths) {
      texts.push_back(read_all(path));
    }
  }

  Totals totals;
  std::vector<double> seconds;
  for (int i = 0; i < std::max(1, options.repeat); ++i) {
    seconds.push_back(run_once(paths, texts, options, totals));
  }
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];

  fmt::print("files={}\nbytes={}\nparse_seconds={:.3f}\nmb_per_s={:.0f}\n",
             paths.size(),
             totals.bytes,
             median,
             static_cast<double>(totals.bytes) / 1e6 / median);
  if (options.events) {
    fmt::print("events={}\nattributes={}\n", totals.events, totals.attributes);
  }
  fmt::print("max_rss_kb={}\n", peak_rss_kb());
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"m2s-bench-parse: parse the event files of a folder"};
  Options options;
  app.add_option("dir", options.dir, "folder of event-*.json files")
      ->required();
  app.add_option("repeat", options.repeat, "runs; the median is printed")
      ->capture_default_str();
  app.add_flag("--events",
               options.events,
               "misp2sentinel's event reader instead of the bare parse");
  app.add_flag("--stream",
               options.stream,
               "with --events: read files from disk chunk by chunk");
  app.add_option("--chunk", options.chunk, "bytes fed to the reader at once")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  options.events = options.events || options.stream;

  try {
    return run(options);
  } catch (const std::exception& error) {
    fmt::print(stderr, "m2s-bench-parse: {}\n", error.what());
    return 1;
  }
}
