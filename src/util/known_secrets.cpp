#include "misp2sentinel/util/known_secrets.hpp"

#include <algorithm>
#include <mutex>
#include <string_view>
#include <vector>

namespace m2s {

namespace {

constexpr std::string_view k_redacted = "***";

struct Registry {
  std::mutex mutex;
  std::vector<std::string> secrets;
};

// A function-local static: errors can be built during static
// initialisation of other files, before a namespace-scope one would be.
Registry& registry() {
  static Registry instance;
  return instance;
}

} // namespace

void remember_secret(const std::string& secret) {
  if (secret.size() < 4) {
    return;
  }

  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  if (std::find(r.secrets.begin(), r.secrets.end(), secret)
      == r.secrets.end()) {
    r.secrets.push_back(secret);
  }
}

std::string scrub_known_secrets(std::string text) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  for (const std::string& secret : r.secrets) {
    for (auto at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + k_redacted.size())) {
      text.replace(at, secret.size(), k_redacted);
    }
  }
  return text;
}

} // namespace m2s
