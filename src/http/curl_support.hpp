#pragma once

// --- libcurl helpers shared by src/http (private: keeps <curl/curl.h> out of
// the public headers) ---

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <string>

namespace m2s::detail {

// Call curl_global_init exactly once per process, from any thread. Throws
// TransportError when libcurl cannot initialise.
void ensure_curl_initialised();

struct UrlDeleter {
  void operator()(CURLU* url) const noexcept {
    curl_url_cleanup(url);
  }
};

using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

// `text` parsed by libcurl's URL parser; nullptr when it is not a URL.
[[nodiscard]] UrlHandle parse_url(const std::string& text);

// One part of a parsed URL; nullopt when the URL has no such part.
[[nodiscard]] std::optional<std::string> url_part(CURLU* url, CURLUPart part);

} // namespace m2s::detail
