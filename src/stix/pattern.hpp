#pragma once

// --- STIX pattern text for one observable ---

#include "observable_values.hpp"

#include <string>

namespace m2s::stix {

// "[<type>:<path> = '<escaped value>']": one comparison, the only form
// Sentinel indexes.
[[nodiscard]] std::string build_pattern(const Observable& observable);

} // namespace m2s::stix
