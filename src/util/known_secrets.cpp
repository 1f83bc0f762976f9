#include "misp2sentinel/util/known_secrets.hpp"

#include <algorithm>
#include <deque>
#include <mutex>
#include <string_view>
#include <vector>

namespace m2s {

namespace {

constexpr std::string_view k_redacted = "***";

// Bearer tokens kept: the current one and a few before it, which a
// server's late answer might still quote.
constexpr std::size_t k_short_lived_kept = 4;

struct Registry {
  std::mutex mutex;
  std::vector<std::string> secrets;
  std::deque<std::string> short_lived;
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

void remember_short_lived_secret(const std::string& secret) {
  if (secret.size() < 4) {
    return;
  }

  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  if (std::find(r.short_lived.begin(), r.short_lived.end(), secret)
      != r.short_lived.end()) {
    return;
  }
  r.short_lived.push_back(secret);
  if (r.short_lived.size() > k_short_lived_kept) {
    r.short_lived.pop_front();
  }
}

namespace {

void scrub(std::string& text, const std::string& secret) {
  for (auto at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + k_redacted.size())) {
    text.replace(at, secret.size(), k_redacted);
  }
}

} // namespace

std::string scrub_known_secrets(std::string text) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  for (const std::string& secret : r.secrets) {
    scrub(text, secret);
  }
  for (const std::string& secret : r.short_lived) {
    scrub(text, secret);
  }
  return text;
}

} // namespace m2s
