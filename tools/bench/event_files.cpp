#include "event_files.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace m2s::bench {

namespace fs = std::filesystem;

std::string event_file_name(std::int64_t number) {
  char text[32];
  std::snprintf(
      text, sizeof text, "event-%06lld.json", static_cast<long long>(number));
  return text;
}

std::vector<fs::path> event_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.starts_with("event-")
        && name.ends_with(".json")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::uintmax_t write_event_file(const fs::path& path,
                                const boost::json::object& event) {
  const std::string text =
      boost::json::serialize(boost::json::object{{"Event", event}});
  const fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out.flush()) {
      throw std::runtime_error("cannot write " + temporary.string());
    }
  }
  fs::rename(temporary, path);
  return text.size();
}

boost::json::object read_event_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    throw std::runtime_error("cannot read " + path.string());
  }
  boost::system::error_code error;
  auto document = boost::json::parse(text.str(), error);
  auto* top = document.if_object();
  auto* event = top != nullptr ? top->if_contains("Event") : nullptr;
  if (error || event == nullptr || !event->is_object()) {
    throw std::runtime_error(path.string() + ": not a {\"Event\":{...}} file");
  }
  return std::move(event->get_object());
}

} // namespace m2s::bench
