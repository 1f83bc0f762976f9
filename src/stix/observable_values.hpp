#pragma once

// --- MISP values -> STIX observables, one function per kind ---
//
// Each function takes one (already trimmed) value and returns the observable
// it stands for, normalised, or nullopt when the value is not a valid one of
// that kind. The pattern is built from the result by `build_pattern`.

#include <optional>
#include <string>
#include <string_view>

namespace m2s::stix {

struct Observable {
  std::string type;  // STIX cyber-observable type: "ipv4-addr", "file", ...
  std::string path;  // property path within it: "value", "hashes.'SHA-1'"
  std::string value; // normalised, unescaped
};

enum class HashAlgorithm {
  md5,
  sha1,
  sha224,
  sha256,
  sha384,
  sha512,
  sha3_256,
  sha3_512,
  ssdeep,
  tlsh,
};

// IPv4 or IPv6 address, optionally "/prefix" with the prefix in range; kept
// as given. The type follows the address family.
[[nodiscard]] std::optional<Observable> ip_observable(std::string_view value);

// Domain or host name, kept as given (IDN included); no whitespace.
[[nodiscard]] std::optional<Observable>
domain_observable(std::string_view value);

// URL; "http://" is prepended when the value has no "://".
[[nodiscard]] std::optional<Observable> url_observable(std::string_view value);

// E-mail address: exactly one '@' with text on both sides, no whitespace.
[[nodiscard]] std::optional<Observable>
email_observable(std::string_view value);

// File name: anything but empty.
[[nodiscard]] std::optional<Observable>
filename_observable(std::string_view value);

// File hash: hex of the algorithm's length, lower-cased; SSDEEP and TLSH
// are checked for their own shapes and kept as given.
[[nodiscard]] std::optional<Observable> hash_observable(HashAlgorithm algorithm,
                                                        std::string_view value);

} // namespace m2s::stix
