#include "check_advice.hpp"

#include <curl/curl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace m2s {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const std::string k_url = "https://misp.example.org/";

SentinelConfig sentinel() {
  SentinelConfig config;
  config.tenant_id = "tenant-1";
  config.client_id = "app-1";
  return config;
}

TEST(TransportAdvice, UnverifiedCertificatePointsAtCaFile) {
  const TransportError error(
      "GET https://misp.example.org/servers/getVersion failed: SSL "
      "certificate problem: self-signed certificate",
      CURLE_PEER_FAILED_VERIFICATION,
      false);

  const std::string advice = transport_advice(error, "[misp]", k_url);

  EXPECT_THAT(advice, HasSubstr("TLS with " + k_url));
  EXPECT_THAT(advice, HasSubstr("[misp] ca_file"));
  EXPECT_THAT(advice, HasSubstr("self-signed certificate"));
}

TEST(TransportAdvice, UnreadableCaFileIsATlsFailure) {
  const TransportError error(
      "problem with the CA file", CURLE_SSL_CACERT_BADFILE, false);

  EXPECT_THAT(transport_advice(error, "[sentinel]", k_url),
              HasSubstr("[sentinel] ca_file"));
}

TEST(TransportAdvice, TimeoutPointsAtTimeoutSeconds) {
  const TransportError error("GET x timed out", CURLE_OPERATION_TIMEDOUT, true);

  const std::string advice = transport_advice(error, "[misp]", k_url);

  EXPECT_THAT(advice, HasSubstr("[misp] timeout_seconds"));
  EXPECT_THAT(advice, Not(HasSubstr("ca_file")));
}

TEST(TransportAdvice, RefusedConnectionPointsAtTheUrl) {
  const TransportError error(
      "GET x failed: Connection refused", CURLE_COULDNT_CONNECT, false);

  const std::string advice = transport_advice(error, "[misp]", k_url);

  EXPECT_THAT(advice, HasSubstr("cannot reach " + k_url));
  EXPECT_THAT(advice, HasSubstr("[misp] url"));
  EXPECT_THAT(advice, HasSubstr("Connection refused"));
}

TEST(TokenAdvice, UnknownCodeAddsNothing) {
  EXPECT_THAT(
      token_advice("failed (400 x): something (AADSTS12345)", sentinel()),
      IsEmpty());
  // A longer code is not taken for a known one it starts with.
  EXPECT_THAT(token_advice("failed: (AADSTS70002150)", sentinel()), IsEmpty());
}

TEST(TokenAdvice, EachKnownCodeNamesItsSetting) {
  EXPECT_THAT(token_advice("tenant not found (AADSTS90002)", sentinel()),
              HasSubstr("[sentinel] tenant_id"));
  EXPECT_THAT(token_advice("not a valid tenant (AADSTS900023)", sentinel()),
              HasSubstr("[sentinel] tenant_id"));
  EXPECT_THAT(token_advice("application not found (AADSTS700016)", sentinel()),
              HasSubstr("[sentinel] client_id"));
  EXPECT_THAT(token_advice("application not found (AADSTS700016)", sentinel()),
              HasSubstr("tenant-1"));
  EXPECT_THAT(token_advice("secret is wrong (AADSTS7000215)", sentinel()),
              HasSubstr("client_secret_env"));
  EXPECT_THAT(token_advice("secret has expired (AADSTS7000222)", sentinel()),
              HasSubstr("new client secret"));
  EXPECT_THAT(token_advice("bad scope (AADSTS70011)", sentinel()),
              HasSubstr("[sentinel] scope"));
}

TEST(TokenAdvice, UnreachableLoginEndpoint) {
  EXPECT_THAT(token_advice("Entra ID token request for tenant t could not "
                           "reach https://login/: SSL certificate problem",
                           sentinel()),
              HasSubstr("[sentinel] ca_file"));
  EXPECT_THAT(token_advice("Entra ID token request for tenant t could not "
                           "reach https://login/: Connection refused",
                           sentinel()),
              HasSubstr("[sentinel] login_url"));
}

} // namespace
} // namespace m2s
