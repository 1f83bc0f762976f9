#include "misp2sentinel/http/http_client.hpp"

#include "net_test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace m2s {
namespace {

using test::LoopbackServer;
using ::testing::HasSubstr;
using ::testing::Not;

HttpClient client_with(std::chrono::seconds timeout = std::chrono::seconds(5),
                       std::size_t max_bytes = 1024 * 1024) {
  HttpOptions options;
  options.timeout = timeout;
  options.connect_timeout = std::chrono::seconds(2);
  options.max_response_bytes = max_bytes;
  return HttpClient(options);
}

HttpRequest get(const std::string& url) {
  HttpRequest request;
  request.method = "GET";
  request.url = url;
  return request;
}

// Promises 1000 bytes, sends 10, then drops the connection.
void serve_truncated_body(LoopbackServer& server, const std::string& path) {
  server.server().Get(path, [](const auto&, httplib::Response& res) {
    res.set_content_provider(
        1000, "application/json", [](std::size_t, std::size_t, auto& sink) {
          sink.write("{\"partial\"", 10);
          return false;
        });
  });
}

TEST(HttpClient, RefusedConnectionThrowsTransportError) {
  HttpClient client = client_with();
  const std::string url = test::refused_url("/nothing");

  try {
    static_cast<void>(client.send(get(url)));
    FAIL() << "expected TransportError";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.curl_code(), 7); // CURLE_COULDNT_CONNECT
    EXPECT_FALSE(error.timed_out());
    EXPECT_THAT(error.what(), HasSubstr("GET " + url + " failed: "));
  }
}

TEST(HttpClient, SlowServerTimesOut) {
  LoopbackServer server;
  server.server().Get("/slow", [](const auto&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1300));
    res.set_content("late", "text/plain");
  });
  server.start();
  HttpClient client = client_with(std::chrono::seconds(1));

  try {
    static_cast<void>(client.send(get(server.url("/slow"))));
    FAIL() << "expected TransportError";
  } catch (const TransportError& error) {
    EXPECT_TRUE(error.timed_out());
    EXPECT_EQ(error.curl_code(), 28); // CURLE_OPERATION_TIMEDOUT
    EXPECT_THAT(error.what(),
                HasSubstr("GET " + server.url("/slow") + " timed out"));
  }
}

TEST(HttpClient, TruncatedBodyThrows) {
  LoopbackServer server;
  serve_truncated_body(server, "/cut");
  server.start();
  HttpClient client = client_with();

  try {
    static_cast<void>(client.send(get(server.url("/cut"))));
    FAIL() << "expected TransportError";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.curl_code(), 18); // CURLE_PARTIAL_FILE
    EXPECT_FALSE(error.timed_out());
    EXPECT_THAT(
        error.what(),
        HasSubstr("response from " + server.url("/cut") + " was cut short"));
  }
}

TEST(HttpClient, OversizeBodyThrows) {
  LoopbackServer server;
  server.server().Get("/big", [](const auto&, httplib::Response& res) {
    res.set_content(std::string(1000, 'x'), "text/plain");
  });
  server.start();
  HttpClient client = client_with(std::chrono::seconds(5), 100);

  try {
    static_cast<void>(client.send(get(server.url("/big"))));
    FAIL() << "expected TransportError";
  } catch (const TransportError& error) {
    EXPECT_STREQ(error.what(),
                 ("response from " + server.url("/big")
                  + " exceeds 100 bytes (the cap is [limits] max_response_mb)")
                     .c_str());
  }
}

TEST(HttpClient, BodyExactlyAtCapIsAccepted) {
  LoopbackServer server;
  server.server().Get("/edge", [](const auto&, httplib::Response& res) {
    res.set_content(std::string(100, 'y'), "text/plain");
  });
  server.start();
  HttpClient client = client_with(std::chrono::seconds(5), 100);

  const HttpResponse response = client.send(get(server.url("/edge")));

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, std::string(100, 'y'));
}

// --- Streamed bodies ---

// What a body sink saw.
struct Chunks {
  std::string body;
  std::size_t calls = 0;

  HttpBodySink sink() {
    return [this](std::string_view chunk) {
      body.append(chunk);
      ++calls;
    };
  }
};

