#pragma once

// --- Content hashes and name-based UUIDs (OpenSSL EVP underneath) ---

#include <string>
#include <string_view>

namespace m2s {

// Lower-case hex SHA-256 of `data`.
[[nodiscard]] std::string sha256_hex(std::string_view data);

// RFC 4122 version-5 UUID of `name` in the namespace `namespace_uuid`
// (canonical text form). Lower-case canonical text.
[[nodiscard]] std::string uuid_v5(std::string_view namespace_uuid,
                                  std::string_view name);

// True when `text` is a canonical 8-4-4-4-12 hex UUID (any version).
[[nodiscard]] bool is_canonical_uuid(std::string_view text);

} // namespace m2s
