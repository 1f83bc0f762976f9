#pragma once

// --- Random identifiers: bearer tokens, Entra trace ids ---

#include <cstddef>
#include <string>

namespace m2s::sandbox {

// `bytes` random bytes as lower-case hex. Thread-safe.
[[nodiscard]] std::string random_hex(std::size_t bytes);

// A random version-4 UUID, lower case.
[[nodiscard]] std::string random_uuid();

} // namespace m2s::sandbox