TEST(HttpClient, SinkGetsAnOkBodyChunkByChunk) {
  LoopbackServer server;
  std::string big;
  for (int i = 0; big.size() < 1024 * 1024; ++i) {
    big += std::to_string(i) + ",";
  }
  // Not JSON: httplib would compress that, slowly in a Debug build.
  server.server().Get("/big", [&big](const auto&, httplib::Response& res) {
    res.set_content(big, "application/octet-stream");
  });
  server.start();
  HttpClient client = client_with(std::chrono::seconds(5), 8 * 1024 * 1024);
  Chunks chunks;
  HttpRequest request = get(server.url("/big"));
  request.body_sink = chunks.sink();

  const HttpResponse response = client.send(request);

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(chunks.body, big);
  EXPECT_GT(chunks.calls, 10u);
}

TEST(HttpClient, OtherStatusesAreBufferedDespiteASink) {
  LoopbackServer server;
  server.server().Get("/busy", [](const auto&, httplib::Response& res) {
    res.status = 503;
    res.set_content("try later", "text/plain");
  });
  server.start();
  HttpClient client = client_with();
  Chunks chunks;
  HttpRequest request = get(server.url("/busy"));
  request.body_sink = chunks.sink();

  const HttpResponse response = client.send(request);

  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "try later");
  EXPECT_EQ(chunks.calls, 0u);
}

TEST(HttpClient, StreamedBodyOverTheCapThrows) {
  LoopbackServer server;
  server.server().Get("/big", [](const auto&, httplib::Response& res) {
    res.set_content(std::string(300 * 1024, 'x'), "text/plain");
  });
  server.start();
  HttpClient client = client_with(std::chrono::seconds(5), 100 * 1024);
  Chunks chunks;
  HttpRequest request = get(server.url("/big"));
  request.body_sink = chunks.sink();

  try {
    static_cast<void>(client.send(request));
    FAIL() << "expected TransportError";
  } catch (const TransportError& error) {
    EXPECT_TRUE(error.too_large());
    EXPECT_STREQ(error.what(),
                 ("response from " + server.url("/big")
                  + " exceeds 102400 bytes (the cap is [limits] "
                    "max_response_mb)")
                     .c_str());
  }
  EXPECT_LE(chunks.body.size(), 100u * 1024u);
}

TEST(HttpClient, StreamedBodyExactlyAtCapIsAccepted) {
  LoopbackServer server;
  server.server().Get("/edge", [](const auto&, httplib::Response& res) {
    res.set_content(std::string(100, 'y'), "text/plain");
  });
  server.start();
  HttpClient client = client_with(std::chrono::seconds(5), 100);
  Chunks chunks;
  HttpRequest request = get(server.url("/edge"));
  request.body_sink = chunks.sink();

  EXPECT_EQ(client.send(request).status, 200);
  EXPECT_EQ(chunks.body, std::string(100, 'y'));
}

TEST(HttpClient, TruncatedStreamedBodyThrowsAfterThePart) {
  LoopbackServer server;
  serve_truncated_body(server, "/cut");
  server.start();
  HttpClient client = client_with();
  Chunks chunks;
  HttpRequest request = get(server.url("/cut"));
  request.body_sink = chunks.sink();

  try {
    static_cast<void>(client.send(request));
    FAIL() << "expected TransportError";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.curl_code(), 18); // CURLE_PARTIAL_FILE
    EXPECT_THAT(error.what(), HasSubstr("was cut short"));
  }
  EXPECT_EQ(chunks.body, "{\"partial\"");
}

TEST(HttpClient, SinkExceptionStopsTheTransferAndComesOut) {
  LoopbackServer server;
  server.server().Get("/big", [](const auto&, httplib::Response& res) {
    res.set_content(std::string(1024 * 1024, 'x'), "text/plain");
  });
  server.start();
  HttpClient client = client_with(std::chrono::seconds(5), 4 * 1024 * 1024);
  std::size_t calls = 0;
  HttpRequest request = get(server.url("/big"));
  request.body_sink = [&calls](std::string_view) {
    ++calls;
    throw std::invalid_argument("the reader gave up");
  };

  EXPECT_THROW(static_cast<void>(client.send(request)), std::invalid_argument);
  EXPECT_EQ(calls, 1u);
}

TEST(HttpClient, PostSendsBodyAndHeadersAndLowerCasesReplyHeaders) {
  LoopbackServer server;
  std::string seen_body;
  std::string seen_header;
  std::string seen_type;
  server.server().Post("/echo", [&](const auto& req, httplib::Response& res) {
    seen_body = req.body;
    seen_header = req.get_header_value("X-Test");
    seen_type = req.get_header_value("Content-Type");
    res.status = 201;
    res.set_header("X-Reply-Header", "some value");
    res.set_content("done", "text/plain");
  });
  server.start();
  HttpClient client = client_with();

  HttpRequest request;
  request.method = "POST";
  request.url = server.url("/echo");
  request.headers = {{"X-Test", "one"}, {"Content-Type", "application/json"}};
  request.body = R"({"a":1})";
  const HttpResponse response = client.send(request);

  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "done");
  EXPECT_EQ(response.headers.at("x-reply-header"), "some value");
  EXPECT_EQ(response.headers.count("X-Reply-Header"), 0u);
  EXPECT_EQ(seen_body, R"({"a":1})");
  EXPECT_EQ(seen_header, "one");
  EXPECT_EQ(seen_type, "application/json");
}

