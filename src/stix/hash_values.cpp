#include "observable_values.hpp"
#include "text.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>

namespace m2s::stix {

namespace {

enum class Shape {
  hex,    // a plain digest of `hex_length` hex digits
  ssdeep, // "<block size>:<hash>:<hash>"
  tlsh,   // 70 or 134 hex digits, optionally after "T1"
  vhash,  // VirusTotal's similarity hash: letters and digits
};

struct HashShape {
  std::string_view stix_key; // as written after "hashes.", quoted if needed
  Shape shape;
  std::size_t hex_length; // for Shape::hex
};

// STIX 2.1 names where the hash-algorithm vocabulary has one, misp-stix's
// upper-cased MISP names otherwise. SHA-512/224 and SHA-512/256 keep their
// own names: misp-stix writes SHA-224 and SHA-256, which are other
// algorithms and would never match.
HashShape shape_of(HashAlgorithm algorithm) {
  switch (algorithm) {
  case HashAlgorithm::md5:
    return {"MD5", Shape::hex, 32};
  case HashAlgorithm::sha1:
    return {"'SHA-1'", Shape::hex, 40};
  case HashAlgorithm::sha224:
    return {"'SHA-224'", Shape::hex, 56};
  case HashAlgorithm::sha256:
    return {"'SHA-256'", Shape::hex, 64};
  case HashAlgorithm::sha384:
    return {"'SHA-384'", Shape::hex, 96};
  case HashAlgorithm::sha512:
    return {"'SHA-512'", Shape::hex, 128};
  case HashAlgorithm::sha512_224:
    return {"'SHA-512/224'", Shape::hex, 56};
  case HashAlgorithm::sha512_256:
    return {"'SHA-512/256'", Shape::hex, 64};
  case HashAlgorithm::sha3_224:
    return {"'SHA3-224'", Shape::hex, 56};
  case HashAlgorithm::sha3_256:
    return {"'SHA3-256'", Shape::hex, 64};
  case HashAlgorithm::sha3_384:
    return {"'SHA3-384'", Shape::hex, 96};
  case HashAlgorithm::sha3_512:
    return {"'SHA3-512'", Shape::hex, 128};
  case HashAlgorithm::ssdeep:
    return {"SSDEEP", Shape::ssdeep, 0};
  case HashAlgorithm::tlsh:
    return {"TLSH", Shape::tlsh, 0};
  case HashAlgorithm::imphash:
    return {"IMPHASH", Shape::hex, 32};
  case HashAlgorithm::authentihash:
    return {"AUTHENTIHASH", Shape::hex, 64};
  case HashAlgorithm::pehash:
    return {"PEHASH", Shape::hex, 40};
  case HashAlgorithm::vhash:
    return {"VHASH", Shape::vhash, 0};
  case HashAlgorithm::telfhash:
    return {"TELFHASH", Shape::tlsh, 0};
  case HashAlgorithm::impfuzzy:
    return {"IMPFUZZY", Shape::ssdeep, 0};
  case HashAlgorithm::cdhash:
    return {"CDHASH", Shape::hex, 40};
  }
  return {"", Shape::hex, 0};
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

// VirusTotal documents no fixed length; its values are short runs of
// letters and digits ("115056655d15151138z66hz1021z55z66z3").
bool valid_vhash(std::string_view value) {
  return !value.empty() && value.size() <= 256
         && std::all_of(value.begin(), value.end(), [](char c) {
              return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
                     || (c >= 'A' && c <= 'Z');
            });
}

bool valid_shape(const HashShape& shape, std::string_view value) {
  switch (shape.shape) {
  case Shape::hex:
    return value.size() == shape.hex_length && is_hex(value);
  case Shape::ssdeep:
    return valid_ssdeep(value);
  case Shape::tlsh:
    return valid_tlsh(value);
  case Shape::vhash:
    return valid_vhash(value);
  }
  return false;
}

} // namespace

std::optional<Observable> hash_observable(HashAlgorithm algorithm,
                                          std::string_view value) {
  const HashShape shape = shape_of(algorithm);
  if (!valid_shape(shape, value)) {
    return std::nullopt;
  }

  std::string path = "hashes." + std::string(shape.stix_key);
  if (shape.shape == Shape::hex) {
    return Observable{"file", std::move(path), to_lower_ascii(value)};
  }
  return Observable{"file", std::move(path), std::string(value)};
}

} // namespace m2s::stix
