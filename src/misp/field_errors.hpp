#pragma once

// --- The problems found in one JSON object's fields, in checking order ---
//
// The streaming reader meets fields in document order, but a message must
// name the field the DOM reader would have checked first, and a repeated
// key replaces its earlier value (Boost's DOM keeps the last of duplicate
// keys). So each field keeps its own problem, replaced on every
// occurrence, and the first one in slot order is the one reported.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace m2s::misp_json {

struct FieldError {
  std::string path; // "Object[2].Attribute[0].timestamp"
  std::string problem;

  // The same problem, one level deeper: "<parent>.<path>".
  [[nodiscard]] FieldError within(std::string_view parent) const {
    return {std::string(parent).append(".").append(path), problem};
  }

  [[nodiscard]] std::string text() const {
    return path + ": " + problem;
  }
};

// `Slot` is an enum of the object's fields in checking order, ending with
// `count` (at most 32).
template <class Slot>
class FieldErrors {
public:
  static constexpr std::uint32_t all = ~std::uint32_t{0};

  [[nodiscard]] static constexpr std::uint32_t bit(Slot slot) noexcept {
    return std::uint32_t{1} << static_cast<unsigned>(slot);
  }

  // The slots before `slot`, or from it on.
  [[nodiscard]] static constexpr std::uint32_t before(Slot slot) noexcept {
    return bit(slot) - 1;
  }

  [[nodiscard]] static constexpr std::uint32_t from(Slot slot) noexcept {
    return ~before(slot);
  }

  void clear() noexcept {
    m_present = 0;
  }

  void clear(Slot slot) noexcept {
    m_present &= ~bit(slot);
  }

  void set(Slot slot, FieldError error) {
    m_errors[static_cast<std::size_t>(slot)] = std::move(error);
    m_present |= bit(slot);
  }

  // What reading the field `path` gave: a problem, or none.
  void
  note(Slot slot, std::string_view path, std::optional<std::string> problem) {
    if (problem) {
      set(slot, {std::string(path), std::move(*problem)});
    } else {
      clear(slot);
    }
  }

  // The first problem in slot order among `among`; null when none.
  [[nodiscard]] const FieldError*
  first(std::uint32_t among = all) const noexcept {
    const std::uint32_t present = m_present & among;
    if (present == 0) {
      return nullptr;
    }
    return &m_errors[static_cast<std::size_t>(std::countr_zero(present))];
  }

private:
  static_assert(static_cast<std::size_t>(Slot::count) <= 32);

  std::uint32_t m_present = 0;
  std::array<FieldError, static_cast<std::size_t>(Slot::count)> m_errors;
};

} // namespace m2s::misp_json
