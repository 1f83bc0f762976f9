#include "curl_support.hpp"
#include "misp2sentinel/http/http_client.hpp"

#include <climits>
#include <new>

namespace m2s {

namespace {

std::string escape(const std::string& text) {
  if (text.size() > static_cast<std::size_t>(INT_MAX)) {
    throw std::length_error("form field too long to encode");
  }

  // Since libcurl 7.82 the handle argument is unused and may be null.
  char* escaped =
      curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  if (escaped == nullptr) {
    throw std::bad_alloc();
  }

  std::string copy(escaped);
  curl_free(escaped);
  return copy;
}

} // namespace

std::string form_encode_value(const std::string& value) {
  detail::ensure_curl_initialised();
  return escape(value);
}

std::string
form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  detail::ensure_curl_initialised();

  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) {
      body.push_back('&');
    }
    body.append(escape(name)).append("=").append(escape(value));
  }
  return body;
}

} // namespace m2s
