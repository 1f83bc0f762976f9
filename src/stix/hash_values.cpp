#include "observable_values.hpp"
#include "text.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>

namespace m2s::stix {

namespace {

struct HashShape {
  std::string_view stix_key; // as written after "hashes.", quoted if needed
  std::size_t hex_length;    // 0: not a plain hex digest
};

HashShape shape_of(HashAlgorithm algorithm) {
  switch (algorithm) {
  case HashAlgorithm::md5:
    return {"MD5", 32};
  case HashAlgorithm::sha1:
    return {"'SHA-1'", 40};
  case HashAlgorithm::sha224:
    return {"'SHA-224'", 56};
  case HashAlgorithm::sha256:
    return {"'SHA-256'", 64};
  case HashAlgorithm::sha384:
    return {"'SHA-384'", 96};
  case HashAlgorithm::sha512:
    return {"'SHA-512'", 128};
  case HashAlgorithm::sha3_256:
    return {"'SHA3-256'", 64};
  case HashAlgorithm::sha3_512:
    return {"'SHA3-512'", 128};
  case HashAlgorithm::ssdeep:
    return {"SSDEEP", 0};
  case HashAlgorithm::tlsh:
    return {"TLSH", 0};
  }
  return {"", 0};
}

// "<block size>:<hash>:<hash>", as ssdeep prints it.
bool valid_ssdeep(std::string_view value) {
  const auto first = value.find(':');
  const auto second = value.find(':', first + 1);
  if (first == std::string_view::npos || first == 0
      || second == std::string_view::npos || second == first + 1
      || second + 1 == value.size() || has_ascii_space(value)
      || value.find(':', second + 1) != std::string_view::npos) {
    return false;
  }
  const auto block_size = value.substr(0, first);
  return std::all_of(block_size.begin(), block_size.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

// 70 hex digits (134 for the 256-bucket variant), optionally after the
// "T1" version prefix of TLSH 4.
bool valid_tlsh(std::string_view value) {
  if (value.size() > 2 && (value[0] == 'T' || value[0] == 't')
      && value[1] == '1') {
    value.remove_prefix(2);
  }
  return (value.size() == 70 || value.size() == 134) && is_hex(value);
}

} // namespace

std::optional<Observable> hash_observable(HashAlgorithm algorithm,
                                          std::string_view value) {
  const HashShape shape = shape_of(algorithm);
  std::string path = "hashes." + std::string(shape.stix_key);

  if (shape.hex_length != 0) {
    if (value.size() != shape.hex_length || !is_hex(value)) {
      return std::nullopt;
    }
    return Observable{"file", std::move(path), to_lower_ascii(value)};
  }

  const bool valid = algorithm == HashAlgorithm::ssdeep ? valid_ssdeep(value)
                                                        : valid_tlsh(value);
  if (!valid) {
    return std::nullopt;
  }
  return Observable{"file", std::move(path), std::string(value)};
}

} // namespace m2s::stix
