#include "observable_values.hpp"

#include "text.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace m2s::stix {

namespace {

// The address family of `address` ("ipv4-addr" / "ipv6-addr"), if it is
// one; inet_pton does the parsing.
std::optional<std::string> address_type(const std::string& address) {
  std::array<unsigned char, 16> buffer{};
  if (inet_pton(AF_INET, address.c_str(), buffer.data()) == 1) {
    return "ipv4-addr";
  }
  if (inet_pton(AF_INET6, address.c_str(), buffer.data()) == 1) {
    return "ipv6-addr";
  }
  return std::nullopt;
}

bool valid_prefix(std::string_view prefix, int max_bits) {
  if (prefix.empty() || prefix.size() > 3
      || !std::all_of(prefix.begin(), prefix.end(), [](char c) {
           return c >= '0' && c <= '9';
         })) {
    return false;
  }
  int bits = 0;
  std::from_chars(prefix.data(), prefix.data() + prefix.size(), bits);
  return bits <= max_bits;
}

} // namespace

std::optional<Observable> ip_observable(std::string_view value) {
  const auto slash = value.find('/');
  const std::string address(value.substr(0, slash));
  auto type = address_type(address);
  if (!type) {
    return std::nullopt;
  }

  if (slash != std::string_view::npos) {
    const int max_bits = *type == "ipv4-addr" ? 32 : 128;
    if (!valid_prefix(value.substr(slash + 1), max_bits)) {
      return std::nullopt;
    }
  }
  return Observable{std::move(*type), "value", std::string(value)};
}

std::optional<Observable> domain_observable(std::string_view value) {
  if (value.empty() || has_ascii_space(value)) {
    return std::nullopt;
  }
  return Observable{"domain-name", "value", std::string(value)};
}

std::optional<Observable> url_observable(std::string_view value) {
  if (value.empty()) {
    return std::nullopt;
  }

  // Sentinel matches full URLs; a bare "host/path" is what a browser would
  // fetch over http.
  std::string url(value);
  if (url.find("://") == std::string::npos) {
    url.insert(0, "http://");
  }
  return Observable{"url", "value", std::move(url)};
}

std::optional<Observable> email_observable(std::string_view value) {
  const auto at = value.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == value.size()
      || value.find('@', at + 1) != std::string_view::npos
      || has_ascii_space(value)) {
    return std::nullopt;
  }
  return Observable{"email-addr", "value", std::string(value)};
}

std::optional<Observable> filename_observable(std::string_view value) {
  if (value.empty()) {
    return std::nullopt;
  }
  return Observable{"file", "name", std::string(value)};
}

} // namespace m2s::stix
