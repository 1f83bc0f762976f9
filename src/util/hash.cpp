#include "misp2sentinel/util/hash.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>
#include <string>

namespace m2s {

namespace {

constexpr std::string_view k_hex_digits = "0123456789abcdef";

// Byte offsets of the dashes in the canonical 8-4-4-4-12 form.
constexpr std::array<std::size_t, 4> k_uuid_dashes = {8, 13, 18, 23};
constexpr std::size_t k_uuid_text_size = 36;

// EVP_sha256() makes OpenSSL 3 look the algorithm up again on every
// digest, which cost a sync more than hashing its records did; fetched
// once, it is looked up once. Kept for the life of the process.
const EVP_MD* fetched(const char* name) {
  const EVP_MD* algorithm = EVP_MD_fetch(nullptr, name, nullptr);
  if (algorithm == nullptr) {
    throw std::runtime_error(std::string("OpenSSL has no ") + name);
  }
  return algorithm;
}

std::string digest(std::string_view data, const EVP_MD* algorithm) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  if (EVP_Digest(
          data.data(), data.size(), out.data(), &size, algorithm, nullptr)
      != 1) {
    throw std::runtime_error("OpenSSL EVP_Digest failed");
  }
  return std::string(reinterpret_cast<const char*>(out.data()), size);
}

std::string to_hex(std::string_view bytes) {
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const char byte : bytes) {
    const auto value = static_cast<unsigned char>(byte);
    hex += k_hex_digits[value >> 4U];
    hex += k_hex_digits[value & 0x0FU];
  }
  return hex;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool is_dash_position(std::size_t index) {
  for (const std::size_t dash : k_uuid_dashes) {
    if (index == dash) {
      return true;
    }
  }
  return false;
}

// The 16 bytes of a canonical UUID text; the caller checked the form.
std::string uuid_bytes(std::string_view text) {
  std::string bytes;
  bytes.reserve(16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_dash_position(i)) {
      continue;
    }
    const int high = hex_value(text[i]);
    const int low = hex_value(text[++i]);
    bytes += static_cast<char>(high * 16 + low);
  }
  return bytes;
}

std::string format_uuid(std::string_view bytes) {
  std::string text = to_hex(bytes.substr(0, 16));
  for (const std::size_t dash : k_uuid_dashes) {
    text.insert(dash, 1, '-');
  }
  return text;
}

const EVP_MD* sha256_algorithm() {
  static const EVP_MD* const sha256 = fetched("SHA256");
  return sha256;
}

} // namespace

std::string sha256_hex(std::string_view data) {
  // EVP_Digest makes and frees a context per call, which cost more than
  // hashing a record; one context per thread is set up once.
  thread_local Sha256 hasher;
  hasher.update(data);
  return hasher.hex_digest();
}

struct Sha256::Context {
  EVP_MD_CTX* context = EVP_MD_CTX_new();

  Context() {
    if (context == nullptr) {
      throw std::runtime_error("OpenSSL EVP_MD_CTX_new failed");
    }
    start();
  }

  ~Context() {
    EVP_MD_CTX_free(context);
  }

  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  void start() {
    if (EVP_DigestInit_ex(context, sha256_algorithm(), nullptr) != 1) {
      throw std::runtime_error("OpenSSL EVP_DigestInit_ex failed");
    }
  }
};

Sha256::Sha256()
    : m_context(std::make_unique<Context>()) {}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view data) {
  if (EVP_DigestUpdate(m_context->context, data.data(), data.size()) != 1) {
    throw std::runtime_error("OpenSSL EVP_DigestUpdate failed");
  }
}

std::string Sha256::hex_digest() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(m_context->context, out.data(), &size) != 1) {
    throw std::runtime_error("OpenSSL EVP_DigestFinal_ex failed");
  }
  m_context->start();
  return to_hex(
      std::string_view(reinterpret_cast<const char*>(out.data()), size));
}

bool is_canonical_uuid(std::string_view text) {
  if (text.size() != k_uuid_text_size) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool valid =
        is_dash_position(i) ? text[i] == '-' : hex_value(text[i]) >= 0;
    if (!valid) {
      return false;
    }
  }
  return true;
}

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
  if (!is_canonical_uuid(namespace_uuid)) {
    throw std::invalid_argument("uuid_v5: namespace is not a canonical UUID: "
                                + std::string(namespace_uuid));
  }

  std::string input = uuid_bytes(namespace_uuid);
  input.append(name);
  static const EVP_MD* const sha1 = fetched("SHA1");
  std::string bytes = digest(input, sha1);

  // RFC 4122 section 4.3: version 5 in the high nibble of byte 6, variant
  // 10xx in the high bits of byte 8.
  bytes[6] =
      static_cast<char>((static_cast<unsigned char>(bytes[6]) & 0x0FU) | 0x50U);
  bytes[8] =
      static_cast<char>((static_cast<unsigned char>(bytes[8]) & 0x3FU) | 0x80U);
  return format_uuid(bytes);
}

} // namespace m2s
