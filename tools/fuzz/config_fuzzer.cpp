// Fuzz target: TOML text -> parse_config.
//
// Properties: only ConfigError escapes; a secret that reached the parser
// through the environment never appears in an error message (unless the
// input itself holds that text); an accepted config has its URLs without
// trailing slashes and every limit inside its documented range.

#include "fuzz_support.hpp"
#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

constexpr const char* k_misp_key = "fuzz-misp-key-0123456789abcdef";
constexpr const char* k_client_secret = "fuzz-client-secret-0123456789";

using m2s::fuzz::check;

void check_accepted(const m2s::Config& config) {
  check(!config.misp.url.empty() && !config.misp.url.ends_with('/'),
        "misp url empty or with a trailing slash");
  check(!config.misp.key.empty(), "accepted config without a MISP key");
  check(!config.sentinel.client_secret.empty(),
        "accepted config without a client secret");
  check(config.sentinel.batch_size >= 1 && config.sentinel.batch_size <= 100,
        "batch_size out of range");
  check(config.misp.page_size >= 1 && config.misp.page_size <= 1000,
        "page_size out of range");
  check(config.limits.retry_budget_seconds >= 0,
        "negative retry budget accepted");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("MISP_KEY", k_misp_key, 1);
  setenv("AZURE_CLIENT_SECRET", k_client_secret, 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    check_accepted(m2s::parse_config(text, "fuzz/misp2sentinel.toml"));
  } catch (const m2s::ConfigError& error) {
    const std::string message = error.what();
    for (const std::string secret : {k_misp_key, k_client_secret}) {
      check(text.find(secret) != std::string::npos
                || message.find(secret) == std::string::npos,
            "a secret is in the error: " + message);
    }
  }
  return 0;
}
