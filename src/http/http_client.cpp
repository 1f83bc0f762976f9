#include "misp2sentinel/http/http_client.hpp"

#include "curl_support.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <optional>
#include <string_view>

namespace m2s {

namespace {

// Headers are not capped by max_response_bytes (a tiny body cap must not
// trip on them) but a server still may not flood us with them.
constexpr std::size_t k_max_header_bytes = 1024u * 1024u;

struct EasyDeleter {
  void operator()(CURL* handle) const noexcept {
    curl_easy_cleanup(handle);
  }
};

struct ListDeleter {
  void operator()(curl_slist* list) const noexcept {
    curl_slist_free_all(list);
  }
};

using HeaderList = std::unique_ptr<curl_slist, ListDeleter>;

// What the callbacks collect during one transfer. The callbacks never
// throw: libcurl is C and an exception crossing it is undefined behaviour,
// so they record what went wrong here and return 0 to abort the transfer.
struct Transfer {
  CURL* handle = nullptr;
  const HttpBodySink* sink = nullptr;
  std::size_t max_body_bytes = 0;
  std::size_t body_bytes = 0; // buffered or given to the sink
  std::string body;
  std::map<std::string, std::string> headers;
  std::size_t header_bytes = 0;
  bool body_over_cap = false;
  bool headers_over_cap = false;
  bool out_of_memory = false;
  // Whether this answer's body goes to the sink: known at its first byte,
  // when its status is.
  std::optional<bool> streams;
  std::exception_ptr sink_failure;
};

bool streams_body(Transfer& transfer) {
  if (!transfer.streams) {
    long status = 0;
    curl_easy_getinfo(transfer.handle, CURLINFO_RESPONSE_CODE, &status);
    transfer.streams =
        transfer.sink != nullptr && *transfer.sink && status == 200;
  }
  return *transfer.streams;
}

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  };
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return out;
}

void add_header_line(std::string_view line,
                     std::map<std::string, std::string>& headers) {
  // A status line starts a new response (after "100 Continue"): only the
  // final response's headers count.
  if (line.starts_with("HTTP/")) {
    headers.clear();
    return;
  }

  const auto colon = line.find(':');
  if (colon == std::string_view::npos) {
    return;
  }

  const std::string name = lower(trim(line.substr(0, colon)));
  const std::string_view value = trim(line.substr(colon + 1));
  if (name.empty()) {
    return;
  }

  // Repeated headers are joined as RFC 9110 allows for list-valued fields.
  const auto [it, inserted] = headers.emplace(name, std::string(value));
  if (!inserted) {
    it->second.append(", ").append(value);
  }
}

std::size_t
on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;

  if (bytes > transfer->max_body_bytes - transfer->body_bytes) {
    transfer->body_over_cap = true;
    return 0;
  }
  transfer->body_bytes += bytes;

  if (streams_body(*transfer)) {
    try {
      (*transfer->sink)(std::string_view(data, bytes));
    } catch (...) {
      transfer->sink_failure = std::current_exception();
      return 0;
    }
    return bytes;
  }

  try {
    transfer->body.append(data, bytes);
  } catch (...) {
    transfer->out_of_memory = true;
    return 0;
  }
  return bytes;
}

std::size_t
on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;

  transfer->header_bytes += bytes;
  if (transfer->header_bytes > k_max_header_bytes) {
    transfer->headers_over_cap = true;
    return 0;
  }

  // Each response (after "100 Continue", say) decides anew whether its
  // body is streamed.
  const std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    transfer->streams.reset();
  }

  try {
    add_header_line(line, transfer->headers);
  } catch (...) {
    transfer->out_of_memory = true;
    return 0;
  }
  return bytes;
}

void check(CURLcode code, const char* option) {
  if (code != CURLE_OK) {
    throw TransportError(std::string("libcurl rejected option ") + option + ": "
                             + curl_easy_strerror(code),
                         static_cast<int>(code),
                         false);
  }
}

bool is_loopback(const std::string& url) {
  const auto parsed = detail::parse_url(url);
  if (!parsed) {
    return false;
  }

  const auto host = detail::url_part(parsed.get(), CURLUPART_HOST);
  if (!host) {
    return false;
  }

  const std::string name = lower(*host);
  return name == "localhost" || name == "[::1]" || name.starts_with("127.");
}

HeaderList build_headers(const HttpRequest& request) {
  HeaderList list;
  const auto append = [&list](const std::string& line) {
    curl_slist* grown = curl_slist_append(list.get(), line.c_str());
    if (grown == nullptr) {
      throw TransportError("libcurl could not allocate request headers",
                           CURLE_OUT_OF_MEMORY,
                           false);
    }
    static_cast<void>(list.release());
    list.reset(grown);
  };

  for (const auto& [name, value] : request.headers) {
    append(name + ": " + value);
  }

  // libcurl would send "Expect: 100-continue" for large bodies and wait for
  // an interim answer that some servers and proxies never give.
  if (!request.body.empty()) {
    append("Expect:");
  }
  return list;
}

void set_method(CURL* handle, const HttpRequest& request) {
  const auto size = static_cast<curl_off_t>(request.body.size());

  if (request.method == "GET" && request.body.empty()) {
    check(curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L), "HTTPGET");
    return;
  }

  if (request.method == "HEAD") {
    check(curl_easy_setopt(handle, CURLOPT_NOBODY, 1L), "NOBODY");
    return;
  }

  if (request.method != "POST") {
    check(
        curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str()),
        "CUSTOMREQUEST");
    if (request.body.empty()) {
      return;
    }
  }

  check(curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, size),
        "POSTFIELDSIZE_LARGE");
  check(curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data()),
        "POSTFIELDS");
}

