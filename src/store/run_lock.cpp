#include "misp2sentinel/store/run_lock.hpp"

#include "misp2sentinel/util/errors.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace m2s {

namespace {

std::string read_holder_pid(int fd) {
  char buffer[32] = {};
  const ssize_t n = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
  if (n <= 0) {
    return {};
  }
  std::string text(buffer, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// The lock file of the file `store_path` resolves to: a symlink to the
// store, or another spelling of its path, must not give a second lock.
std::string lock_path(const std::string& store_path) {
  std::error_code error;
  const std::filesystem::path resolved =
      std::filesystem::weakly_canonical(store_path, error);
  return (error ? store_path : resolved.string()) + ".lock";
}

} // namespace

std::optional<bool> run_lock_held(const std::string& store_path) {
  struct stat info = {};
  if (::stat(lock_path(store_path).c_str(), &info) != 0) {
    return false; // no lock file: no run has taken the lock here
  }
  std::ifstream locks("/proc/locks");
  if (!locks) {
    return std::nullopt;
  }

  // "1: FLOCK  ADVISORY  WRITE 8466 fe:00:10953084 0 EOF": the device as
  // major:minor in hex, then the inode.
  const std::string file = fmt::format(
      "{:02x}:{:02x}:{}", major(info.st_dev), minor(info.st_dev), info.st_ino);
  std::string line;
  while (std::getline(locks, line)) {
    std::istringstream fields(line);
    bool is_flock = false;
    for (std::string field; fields >> field;) {
      is_flock = is_flock || field == "FLOCK";
      if (is_flock && field == file) {
        return true;
      }
    }
  }
  return false;
}

RunLock::RunLock(const std::string& store_path)
    : m_path(lock_path(store_path)) {
  m_fd = ::open(m_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (m_fd < 0) {
    throw StoreError(fmt::format(
        "{}: cannot create the lock file: {}", m_path, std::strerror(errno)));
  }

  if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = read_holder_pid(m_fd);
    ::close(m_fd);
    m_fd = -1;
    if (error == EWOULDBLOCK) {
      throw LockedError(fmt::format(
          "{}: another misp2sentinel run{} is using this store; this run "
          "exits without doing anything",
          m_path,
          holder.empty() ? "" : " (pid " + holder + ")"));
    }
    throw StoreError(
        fmt::format("{}: cannot lock: {}", m_path, std::strerror(error)));
  }

  // The pid is only a hint for the message above; the flock is the lock.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(m_fd, 0) == 0) {
    [[maybe_unused]] const ssize_t written =
        ::pwrite(m_fd, pid.data(), pid.size(), 0);
  }
}

RunLock::~RunLock() {
  if (m_fd >= 0) {
    ::close(m_fd); // releases the flock
  }
}

} // namespace m2s
