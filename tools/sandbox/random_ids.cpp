#include "random_ids.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <random>

namespace m2s::sandbox {

namespace {

std::mt19937_64& generator() {
  // One engine per thread: httplib handlers run on a pool.
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32U) ^ device();
  }()};
  return engine;
}

} // namespace

std::string random_hex(std::size_t bytes) {
  std::string out;
  out.reserve(bytes * 2);
  std::uint64_t word = 0;
  for (std::size_t i = 0; i < bytes; ++i) {
    if (i % 8 == 0) {
      word = generator()();
    }
    out += fmt::format("{:02x}", static_cast<unsigned>(word & 0xFFU));
    word >>= 8U;
  }
  return out;
}

std::string random_uuid() {
  std::string hex = random_hex(16);
  hex[12] = '4';
  const char variant[] = {'8', '9', 'a', 'b'};
  hex[16] = variant[static_cast<unsigned char>(hex[16]) % 4];
  return fmt::format("{}-{}-{}-{}-{}",
                     hex.substr(0, 8),
                     hex.substr(8, 4),
                     hex.substr(12, 4),
                     hex.substr(16, 4),
                     hex.substr(20));
}

} // namespace m2s::sandbox
