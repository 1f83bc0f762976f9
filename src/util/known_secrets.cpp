#include "misp2sentinel/util/known_secrets.hpp"

#include <algorithm>
#include <deque>
#include <mutex>
#include <string_view>

namespace m2s {

namespace {

constexpr std::string_view k_redacted = "***";

// Bearer tokens kept: the current one and a few before it, which a
// server's late answer might still quote.
constexpr std::size_t k_short_lived_kept = 4;

struct Registry {
  std::mutex mutex;
  std::deque<std::string> secrets;
  std::deque<std::string> short_lived;
};

// A function-local static: errors can be built during static
// initialisation of other files, before a namespace-scope one would be.
Registry& registry() {
  static Registry instance;
  return instance;
}

// Add `secret` to `list` once; keep at most `limit` newest entries.
void remember_in(std::deque<std::string>& list,
                 const std::string& secret,
                 std::size_t limit) {
  if (secret.size() < 4
      || std::find(list.begin(), list.end(), secret) != list.end()) {
    return;
  }
  list.push_back(secret);
  if (list.size() > limit) {
    list.pop_front();
  }
}

} // namespace

std::string scrub_secret(std::string text, const std::string& secret) {
  if (secret.size() < 4) {
    return text;
  }

  for (auto at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + k_redacted.size())) {
    text.replace(at, secret.size(), k_redacted);
  }
  return text;
}

void remember_secret(const std::string& secret) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  remember_in(r.secrets, secret, r.secrets.max_size());
}

void remember_short_lived_secret(const std::string& secret) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  remember_in(r.short_lived, secret, k_short_lived_kept);
}

std::string scrub_known_secrets(std::string text) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  for (const auto* list : {&r.secrets, &r.short_lived}) {
    for (const std::string& secret : *list) {
      text = scrub_secret(std::move(text), secret);
    }
  }
  return text;
}

} // namespace m2s
