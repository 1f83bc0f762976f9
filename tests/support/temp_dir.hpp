#pragma once

// A fresh directory per test, removed afterwards unless the test failed
// (then kept and printed, so the store can be inspected).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace m2s::testing {

class TempDir {
public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "m2s-test-XXXXXX").string();
    char* made = ::mkdtemp(pattern.data());
    if (made == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    m_path = made;
  }

  ~TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    if (info != nullptr && info->result()->Failed()) {
      std::fprintf(stderr, "Kept test directory %s\n", m_path.c_str());
      return;
    }
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const {
    return m_path;
  }

  std::string file(const std::string& name) const {
    return (m_path / name).string();
  }

private:
  std::filesystem::path m_path;
};

} // namespace m2s::testing
