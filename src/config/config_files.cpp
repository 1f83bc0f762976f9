#include "config_files.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <memory>

namespace m2s::config_detail {

namespace {

struct FileCloser {
  void operator()(std::FILE* file) const noexcept {
    std::fclose(file);
  }
};

} // namespace

std::optional<std::string> read_text_file(const std::filesystem::path& path,
                                          std::error_code& error,
                                          std::size_t max_bytes) {
  // stdio rather than iostreams: errno then tells the user why it failed.
  errno = 0;
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    error = std::error_code(errno, std::generic_category());
    return std::nullopt;
  }

  std::string text;
  char buffer[8192];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    if (count > max_bytes - text.size()) {
      error = std::error_code(EFBIG, std::generic_category());
      return std::nullopt;
    }
    text.append(buffer, count);
  }

  if (std::ferror(file.get()) != 0) {
    error = std::error_code(errno == 0 ? EIO : errno, std::generic_category());
    return std::nullopt;
  }
  error.clear();
  return text;
}

bool readable_by_others(const std::filesystem::path& path) {
  struct stat info {};

  return ::stat(path.c_str(), &info) == 0 && (info.st_mode & S_IROTH) != 0;
}

bool writable_by_others(const std::filesystem::path& path) {
  struct stat info {};

  return ::stat(path.c_str(), &info) == 0 && (info.st_mode & S_IWOTH) != 0;
}

std::string resolve_path(const std::filesystem::path& folder,
                         const std::string& value) {
  const std::filesystem::path path(value);
  if (value.empty() || path.is_absolute() || folder.empty()) {
    return value;
  }
  return (folder / path).lexically_normal().string();
}

} // namespace m2s::config_detail
