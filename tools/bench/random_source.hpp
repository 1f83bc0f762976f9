#pragma once

// --- A seeded random source whose output is the same on every platform ---
//
// std::mt19937_64's sequence is fixed by the standard; the standard
// distributions are not, so the draws below are done by hand.

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace m2s::bench {

class RandomSource {
public:
  explicit RandomSource(std::uint64_t seed)
      : m_engine(seed) {}

  // A number in [0, n); n must be > 0.
  [[nodiscard]] std::uint64_t below(std::uint64_t n) {
    return m_engine() % n;
  }

  // A number in [low, high].
  [[nodiscard]] std::int64_t between(std::int64_t low, std::int64_t high) {
    return low
           + static_cast<std::int64_t>(
               below(static_cast<std::uint64_t>(high - low) + 1));
  }

  // A real in [0, 1).
  [[nodiscard]] double unit() {
    return static_cast<double>(m_engine() >> 11) * 0x1.0p-53;
  }

  [[nodiscard]] bool chance(double probability) {
    return unit() < probability;
  }

  [[nodiscard]] std::string hex(std::size_t digits) {
    static constexpr std::string_view k_digits = "0123456789abcdef";
    std::string text(digits, '0');
    for (char& c : text) {
      c = k_digits[below(16)];
    }
    return text;
  }

  // A random (version 4) UUID in canonical lower-case form.
  [[nodiscard]] std::string uuid() {
    std::string text = hex(8) + "-" + hex(4) + "-4" + hex(3) + "-";
    text += "89ab"[below(4)];
    text += hex(3) + "-" + hex(12);
    return text;
  }

  template <typename Container>
  [[nodiscard]] const auto& pick(const Container& items) {
    return items[below(std::size(items))];
  }

private:
  std::mt19937_64 m_engine;
};

} // namespace m2s::bench
