#include "curl_support.hpp"
#include "misp2sentinel/http/http_client.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace m2s {

namespace {

constexpr std::string_view k_redacted = "***";

// Substrings of query keys whose values are credentials. Matching by
// substring redacts too much now and then ("design"), never too little.
constexpr std::array<std::string_view, 7> k_secret_words = {
    "key", "token", "secret", "password", "passwd", "sig", "auth"};

bool looks_secret(std::string_view key) {
  std::string lowered(key);
  std::transform(
      lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
      });

  return std::any_of(
      k_secret_words.begin(), k_secret_words.end(), [&](std::string_view w) {
        return lowered.find(w) != std::string::npos;
      });
}

// "a=1&api_key=x" -> "a=1&api_key=***". libcurl hands the query over as
// one string; its pairs are split on '&' and '=' as the URL syntax says.
std::string redact_query(std::string_view query) {
  std::string out;
  while (true) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');

    if (eq != std::string_view::npos && looks_secret(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1)).append(k_redacted);
    } else {
      out.append(pair);
    }

    if (amp == std::string_view::npos) {
      return out;
    }
    out.push_back('&');
    query.remove_prefix(amp + 1);
  }
}

} // namespace

std::string redact_url(const std::string& url) {
  const std::string unparseable = "<unparseable URL>";
  const auto parsed = detail::parse_url(url);
  if (!parsed) {
    return unparseable;
  }

  CURLU* handle = parsed.get();
  if (detail::url_part(handle, CURLUPART_USER)
      || detail::url_part(handle, CURLUPART_PASSWORD)) {
    if (curl_url_set(handle, CURLUPART_USER, k_redacted.data(), 0) != CURLUE_OK
        || curl_url_set(handle, CURLUPART_PASSWORD, nullptr, 0) != CURLUE_OK) {
      return unparseable;
    }
  }

  if (const auto query = detail::url_part(handle, CURLUPART_QUERY)) {
    const std::string redacted = redact_query(*query);
    if (curl_url_set(handle, CURLUPART_QUERY, redacted.c_str(), 0)
        != CURLUE_OK) {
      return unparseable;
    }
  }

  return detail::url_part(handle, CURLUPART_URL).value_or(unparseable);
}

} // namespace m2s
