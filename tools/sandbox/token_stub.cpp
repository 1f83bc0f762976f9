#include "token_stub.hpp"

#include "http_reply.hpp"
#include "random_ids.hpp"
#include "text_util.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fmt/format.h>

#include <array>
#include <string>

namespace m2s::sandbox {

namespace {

struct EntraError {
  int status;
  const char* error;
  int code;
  std::string description;
};

void send_entra_error(const SandboxState& state,
                      httplib::Response& res,
                      const EntraError& failure) {
  const std::string trace_id = random_uuid();
  const std::string correlation_id = random_uuid();
  // Entra writes "2026-01-31 12:34:56Z".
  std::string timestamp = iso_utc(state.clock.wall_now()).substr(0, 19) + "Z";
  timestamp[10] = ' ';

  boost::json::object body;
  body["error"] = failure.error;
  body["error_description"] =
      fmt::format("AADSTS{}: {}\r\nTrace ID: {}\r\nCorrelation ID: "
                  "{}\r\nTimestamp: {}",
                  failure.code,
                  failure.description,
                  trace_id,
                  correlation_id,
                  timestamp);
  body["error_codes"] = boost::json::array{failure.code};
  body["timestamp"] = timestamp;
  body["trace_id"] = trace_id;
  body["correlation_id"] = correlation_id;
  body["error_uri"] = fmt::format(
      "https://login.microsoftonline.com/error?code={}", failure.code);
  res.set_header("Cache-Control", "no-store, no-cache");
  send_json(res, failure.status, body);
}

EntraError missing(std::string_view parameter) {
  return {400,
          "invalid_request",
          900144,
          fmt::format("The request body must contain the following "
                      "parameter: '{}'.",
                      parameter)};
}

// "https://management.azure.com/.default" -> "https://management.azure.com/"
std::string audience_of(std::string_view scope) {
  constexpr std::string_view k_suffix = ".default";
  return std::string(scope.substr(0, scope.size() - k_suffix.size()));
}

bool known_resource(std::string_view audience) {
  constexpr std::array<std::string_view, 3> k_resources = {
      "https://management.azure.com",
      "https://management.core.windows.net",
      "https://graph.microsoft.com"};
  if (!audience.empty() && audience.back() == '/') {
    audience.remove_suffix(1);
  }
  for (const auto resource : k_resources) {
    if (iequals(audience, resource)) {
      return true;
    }
  }
  return false;
}

std::optional<EntraError> check_client(const SandboxState& state,
                                       const httplib::Params& form,
                                       const std::string& tenant) {
  const auto value = [&form](const char* key) -> std::optional<std::string> {
    const auto found = form.find(key);
    if (found == form.end() || found->second.empty()) {
      return std::nullopt;
    }
    return found->second;
  };

  const auto grant_type = value("grant_type");
  if (!grant_type) {
    return missing("grant_type");
  }
  if (*grant_type != "client_credentials") {
    return EntraError{400,
                      "unsupported_grant_type",
                      70003,
                      fmt::format("The app requested an unsupported grant "
                                  "type '{}'.",
                                  clip(*grant_type, 60))};
  }

  const auto client_id = value("client_id");
  if (!client_id) {
    return missing("client_id");
  }
  if (!iequals(*client_id, state.options.client_id)) {
    return EntraError{
        400,
        "unauthorized_client",
        700016,
        fmt::format("Application with identifier '{}' was not found in the "
                    "directory '{}'. This can happen if the application has "
                    "not been installed by the administrator of the tenant "
                    "or consented to by any user in the tenant. You may "
                    "have sent your authentication request to the wrong "
                    "tenant.",
                    clip(*client_id, 60),
                    tenant)};
  }

  const auto secret = value("client_secret");
  if (!secret) {
    return EntraError{401,
                      "invalid_client",
                      7000216,
                      "'client_assertion', 'client_secret' or 'request' is "
                      "required for the 'client_credentials' grant type."};
  }
  if (*secret != state.options.client_secret) {
    return EntraError{
        401,
        "invalid_client",
        7000215,
        fmt::format("Invalid client secret provided. Ensure the secret "
                    "being sent in the request is the client secret value, "
                    "not the client secret ID, for a secret added to app "
                    "'{}'.",
                    state.options.client_id)};
  }
  return std::nullopt;
}

std::optional<EntraError> check_scope(const httplib::Params& form,
                                      const std::string& tenant) {
  const auto found = form.find("scope");
  if (found == form.end() || found->second.empty()) {
    return missing("scope");
  }
  const std::string& scope = found->second;
  if (!scope.ends_with("/.default") || scope.find(' ') != std::string::npos) {
    return EntraError{
        400,
        "invalid_scope",
        1002012,
        fmt::format("The provided value for scope {} is not valid. Client "
                    "credential flows must have a scope value with /.default "
                    "suffixed to the resource identifier (application ID "
                    "URI).",
                    clip(scope, 100))};
  }
  if (!known_resource(audience_of(scope))) {
    return EntraError{
        400,
        "invalid_resource",
        500011,
        fmt::format("The resource principal named {} was not found in the "
                    "tenant named {}. This can happen if the application "
                    "has not been installed by the administrator of the "
                    "tenant or consented to by any user in the tenant.",
                    clip(audience_of(scope), 100),
                    tenant)};
  }
  return std::nullopt;
}

void handle_token(SandboxState& state,
                  const httplib::Request& req,
                  httplib::Response& res) {
  const std::string tenant = req.matches[1];
  if (!iequals(tenant, state.options.tenant)) {
    send_entra_error(
        state,
        res,
        {400,
         "invalid_request",
         90002,
         fmt::format("Tenant '{}' not found. Check to make sure you have the "
                     "correct tenant ID and are signing into the correct "
                     "cloud. Check with your subscription administrator, "
                     "this may happen if there are no active subscriptions "
                     "for the tenant.",
                     clip(tenant, 100))});
    return;
  }

  // Only a form body counts: parameters in the URL are not read by Entra.
  httplib::Params form;
  const auto content_type = req.get_header_value("Content-Type");
  if (content_type.rfind("application/x-www-form-urlencoded", 0) == 0) {
    httplib::detail::parse_query_text(req.body, form);
  }

  auto failure = check_client(state, form, tenant);
  if (!failure) {
    failure = check_scope(form, tenant);
  }
  if (failure) {
    send_entra_error(state, res, *failure);
    return;
  }

  const auto ttl = state.options.token_ttl_seconds;
  const std::string audience = audience_of(form.find("scope")->second);
  boost::json::object body;
  body["token_type"] = "Bearer";
  body["expires_in"] = ttl;
  body["ext_expires_in"] = ttl;
  body["access_token"] =
      state.tokens.issue(std::chrono::seconds(ttl), audience);
  res.set_header("Cache-Control", "no-store, no-cache");
  send_json(res, 200, body);
}

} // namespace

void add_token_routes(Routes& routes, SandboxState& state) {
  routes.post(R"(/([^/]+)/oauth2/v2\.0/token)",
              Endpoint::token,
              [&state](const auto& req, auto& res, RequestNote&) {
                handle_token(state, req, res);
              });
}

} // namespace m2s::sandbox
