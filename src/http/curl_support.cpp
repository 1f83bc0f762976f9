#include "curl_support.hpp"

#include "misp2sentinel/http/http_client.hpp"

#include <mutex>

namespace m2s::detail {

void ensure_curl_initialised() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;

  // curl_global_init is not thread-safe and must precede every other call;
  // it is never undone, since handles may outlive any one owner.
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });

  if (result != CURLE_OK) {
    throw TransportError(std::string("libcurl failed to initialise: ")
                             + curl_easy_strerror(result),
                         static_cast<int>(result),
                         false);
  }
}

UrlHandle parse_url(const std::string& text) {
  ensure_curl_initialised();

  UrlHandle url(curl_url());
  if (!url) {
    return nullptr;
  }

  if (curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return nullptr;
  }
  return url;
}

std::optional<std::string> url_part(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK || value == nullptr) {
    return std::nullopt;
  }

  std::string copy(value);
  curl_free(value);
  return copy;
}

} // namespace m2s::detail
