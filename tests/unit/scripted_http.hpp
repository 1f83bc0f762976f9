#pragma once

// --- An HttpClient that answers from a script instead of the network ---
//
// Each send() takes the next scripted answer: a response, or a transport
// failure. When the script runs out every request fails as a reset
// connection. Requests are kept for inspection.

#include "misp2sentinel/http/http_client.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace m2s::test {

struct ScriptedAnswer {
  long status = 200; // 0: a transport failure instead of an answer
  std::string body;
  std::map<std::string, std::string> headers; // names lower-case

  static ScriptedAnswer failure() {
    return {0, {}, {}};
  }
};

class ScriptedHttp final : public HttpClient {
public:
  explicit ScriptedHttp(std::vector<ScriptedAnswer> script)
      : HttpClient(HttpOptions{}),
        m_script(std::move(script)) {}

  HttpResponse send(const HttpRequest& request) override {
    m_requests.push_back(request);
    if (m_next >= m_script.size() || m_script[m_next].status == 0) {
      ++m_next;
      throw TransportError("POST " + redact_url(request.url)
                               + " failed: Connection reset by peer",
                           56,
                           false);
    }

    const ScriptedAnswer& answer = m_script[m_next++];
    HttpResponse response;
    response.status = answer.status;
    response.body = answer.body;
    response.headers = answer.headers;
    return response;
  }

  const std::vector<HttpRequest>& requests() const {
    return m_requests;
  }

private:
  std::vector<ScriptedAnswer> m_script;
  std::size_t m_next = 0;
  std::vector<HttpRequest> m_requests;
};

} // namespace m2s::test
