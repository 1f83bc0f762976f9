// MispClient::version(): the connectivity and key check behind `check`.

#include "misp2sentinel/misp/misp_client.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

namespace m2s {

namespace {

constexpr const char* k_version_path = "/servers/getVersion";

// Long enough for MISP's error sentences, short enough for one line.
constexpr std::size_t k_max_message = 200;

std::optional<boost::json::object> json_object(const std::string& body) {
  boost::system::error_code error;
  auto value = boost::json::parse(body, error);
  if (error || !value.is_object()) {
    return std::nullopt;
  }
  return std::move(value.as_object());
}

// MISP's REST errors are {"name","message","url"}; proxies answer HTML.
std::string reason(const std::string& body) {
  std::string text;
  if (const auto object = json_object(body)) {
    for (const char* key : {"message", "name"}) {
      const auto* value = object->if_contains(key);
      if (value != nullptr && value->is_string()) {
        text = std::string(value->get_string());
        break;
      }
    }
  }
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.size() > k_max_message) {
    text.resize(k_max_message);
    text += "...";
  }
  return text.empty() ? "" : " (" + text + ")";
}

bool flag(const boost::json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_bool() && value->get_bool();
}

} // namespace

MispVersion MispClient::version() {
  const std::string& key = m_config.key.reveal();
  const std::string url = m_config.url + k_version_path;

  HttpRequest request;
  request.method = "GET";
  request.url = url;
  // Without Accept: application/json MISP treats this path as a browser
  // request and answers a login page.
  request.headers = {{"Authorization", key}, {"Accept", "application/json"}};

  const HttpResponse response = m_http.send(request);
  const std::string answered = "MISP answered "
                               + std::to_string(response.status) + " for "
                               + k_version_path;

  if (response.status == 401 || response.status == 403) {
    throw MispError(scrub_secret(
        answered
            + ": the API key is wrong, or its user's role lacks API "
              "access (\"Auth key access\")"
            + reason(response.body)
            + "; put a working key in the variable [misp] key_env names or "
              "the file [misp] key_file names",
        key));
  }
  if (response.status == 404) {
    throw MispError(answered + ": check [misp] url (" + redact_url(m_config.url)
                    + ")");
  }
  if (response.status != 200) {
    throw MispError(scrub_secret(answered + reason(response.body), key));
  }

  const auto answer = json_object(response.body);
  const auto* version = answer ? answer->if_contains("version") : nullptr;
  if (version == nullptr || !version->is_string()) {
    throw MispError("MISP " + std::string(k_version_path)
                    + ": the answer is not MISP's JSON (a login page or a "
                      "proxy?): check [misp] url ("
                    + redact_url(m_config.url) + ")");
  }

  MispVersion result;
  result.version = std::string(version->get_string());
  result.perm_sync = flag(*answer, "perm_sync");
  result.perm_sighting = flag(*answer, "perm_sighting");
  spdlog::debug("MISP {} at {}", result.version, redact_url(m_config.url));
  return result;
}

} // namespace m2s
