#pragma once

// --- Content hashes and name-based UUIDs (OpenSSL EVP underneath) ---

#include <memory>
#include <string>
#include <string_view>

namespace m2s {

// Lower-case hex SHA-256 of `data`.
[[nodiscard]] std::string sha256_hex(std::string_view data);

// SHA-256 of data given in pieces, for inputs too large to join first
// (every attribute of a 100,000-attribute event).
class Sha256 {
public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  // Lower-case hex of everything given so far; the hasher starts again.
  [[nodiscard]] std::string hex_digest();

private:
  struct Context;
  std::unique_ptr<Context> m_context;
};

// RFC 4122 version-5 UUID of `name` in the namespace `namespace_uuid`
// (canonical text form). Lower-case canonical text.
[[nodiscard]] std::string uuid_v5(std::string_view namespace_uuid,
                                  std::string_view name);

// True when `text` is a canonical 8-4-4-4-12 hex UUID (any version).
[[nodiscard]] bool is_canonical_uuid(std::string_view text);

} // namespace m2s
