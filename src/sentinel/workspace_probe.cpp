// SentinelUploader::probe_workspace(): the workspace check behind `check`.
//
// Why an empty upload: it is the only request the upload APIs offer, and
// Sentinel validates the token, the workspace, the caller's role and the
// api-version before the body. An empty list then fails body validation
// (the sandbox and the API refuse 0 objects), so nothing is stored, and
// the status tells which of the earlier checks failed.

#include "misp2sentinel/sentinel/uploader.hpp"
#include "sentinel_answer.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

namespace m2s {

namespace {

// {"error":{"code":"WorkspaceNotFound",...}} -> "WorkspaceNotFound".
std::string error_code(const std::string& body) {
  boost::system::error_code error;
  const auto value = boost::json::parse(body, error);
  if (error || !value.is_object()) {
    return {};
  }
  const auto* inner = value.get_object().if_contains("error");
  if (inner == nullptr || !inner->is_object()) {
    return {};
  }
  const auto* code = inner->get_object().if_contains("code");
  if (code == nullptr || !code->is_string()) {
    return {};
  }
  return std::string(code->get_string());
}

std::string quoted(const std::string& message) {
  return message.empty() ? "" : " (" + message + ")";
}

WorkspaceProbe judge(const SentinelConfig& config,
                     const std::string& endpoint,
                     long status,
                     const std::string& body) {
  const std::string message = detail::sentinel_message(body);
  const std::string code = error_code(body);
  const std::string workspace = "workspace " + config.workspace_id;
  WorkspaceProbe probe{false, status, {}};

  if (status == 200 || status == 429) {
    probe.ok = true;
    probe.detail = workspace + " accepts the token"
                   + (status == 429 ? " (429: throttled right now)" : "");
  } else if (status == 400 && code.find("ApiVersion") != std::string::npos) {
    probe.detail = "Sentinel refused api-version " + config.api_version
                   + quoted(message)
                   + "; remove [sentinel] api_version to use the default";
  } else if (status == 400) {
    probe.ok = true;
    probe.detail = workspace
                   + " accepts the token and the role (the empty test "
                     "upload was refused as expected, nothing stored)";
  } else if (status == 401) {
    probe.detail = "Sentinel refused the token (401)" + quoted(message)
                   + "; check [sentinel] scope (" + config.scope
                   + ") and login_url";
  } else if (status == 403) {
    probe.detail = "Sentinel answered 403" + quoted(message)
                   + ": give the app the Microsoft Sentinel Contributor "
                     "role on "
                   + workspace + " (workspace > Access control (IAM))";
  } else if (status == 404) {
    probe.detail = workspace + " not found at " + endpoint + quoted(message)
                   + "; check [sentinel] workspace_id (workspace > "
                     "Overview > Workspace ID) and api_url";
  } else if (status >= 500) {
    probe.detail = "Sentinel answered " + std::to_string(status)
                   + quoted(message) + "; try again later";
  } else {
    probe.detail = "Sentinel answered " + std::to_string(status) + " for "
                   + endpoint + quoted(message);
  }
  return probe;
}

} // namespace

WorkspaceProbe SentinelUploader::probe_workspace() {
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint();
  request.headers = {
      {"Authorization", "Bearer " + m_tokens.bearer()},
      {"Content-Type", "application/json"},
      {"Accept", "application/json"},
  };
  request.body = request_body({});

  m_limiter.acquire();
  const HttpResponse response = m_http.send(request);
  spdlog::debug("Sentinel workspace probe: {}", response.status);
  return judge(
      m_config, redact_url(endpoint()), response.status, response.body);
}

} // namespace m2s
