#pragma once

// --- One HTTP exchange over libcurl, with TLS options and size caps ---
//
// Knows nothing of MISP or Sentinel: callers decide what a status means and
// whether to retry (see http/retry.hpp). Request headers are never logged;
// the debug log gets one line per request: method, URL, status, time.
// One HttpClient per thread; not shareable.

#include "misp2sentinel/util/known_secrets.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace m2s {

struct TlsOptions {
  bool verify = true;
  std::string ca_file; // empty: the system store
};

// Takes an answer's body chunk by chunk, as it arrives. May throw: the
// transfer stops and HttpClient::send throws that exception.
using HttpBodySink = std::function<void(std::string_view chunk)>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set: a 200 answer's body goes here, and HttpResponse::body stays
  // empty; any other answer is buffered as without it, for its error
  // message. max_response_bytes caps both. A stand-in for the network
  // (tests, fuzz targets) may ignore it and buffer a 200 body too.
  HttpBodySink body_sink;
};

struct HttpResponse {
  long status = 0;
  std::string body;                           // empty when a body_sink took it
  std::map<std::string, std::string> headers; // names lower-cased
  std::chrono::milliseconds elapsed{0};
};

// A request that got no complete HTTP answer: refused, reset, timed out,
// TLS failure, truncated body, or a body over the size cap. The message
// names the URL (never a secret) and the cause.
class TransportError : public std::runtime_error {
public:
  TransportError(const std::string& message,
                 int curl_code,
                 bool timed_out,
                 bool too_large = false)
      : std::runtime_error(message),
        m_curl_code(curl_code),
        m_timed_out(timed_out),
        m_too_large(too_large) {}

  int curl_code() const noexcept {
    return m_curl_code;
  }

  bool timed_out() const noexcept {
    return m_timed_out;
  }

  // The answer was over a size cap: asking again gets the same answer.
  bool too_large() const noexcept {
    return m_too_large;
  }

  // The server's certificate (or our CA file) was refused: a setting to
  // fix, not an outage to wait out.
  bool certificate_refused() const noexcept {
    // CURLE_SSL_CERTPROBLEM, _PEER_FAILED_VERIFICATION, _SSL_CACERT_BADFILE,
    // _SSL_ISSUER_ERROR, _SSL_PINNEDPUBKEYNOTMATCH, _SSL_INVALIDCERTSTATUS
    return m_curl_code == 58 || m_curl_code == 60 || m_curl_code == 77
           || m_curl_code == 83 || m_curl_code == 90 || m_curl_code == 91;
  }

  // Whether asking again may get an answer.
  bool worth_retrying() const noexcept {
    return !too_large() && !certificate_refused();
  }

private:
  int m_curl_code;
  bool m_timed_out;
  bool m_too_large;
};

struct HttpOptions {
  TlsOptions tls;
  std::chrono::seconds timeout{60};
  std::chrono::seconds connect_timeout{15};
  std::size_t max_response_bytes = 256u * 1024u * 1024u;
  std::string user_agent = "misp2sentinel";
};

// `send` is virtual so that fuzz targets and tests can stand in for the
// network and feed the callers any answer.
class HttpClient {
public:
  explicit HttpClient(HttpOptions options);
  virtual ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Perform `request` and return whatever status the server answered.
  // Throws TransportError when no complete answer arrived, even when a
  // body_sink has had part of it.
  [[nodiscard]] virtual HttpResponse send(const HttpRequest& request);

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// `url` with any user:password part and query values of keys that look like
// secrets (key, token, secret, password, sig) replaced by "***". A text that
// does not parse as a URL comes back as "<unparseable URL>".
[[nodiscard]] std::string redact_url(const std::string& url);

// The value of header `name` (lower case) in `response`, or "".
[[nodiscard]] std::string header_value(const HttpResponse& response,
                                       const std::string& name);

// An application/x-www-form-urlencoded body ("a=1&b=x%20y"), escaped by
// libcurl.
[[nodiscard]] std::string
form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

// One value as form_encode() writes it ("x y" -> "x%20y").
[[nodiscard]] std::string form_encode_value(const std::string& value);

} // namespace m2s