void set_transport(CURL* handle, const HttpOptions& options) {
  const auto ms = [](std::chrono::seconds seconds) {
    return static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(seconds).count());
  };

  check(curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L), "NOSIGNAL");
  check(curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, ms(options.timeout)),
        "TIMEOUT_MS");
  check(curl_easy_setopt(
            handle, CURLOPT_CONNECTTIMEOUT_MS, ms(options.connect_timeout)),
        "CONNECTTIMEOUT_MS");
  check(curl_easy_setopt(handle, CURLOPT_USERAGENT, options.user_agent.c_str()),
        "USERAGENT");

  // No redirects (libcurl's default, kept on purpose): a 3xx goes back to
  // the caller, so an Authorization header is never replayed elsewhere.
  check(curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https"),
        "PROTOCOLS_STR");

  // Empty: offer every encoding libcurl can decode; the size cap then
  // applies to the decoded body.
  check(curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, ""),
        "ACCEPT_ENCODING");

  const bool verify = options.tls.verify;
  check(curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L),
        "SSL_VERIFYPEER");
  check(curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L),
        "SSL_VERIFYHOST");
  if (!options.tls.ca_file.empty()) {
    check(curl_easy_setopt(handle, CURLOPT_CAINFO, options.tls.ca_file.c_str()),
          "CAINFO");
  }
}

void set_callbacks(CURL* handle, Transfer& transfer, char* error_text) {
  check(curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body),
        "WRITEFUNCTION");
  check(curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer), "WRITEDATA");
  check(curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header),
        "HEADERFUNCTION");
  check(curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer), "HEADERDATA");
  check(curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text),
        "ERRORBUFFER");
}

TransportError failure(CURLcode code,
                       const Transfer& transfer,
                       const HttpRequest& request,
                       const std::string& where,
                       const char* error_text) {
  const int curl_code = static_cast<int>(code);
  const std::string detail =
      error_text[0] != '\0' ? error_text : curl_easy_strerror(code);

  if (transfer.body_over_cap) {
    return TransportError("response from " + where + " exceeds "
                              + std::to_string(transfer.max_body_bytes)
                              + " bytes (the cap is [limits] "
                                "max_response_mb)",
                          curl_code,
                          false,
                          true);
  }
  if (transfer.headers_over_cap) {
    return TransportError("response headers from " + where + " exceed "
                              + std::to_string(k_max_header_bytes) + " bytes",
                          curl_code,
                          false,
                          true);
  }
  if (transfer.out_of_memory) {
    return TransportError("response from " + where
                              + " could not be stored: out of memory",
                          curl_code,
                          false);
  }

  switch (code) {
  case CURLE_OPERATION_TIMEDOUT:
    return TransportError(request.method + " " + where
                              + " timed out: " + detail,
                          curl_code,
                          true);
  case CURLE_PARTIAL_FILE:
    return TransportError("response from " + where
                              + " was cut short: " + detail,
                          curl_code,
                          false);
  default:
    return TransportError(
        request.method + " " + where + " failed: " + detail, curl_code, false);
  }
}

} // namespace

struct HttpClient::Impl {
  HttpOptions options;
  std::unique_ptr<CURL, EasyDeleter> handle;
};

HttpClient::HttpClient(HttpOptions options)
    : m_impl(std::make_unique<Impl>()) {
  detail::ensure_curl_initialised();

  m_impl->options = std::move(options);
  m_impl->handle.reset(curl_easy_init());
  if (!m_impl->handle) {
    throw TransportError(
        "libcurl could not create a handle", CURLE_FAILED_INIT, false);
  }
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::send(const HttpRequest& request) {
  CURL* handle = m_impl->handle.get();
  const std::string where = redact_url(request.url);

  // Reset clears the previous request's options but keeps the connection
  // cache, so consecutive requests to one host reuse the connection.
  curl_easy_reset(handle);

  Transfer transfer;
  transfer.handle = handle;
  transfer.sink = &request.body_sink;
  transfer.max_body_bytes = m_impl->options.max_response_bytes;
  char error_text[CURL_ERROR_SIZE] = {};
  const HeaderList headers = build_headers(request);

  check(curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str()), "URL");
  check(curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get()),
        "HTTPHEADER");
  set_method(handle, request);
  set_transport(handle, m_impl->options);
  set_callbacks(handle, transfer, error_text);

  // Proxies come from the environment (libcurl's default), except for
  // loopback: a stray http_proxy must not take requests meant for this
  // machine. Setting NOPROXY for other hosts would override no_proxy.
  if (is_loopback(request.url)) {
    check(curl_easy_setopt(handle, CURLOPT_NOPROXY, "*"), "NOPROXY");
  }

  const auto started = std::chrono::steady_clock::now();
  const CURLcode code = curl_easy_perform(handle);
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);

  if (code != CURLE_OK) {
    spdlog::debug(
        "{} {} -> failed ({} ms)", request.method, where, elapsed.count());
    if (transfer.sink_failure) {
      std::rethrow_exception(transfer.sink_failure);
    }
    throw failure(code, transfer, request, where, error_text);
  }

  HttpResponse response;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(transfer.body);
  response.headers = std::move(transfer.headers);
  response.elapsed = elapsed;

  spdlog::debug("{} {} -> {} ({} ms)",
                request.method,
                where,
                response.status,
                elapsed.count());
  return response;
}

std::string header_value(const HttpResponse& response,
                         const std::string& name) {
  const auto it = response.headers.find(name);
  return it == response.headers.end() ? std::string() : it->second;
}

} // namespace m2s
