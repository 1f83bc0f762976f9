#pragma once

// Child processes for integration tests: posix_spawn, no shell, output to
// files, a timeout, and SIGKILL for crash tests.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace m2s::testing {

struct ProcessResult {
  int exit_code = -1; // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

class Process {
public:
  // Start `argv` with the current environment plus `env` (which wins).
  Process(const std::vector<std::string>& argv,
          const std::map<std::string, std::string>& env,
          const std::string& out_file, const std::string& err_file);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const {
    return m_pid;
  }

  // Wait for exit, killing the child (SIGKILL) after `timeout`.
  ProcessResult wait(std::chrono::milliseconds timeout);

  void kill(int signal);

private:
  pid_t m_pid = -1;
  std::string m_out_file;
  std::string m_err_file;
  bool m_reaped = false;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);

// Run to completion (60 s limit).
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env,
                          const std::string& work_dir_for_output);

} // namespace m2s::testing
