#pragma once

// --- One run per store: an flock on "<store>.lock" ---
//
// The kernel releases the lock when the process dies, however it dies, so
// a killed run never blocks the next one.

#include <string>

namespace m2s {

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
