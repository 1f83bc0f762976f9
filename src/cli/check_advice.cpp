#include "check_advice.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <utility>

namespace m2s {

namespace {

bool is_tls_failure(int curl_code) {
  constexpr std::array k_tls_codes = {CURLE_SSL_CONNECT_ERROR,
                                      CURLE_PEER_FAILED_VERIFICATION,
                                      CURLE_SSL_CERTPROBLEM,
                                      CURLE_SSL_CIPHER,
                                      CURLE_SSL_CACERT_BADFILE,
                                      CURLE_SSL_CRL_BADFILE,
                                      CURLE_SSL_ISSUER_ERROR,
                                      CURLE_SSL_PINNEDPUBKEYNOTMATCH,
                                      CURLE_SSL_INVALIDCERTSTATUS,
                                      CURLE_SSL_SHUTDOWN_FAILED,
                                      CURLE_SSL_ENGINE_NOTFOUND,
                                      CURLE_SSL_ENGINE_SETFAILED,
                                      CURLE_USE_SSL_FAILED};
  return std::any_of(k_tls_codes.begin(), k_tls_codes.end(), [&](auto code) {
    return static_cast<int>(code) == curl_code;
  });
}

bool contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

} // namespace

std::string transport_advice(const TransportError& error,
                             const std::string& section,
                             const std::string& url) {
  const std::string what = error.what();
  if (is_tls_failure(error.curl_code())) {
    return "TLS with " + url + " failed (" + what + "); if its certificate "
           + "comes from a private CA or a TLS-inspecting proxy, set " + section
           + " ca_file to that CA's PEM file; if the port speaks "
           + "plain HTTP, check that " + section + " url is right";
  }
  if (error.timed_out()) {
    return "no answer from " + url + " in time (" + what + "); check " + section
           + " url, the firewall and any proxy, or raise " + section
           + " timeout_seconds";
  }
  return "cannot reach " + url + " (" + what + "); check " + section
         + " url (host and port), that the service is up, and any proxy "
           "(HTTPS_PROXY, NO_PROXY)";
}

std::string token_advice(const std::string& message,
                         const SentinelConfig& config) {
  // The codes Entra answers for the settings a user gets wrong.
  const std::pair<const char*, std::string> fixes[] = {
      {"AADSTS90002",
       "fix [sentinel] tenant_id (Entra ID > Overview > Tenant ID)"},
      {"AADSTS900023",
       "fix [sentinel] tenant_id (Entra ID > Overview > Tenant ID)"},
      {"AADSTS700016",
       "fix [sentinel] client_id (the app registration's Application "
       "(client) ID), and check that the app lives in tenant "
           + config.tenant_id},
      {"AADSTS7000215",
       "put the secret's Value (not its Secret ID) in the variable "
       "[sentinel] client_secret_env names, or the file client_secret_file "
       "names"},
      {"AADSTS7000222",
       "create a new client secret (app registration > Certificates & "
       "secrets) and put its Value where client_secret_env or "
       "client_secret_file points"},
      {"AADSTS70011", "fix [sentinel] scope"},
      {"AADSTS500011", "fix [sentinel] scope"},
      {"AADSTS1002012", "fix [sentinel] scope: it must end in /.default"},
  };
  for (const auto& [code, fix] : fixes) {
    // "AADSTS7000215" must not match "AADSTS70002150...": codes end at ")"
    // or ":" in Entra's text and in ours.
    const std::string needle = code;
    const auto at = message.find(needle);
    if (at != std::string::npos) {
      const auto after = at + needle.size();
      if (after >= message.size() || message[after] < '0'
          || message[after] > '9') {
        return "; " + fix;
      }
    }
  }

  if (contains(message, "could not reach")) {
    if (contains(message, "SSL") || contains(message, "certificate")) {
      return "; if the login endpoint's certificate comes from a private "
             "CA or a TLS-inspecting proxy, set [sentinel] ca_file to that "
             "CA's PEM file";
    }
    return "; check [sentinel] login_url and any proxy (HTTPS_PROXY)";
  }
  return "";
}

} // namespace m2s
