#pragma once

// --- One run per store: an flock on "<store>.lock" ---
//
// The kernel releases the lock when the process dies, however it dies, so
// a killed run never blocks the next one.

#include <optional>
#include <string>

namespace m2s {

// Whether a process holds the run lock of `store_path` now; nullopt when
// that cannot be told (no /proc/locks). Takes no lock, not even for a
// moment (a sync starting then would find the store busy and exit), and
// creates nothing: it looks the lock file's inode up in /proc/locks.
[[nodiscard]] std::optional<bool>
run_lock_held(const std::string& store_path);

class RunLock {
public:
  // Take the lock beside `store_path` without waiting. Throws LockedError
  // naming the lock file (and the holder's pid when known) when another
  // run holds it, StoreError when the file cannot be created.
  explicit RunLock(const std::string& store_path);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

private:
  int m_fd = -1;
  std::string m_path;
};

} // namespace m2s
