#include "misp2sentinel/sentinel/token_cache.hpp"

#include "misp2sentinel/util/errors.hpp"
#include "misp2sentinel/util/known_secrets.hpp"
#include "misp2sentinel/util/termination.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <cstdint>
#include <optional>
#include <utility>

namespace m2s {

namespace {

// A token is renewed once less than this remains, so no request starts
// with a token that could expire in flight.
constexpr std::chrono::minutes k_refresh_margin{5};

struct EntraFailure {
  std::string error;       // e.g. "invalid_client"
  std::string description; // first line of error_description
  std::int64_t code = 0;   // first of error_codes; 0 when absent
};

std::string first_line(const std::string& text) {
  return text.substr(0, text.find_first_of("\r\n"));
}

std::string string_at(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) {
    return {};
  }
  return std::string(value->get_string());
}

// Entra writes numbers as numbers, older endpoints as strings.
std::optional<std::int64_t> as_integer(const boost::json::value& value) {
  if (value.is_int64()) {
    return value.get_int64();
  }
  if (value.is_uint64()) {
    return static_cast<std::int64_t>(value.get_uint64());
  }
  if (value.is_double() && value.get_double() > -9e18
      && value.get_double() < 9e18) {
    return static_cast<std::int64_t>(value.get_double());
  }
  if (value.is_string()) {
    try {
      return std::stoll(std::string(value.get_string()));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<boost::json::object> parse_object(const std::string& body) {
  boost::system::error_code error;
  auto value = boost::json::parse(body, error);
  if (error || !value.is_object()) {
    return std::nullopt;
  }
  return std::move(value.as_object());
}

std::optional<EntraFailure> parse_failure(const std::string& body) {
  const auto object = parse_object(body);
  if (!object) {
    return std::nullopt;
  }

  EntraFailure failure;
  failure.error = string_at(*object, "error");
  failure.description = first_line(string_at(*object, "error_description"));
  if (const auto* codes = object->if_contains("error_codes");
      codes != nullptr && codes->is_array() && !codes->get_array().empty()) {
    failure.code = as_integer(codes->get_array().front()).value_or(0);
  }

  if (failure.error.empty() && failure.description.empty()) {
    return std::nullopt;
  }
  return failure;
}

// What the user should fix, for the codes a misconfiguration produces.
std::string explain(const EntraFailure& failure, const SentinelConfig& config) {
  const std::string code = " (AADSTS" + std::to_string(failure.code) + ")";

  switch (failure.code) {
  case 7000215:
    return "the client secret is wrong or expired" + code;
  case 7000222:
    return "the client secret has expired: create a new one" + code;
  case 90002:
    return "tenant not found" + code;
  case 900023:
    return "the tenant id is not a valid tenant" + code;
  case 700016:
    return "application " + config.client_id + " not found in the tenant"
           + code;
  case 70011:
    return "the scope " + config.scope + " is not valid" + code;
  case 500011:
    return "the resource of scope " + config.scope
           + " does not exist in the tenant" + code;
  default:
    break;
  }

  if (!failure.description.empty()) {
    return failure.description;
  }
  return "Entra ID gave no description";
}

} // namespace

EntraTokenCache::EntraTokenCache(const SentinelConfig& config,
                                 HttpClient& http,
                                 Clock clock)
    : m_config(config),
      m_http(http),
      m_clock(std::move(clock)) {
  // Also as it goes over the wire, which is how a server or proxy that
  // quotes the request body would quote it.
  remember_secret(m_config.client_secret.reveal());
  remember_secret(form_encode_value(m_config.client_secret.reveal()));
}

void EntraTokenCache::retry_with(RetryBudget& budget, Sleeper sleeper) {
  m_retry = &budget;
  m_sleep = std::move(sleeper);
}

std::string EntraTokenCache::bearer() {
  if (!m_token.empty() && m_expires_at - m_clock() > k_refresh_margin) {
    return m_token;
  }

  const std::string endpoint =
      m_config.login_url + "/" + m_config.tenant_id + "/oauth2/v2.0/token";
  const std::string& secret = m_config.client_secret.reveal();

  HttpRequest request;
  request.method = "POST";
  request.url = endpoint;
  request.headers = {
      {"Content-Type", "application/x-www-form-urlencoded"},
      {"Accept", "application/json"},
  };
  request.body = form_encode({
      {"client_id", m_config.client_id},
      {"client_secret", secret},
      {"scope", m_config.scope},
      {"grant_type", "client_credentials"},
  });

  for (int attempts = 1;; ++attempts) {
    HttpResponse response;
    try {
      response = m_http.send(request);
    } catch (const TransportError& error) {
      const std::string cause =
          scrub_secret(request_name() + " could not reach "
                           + redact_url(endpoint) + ": " + error.what(),
                       secret);
      if (!error.worth_retrying()) {
        throw SentinelError(cause);
      }
      wait_before_retry(attempts, std::nullopt, endpoint, cause);
      continue;
    }

    // Entra's own hiccups (AADSTS90033 "a transient error", a 503 from
    // its front door) pass; a wrong secret or tenant does not.
    const long status = response.status;
    if (status == 429 || (status >= 500 && status <= 599)) {
      const std::string cause = refusal(response, endpoint);
      const auto requested =
          status == 429
              ? parse_retry_after(header_value(response, "retry-after"), "")
              : std::nullopt;
      wait_before_retry(attempts, requested, endpoint, cause);
      continue;
    }
    return accept(response, endpoint);
  }
}

std::string EntraTokenCache::request_name() const {
  return "Entra ID token request for tenant " + m_config.tenant_id;
}

std::string EntraTokenCache::refusal(const HttpResponse& response,
                                     const std::string& endpoint) const {
  const std::string prefix = request_name();
  const auto failure = parse_failure(response.body);
  const std::string status = std::to_string(response.status);
  if (!failure) {
    return prefix + " failed (" + status + "): the answer from "
           + redact_url(endpoint) + " is not Entra's JSON";
  }
  const std::string error =
      failure->error.empty() ? status : status + " " + failure->error;
  return scrub_secret(prefix + " failed (" + error
                          + "): " + explain(*failure, m_config),
                      m_config.client_secret.reveal());
}

std::string EntraTokenCache::accept(const HttpResponse& response,
                                    const std::string& endpoint) {
  if (response.status != 200) {
    throw SentinelError(refusal(response, endpoint));
  }

  const std::string prefix = request_name();
  const auto answer = parse_object(response.body);
  const std::string token = answer ? string_at(*answer, "access_token") : "";
  const auto* expires_in = answer ? answer->if_contains("expires_in") : nullptr;
  const auto lifetime =
      expires_in != nullptr ? as_integer(*expires_in) : std::nullopt;
  if (token.empty() || !lifetime || *lifetime <= 0) {
    throw SentinelError(prefix + ": the answer from " + redact_url(endpoint)
                        + " lacks access_token or expires_in");
  }

  // A token that lives less than the margin is still used for this call;
  // the next call asks again.
  remember_short_lived_secret(token);
  m_token = token;
  m_expires_at = m_clock() + std::chrono::seconds(*lifetime);
  spdlog::debug("Entra ID token for tenant {} obtained, valid for {} s",
                m_config.tenant_id,
                *lifetime);
  return m_token;
}

void EntraTokenCache::wait_before_retry(
    int attempts,
    std::optional<std::chrono::milliseconds> requested,
    const std::string& endpoint,
    const std::string& cause) {
  if (m_retry == nullptr) {
    throw SentinelError(cause);
  }
  const auto stop_if_asked = [&] {
    if (const auto stopped =
            stop_requested_while("retrying " + redact_url(endpoint))) {
      throw SentinelError(*stopped + ": " + cause);
    }
  };

  stop_if_asked();
  const auto delay = m_retry->next_delay(attempts, requested);
  if (!delay) {
    throw SentinelError(
        gave_up_text(redact_url(endpoint), attempts, cause, requested));
  }
  // An operator wants to know why a run is slow: one line per retry.
  spdlog::warn("{}; retrying in {} ms (attempt {})",
               scrub_known_secrets(cause),
               delay->count(),
               attempts + 1);
  m_sleep(*delay);
  stop_if_asked();
}

void EntraTokenCache::invalidate() {
  m_token.clear();
  m_expires_at = {};
}

} // namespace m2s
