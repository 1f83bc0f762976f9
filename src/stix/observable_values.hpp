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

// Every file hash MISP has an attribute type for.
enum class HashAlgorithm {
  md5,
  sha1,
  sha224,
  sha256,
  sha384,
  sha512,
  sha512_224,
  sha512_256,
  sha3_224,
  sha3_256,
  sha3_384,
  sha3_512,
  ssdeep,
  tlsh,
  imphash,
  authentihash,
  pehash,
  vhash,
  telfhash,
  impfuzzy,
  cdhash,
};

// IPv4 or IPv6 address, optionally "/prefix" with the prefix in range; kept
// as given. The type follows the address family.
[[nodiscard]] std::optional<Observable> ip_observable(std::string_view value);

// Domain or host name, kept as given (IDN included): two or more
// dot-separated labels of ASCII letters, digits, '-', '_' or non-ASCII
// bytes, the last one not all digits.
[[nodiscard]] std::optional<Observable>
domain_observable(std::string_view value);

// URL; "http://" is prepended when the value has no "://". The host must
// be a domain name (as above), an IPv4 address or a bracketed IPv6 one.
[[nodiscard]] std::optional<Observable> url_observable(std::string_view value);

// Like url_observable, but the value must already be absolute
// ("<scheme>://<host>..."); used for `uri` and `link`, whose values are
// often relative paths or references.
[[nodiscard]] std::optional<Observable>
absolute_url_observable(std::string_view value);

// True when `value` has the "<scheme>://" prefix absolute_url_observable
// asks for (whether or not the rest is valid).
[[nodiscard]] bool has_url_scheme(std::string_view value);

// E-mail address: exactly one '@' with text before it and a domain name
// (as above) after it, no whitespace.
[[nodiscard]] std::optional<Observable>
email_observable(std::string_view value);

// File name: not empty, no control characters (NUL, newline, ...).
[[nodiscard]] std::optional<Observable>
filename_observable(std::string_view value);

// File hash: hex of the algorithm's length, lower-cased; SSDEEP, IMPFUZZY,
// TLSH, TELFHASH and VHASH are checked for their own shapes and kept as
// given.
[[nodiscard]] std::optional<Observable> hash_observable(HashAlgorithm algorithm,
                                                        std::string_view value);

// Windows registry key path, kept as given: at least one '\' between
// non-empty parts (a trailing '\' is allowed), no control characters.
[[nodiscard]] std::optional<Observable>
registry_key_observable(std::string_view value);

// User account login name (`user-account:account_login`) or numeric or
// textual id (`user-account:user_id`): anything without control characters
// or surrounding space.
[[nodiscard]] std::optional<Observable>
account_login_observable(std::string_view value);
[[nodiscard]] std::optional<Observable>
user_id_observable(std::string_view value);

} // namespace m2s::stix
