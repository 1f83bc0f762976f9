#pragma once

// --- Errors that reach the user, each tied to a documented exit code ---
//
// Every error message names what failed and where ("MISP answered 403 for
// /events/restSearch: ..."), never a secret. main() catches these and maps
// them to the exit codes below.

#include "misp2sentinel/util/known_secrets.hpp"

#include <stdexcept>
#include <string>

namespace m2s {

enum class ExitCode : int {
  ok = 0,
  some_rejected = 1,
  usage_or_config = 2,
  misp_error = 3,
  sentinel_error = 4,
  store_error = 5, // also: another run holds the store's lock
};

class Error : public std::runtime_error {
public:
  // The message is scrubbed of every secret the process holds, whatever
  // server text it quotes.
  Error(ExitCode code, const std::string& message)
      : std::runtime_error(scrub_known_secrets(message)),
        m_code(code) {}

  ExitCode code() const noexcept {
    return m_code;
  }

private:
  ExitCode m_code;
};

class ConfigError : public Error {
public:
  explicit ConfigError(const std::string& message)
      : Error(ExitCode::usage_or_config, message) {}
};

class MispError : public Error {
public:
  explicit MispError(const std::string& message)
      : Error(ExitCode::misp_error, message) {}
};

class SentinelError : public Error {
public:
  explicit SentinelError(const std::string& message)
      : Error(ExitCode::sentinel_error, message) {}
};

class StoreError : public Error {
public:
  explicit StoreError(const std::string& message)
      : Error(ExitCode::store_error, message) {}
};

// Another run holds the store's lock: exit code 5 like a store error, with
// a message that says the run did nothing, so cron overlap is harmless.
class LockedError : public Error {
public:
  explicit LockedError(const std::string& message)
      : Error(ExitCode::store_error, message) {}
};

} // namespace m2s
