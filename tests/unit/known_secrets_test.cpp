// The process-wide guard: an error quoting any secret the process holds
// shows "***" instead, whichever service the text came from.

#include "misp2sentinel/util/known_secrets.hpp"

#include "misp2sentinel/util/errors.hpp"

#include <gtest/gtest.h>

#include <string>

namespace m2s {
namespace {

TEST(KnownSecrets, ErrorsAreScrubbedOfEverySecretHeld) {
  remember_secret("misp-key-for-the-known-secrets-test");
  remember_secret("client-secret-for-the-known-secrets-test");

  const SentinelError error(
      "Entra ID said: bad secret client-secret-for-the-known-secrets-test "
      "(header was misp-key-for-the-known-secrets-test)");

  EXPECT_STREQ(error.what(), "Entra ID said: bad secret *** (header was ***)");
}

TEST(KnownSecrets, EveryOccurrenceIsReplaced) {
  remember_secret("tok-123456");

  EXPECT_EQ(scrub_known_secrets("tok-123456tok-123456 and tok-123456"),
            "****** and ***");
}

TEST(KnownSecrets, OnlyTheNewestTokensAreKept) {
  remember_secret("long-lived-key-kept-for-good");
  for (int i = 0; i < 10; ++i) {
    remember_short_lived_secret("bearer-token-number-" + std::to_string(i));
  }

  EXPECT_EQ(scrub_known_secrets("bearer-token-number-9"), "***");
  EXPECT_EQ(scrub_known_secrets("bearer-token-number-6"), "***");
  EXPECT_EQ(scrub_known_secrets("bearer-token-number-5"),
            "bearer-token-number-5");
  EXPECT_EQ(scrub_known_secrets("long-lived-key-kept-for-good"), "***");
}

TEST(KnownSecrets, VeryShortSecretsAreLeftAlone) {
  remember_secret("abc");

  EXPECT_EQ(scrub_known_secrets("abc defabc"), "abc defabc");
}

} // namespace
} // namespace m2s
