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
// one; inet_pton does the parsing. It reads a C string, so a NUL would
// hide whatever follows it.
std::optional<std::string> address_type(const std::string& address) {
  if (address.find('\0') != std::string::npos) {
    return std::nullopt;
  }
  std::array<unsigned char, 16> buffer{};
  if (inet_pton(AF_INET, address.c_str(), buffer.data()) == 1) {
    return "ipv4-addr";
  }
  if (inet_pton(AF_INET6, address.c_str(), buffer.data()) == 1) {
    return "ipv6-addr";
  }
  return std::nullopt;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

bool valid_prefix(std::string_view prefix, int max_bits) {
  if (prefix.size() > 3 || !all_digits(prefix)) {
    return false;
  }
  int bits = 0;
  std::from_chars(prefix.data(), prefix.data() + prefix.size(), bits);
  return bits <= max_bits;
}

bool label_byte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
         || (c >= '0' && c <= '9') || c == '-' || c == '_' || byte >= 0x80;
}

// MISP's own check for domain and hostname values asks for the same: at
// least two labels. Non-ASCII bytes are UTF-8 of an IDN, kept as given.
bool valid_domain(std::string_view name) {
  if (name.empty() || name.size() > 253) {
    return false;
  }
  std::size_t labels = 0;
  std::string_view last;
  while (true) {
    const auto dot = name.find('.');
    const std::string_view label = name.substr(0, dot);
    if (label.empty() || label.size() > 63
        || !std::all_of(label.begin(), label.end(), label_byte)) {
      return false;
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) {
      break;
    }
    name.remove_prefix(dot + 1);
  }
  return labels >= 2 && !all_digits(last);
}

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

// The host of "<authority>" (user info and port removed): a domain name,
// an IPv4 address or a bracketed IPv6 address.
bool valid_authority(std::string_view authority) {
  const auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }

  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return false;
    }
    const std::string address(authority.substr(1, close - 1));
    const std::string_view rest = authority.substr(close + 1);
    const bool port_ok =
        rest.empty() || (rest.front() == ':' && all_digits(rest.substr(1)));
    return port_ok && address_type(address) == "ipv6-addr";
  }

  const auto colon = authority.find(':');
  if (colon != std::string_view::npos
      && !all_digits(authority.substr(colon + 1))) {
    return false;
  }
  const std::string host(authority.substr(0, colon));
  return address_type(host) == "ipv4-addr" || valid_domain(host);
}

// "<scheme>://<authority><rest>" with a plausible scheme and host. The
// rest is kept as given, spaces included: it is what the analyst saw.
bool valid_absolute_url(std::string_view url) {
  const auto separator = url.find("://");
  if (separator == std::string_view::npos || separator == 0
      || has_control(url)) {
    return false;
  }
  const std::string_view scheme = url.substr(0, separator);
  const bool scheme_ok = std::all_of(scheme.begin(), scheme.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
  });
  const std::string_view after = url.substr(separator + 3);
  const std::string_view authority =
      after.substr(0, after.find_first_of("/?#"));
  return scheme_ok && !has_ascii_space(authority) && valid_authority(authority);
}

// Trimmed, non-empty and free of control characters.
bool plain_text(std::string_view value) {
  return !value.empty() && trim_ascii(value).size() == value.size()
         && !has_control(value);
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
  if (!valid_domain(value)) {
    return std::nullopt;
  }
  return Observable{"domain-name", "value", std::string(value)};
}

bool has_url_scheme(std::string_view value) {
  return value.find("://") != std::string_view::npos;
}

std::optional<Observable> url_observable(std::string_view value) {
  // Sentinel matches full URLs; a bare "host/path" is what a browser would
  // fetch over http.
  std::string url(value);
  if (!has_url_scheme(url)) {
    url.insert(0, "http://");
  }
  if (!valid_absolute_url(url)) {
    return std::nullopt;
  }
  return Observable{"url", "value", std::move(url)};
}

std::optional<Observable> absolute_url_observable(std::string_view value) {
  if (!valid_absolute_url(value)) {
    return std::nullopt;
  }
  return Observable{"url", "value", std::string(value)};
}

std::optional<Observable> email_observable(std::string_view value) {
  const auto at = value.find('@');
  if (at == std::string_view::npos || at == 0 || has_ascii_space(value)
      || has_control(value) || !valid_domain(value.substr(at + 1))) {
    return std::nullopt;
  }
  return Observable{"email-addr", "value", std::string(value)};
}

std::optional<Observable> filename_observable(std::string_view value) {
  // A NUL or a newline inside a name is no file Sentinel will ever see.
  if (!plain_text(value)) {
    return std::nullopt;
  }
  return Observable{"file", "name", std::string(value)};
}

std::optional<Observable> registry_key_observable(std::string_view value) {
  const auto first = value.find('\\');
  if (!plain_text(value) || first == 0 || first == std::string_view::npos
      || value.find("\\\\") != std::string_view::npos) {
    return std::nullopt;
  }
  return Observable{"windows-registry-key", "key", std::string(value)};
}

std::optional<Observable> account_login_observable(std::string_view value) {
  if (!plain_text(value)) {
    return std::nullopt;
  }
  return Observable{"user-account", "account_login", std::string(value)};
}

std::optional<Observable> user_id_observable(std::string_view value) {
  if (!plain_text(value)) {
    return std::nullopt;
  }
  return Observable{"user-account", "user_id", std::string(value)};
}

} // namespace m2s::stix