TEST(HttpClient, ErrorStatusIsReturnedNotThrown) {
  LoopbackServer server;
  server.server().Get("/busy", [](const auto&, httplib::Response& res) {
    res.status = 503;
    res.set_content("try later", "text/plain");
  });
  server.start();
  HttpClient client = client_with();

  const HttpResponse response = client.send(get(server.url("/busy")));

  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "try later");
}

TEST(HttpClient, LoopbackRequestsIgnoreProxyVariables) {
  LoopbackServer server;
  server.server().Get("/direct", [](const auto&, httplib::Response& res) {
    res.set_content("direct", "text/plain");
  });
  server.start();
  const std::string dead_proxy = test::refused_url();
  ::setenv("http_proxy", dead_proxy.c_str(), 1);
  ::setenv("HTTP_PROXY", dead_proxy.c_str(), 1);
  HttpClient client = client_with();

  HttpResponse response;
  try {
    response = client.send(get(server.url("/direct")));
  } catch (...) {
    ::unsetenv("http_proxy");
    ::unsetenv("HTTP_PROXY");
    throw;
  }
  ::unsetenv("http_proxy");
  ::unsetenv("HTTP_PROXY");

  EXPECT_EQ(response.body, "direct");
}

TEST(HttpClient, DebugLogIsOneLineWithoutSecrets) {
  LoopbackServer server;
  server.server().Post("/log", [](const auto&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  server.start();
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto logger = std::make_shared<spdlog::logger>("capture", sink);
  logger->set_level(spdlog::level::debug);
  logger->set_pattern("%v");
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(logger);
  HttpClient client = client_with();

  HttpRequest request;
  request.method = "POST";
  request.url = server.url("/log?key=SECRETKEY123&page=1");
  request.headers = {{"Authorization", "Bearer SECRETTOKEN456"}};
  request.body = "SECRETBODY789";
  static_cast<void>(client.send(request));
  spdlog::set_default_logger(previous);

  const std::string log = captured.str();
  EXPECT_THAT(
      log,
      ::testing::MatchesRegex(
          "POST http://127\\.0\\.0\\.1:[0-9]+/log\\?key=\\*\\*\\*&page=1"
          " -> 200 \\([0-9]+ ms\\)\n"));
  EXPECT_THAT(log, Not(HasSubstr("SECRET")));
}

TEST(RedactUrl, UnparseableTextIsNotEchoed) {
  EXPECT_EQ(redact_url("not a url with secret"), "<unparseable URL>");
}

TEST(RedactUrl, HidesUserInfoAndSecretQueryValues) {
  EXPECT_EQ(redact_url("https://user:pw@misp.example/events?key=abc&page=2"),
            "https://***@misp.example/events?key=***&page=2");
  EXPECT_EQ(redact_url("https://x.example/t?client_secret=s&api-version=1"
                       "&access_token=t&sig=z"),
            "https://x.example/t?client_secret=***&api-version=1"
            "&access_token=***&sig=***");
}

TEST(RedactUrl, LeavesPlainUrlsAlone) {
  EXPECT_EQ(redact_url("https://api.ti.sentinel.azure.com/workspaces/w/"
                       "threat-intelligence-stix-objects:upload?api-version="
                       "2024-02-01-preview"),
            "https://api.ti.sentinel.azure.com/workspaces/w/"
            "threat-intelligence-stix-objects:upload?api-version="
            "2024-02-01-preview");
}

TEST(ScrubSecret, ReplacesEveryOccurrence) {
  EXPECT_EQ(scrub_secret("a hunter2 b hunter2", "hunter2"), "a *** b ***");
  EXPECT_EQ(scrub_secret("abc", "ab"), "abc");
  EXPECT_EQ(scrub_secret("abc", ""), "abc");
}

TEST(FormEncode, EscapesReservedCharacters) {
  EXPECT_EQ(form_encode({{"a", "b c"}, {"s", "x&y=z+/%"}}),
            "a=b%20c&s=x%26y%3Dz%2B%2F%25");
  EXPECT_EQ(form_encode({}), "");
}

} // namespace
} // namespace m2s
