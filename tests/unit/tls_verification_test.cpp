// TLS verification (issue 7): on by default for every client (MISP, the
// Entra ID token endpoint, Sentinel), `ca_file` trusts a private CA, and
// a certificate for another host name is refused. The server is an
// in-process cpp-httplib SSLServer with a certificate made at test time.

#include "misp2sentinel/http/http_client.hpp"
#include "misp2sentinel/misp/misp_client.hpp"
#include "misp2sentinel/sentinel/token_cache.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "net_test_support.hpp"
#include "temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace m2s {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* k_secret = "tls-test-client-secret-0123";

struct KeyFree {
  void operator()(EVP_PKEY* key) const noexcept {
    EVP_PKEY_free(key);
  }
};

struct CertFree {
  void operator()(X509* cert) const noexcept {
    X509_free(cert);
  }
};

struct BioFree {
  void operator()(BIO* bio) const noexcept {
    BIO_free(bio);
  }
};

void require(bool ok, const char* what) {
  if (!ok) {
    throw std::runtime_error(std::string("OpenSSL: ") + what);
  }
}

// A self-signed P-256 certificate for `names` (subjectAltName syntax),
// written as <base>.crt and <base>.key.
void make_certificate(const std::string& base, const std::string& names) {
  const std::unique_ptr<EVP_PKEY, KeyFree> key(EVP_EC_gen("P-256"));
  const std::unique_ptr<X509, CertFree> cert(X509_new());
  require(key && cert, "allocate");

  require(X509_set_version(cert.get(), 2) == 1, "version");
  require(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) == 1,
          "serial");
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  require(X509_set_pubkey(cert.get(), key.get()) == 1, "public key");

  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto* common_name =
      reinterpret_cast<const unsigned char*>("misp2sentinel test");
  require(X509_NAME_add_entry_by_txt(
              name, "CN", MBSTRING_ASC, common_name, -1, -1, 0)
              == 1,
          "subject");
  require(X509_set_issuer_name(cert.get(), name) == 1, "issuer");

  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509_EXTENSION* alt_names = X509V3_EXT_conf_nid(
      nullptr, &context, NID_subject_alt_name, names.c_str());
  require(alt_names != nullptr, "subjectAltName");
  require(X509_add_ext(cert.get(), alt_names, -1) == 1, "add extension");
  X509_EXTENSION_free(alt_names);
  require(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "sign");

  const std::unique_ptr<BIO, BioFree> cert_file(
      BIO_new_file((base + ".crt").c_str(), "w"));
  const std::unique_ptr<BIO, BioFree> key_file(
      BIO_new_file((base + ".key").c_str(), "w"));
  require(cert_file && key_file, "open files");
  require(PEM_write_bio_X509(cert_file.get(), cert.get()) == 1, "write cert");
  require(PEM_write_bio_PrivateKey(
              key_file.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
              == 1,
          "write key");
}

// An HTTPS server on 127.0.0.1 that answers a token request, a MISP
// search and GET /.
class TlsServer {
public:
  explicit TlsServer(const std::string& base)
      : m_server((base + ".crt").c_str(), (base + ".key").c_str()) {
    m_server.set_keep_alive_max_count(1);
    m_server.Post("/tenant-1/oauth2/v2.0/token",
                  [](const httplib::Request&, httplib::Response& res) {
                    res.set_content(R"({"token_type":"Bearer",)"
                                    R"("expires_in":3600,)"
                                    R"("access_token":"tls-token"})",
                                    "application/json");
                  });
    m_server.Post("/events/restSearch",
                  [](const httplib::Request&, httplib::Response& res) {
                    res.set_content(R"({"response":[]})", "application/json");
                  });
    m_server.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("hello over TLS", "text/plain");
    });

    m_port = m_server.bind_to_any_port("127.0.0.1");
    if (m_port <= 0) {
      throw std::runtime_error("cannot bind a loopback port");
    }
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
    for (int i = 0; i < 1000 && !m_server.is_running(); ++i) {
      std::this_thread::sleep_for(milliseconds(1));
    }
  }

  ~TlsServer() {
    m_server.stop();
    m_thread.join();
  }

  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  std::string url(const std::string& host = "127.0.0.1") const {
    return "https://" + host + ":" + std::to_string(m_port);
  }

private:
  httplib::SSLServer m_server;
  int m_port = 0;
  std::thread m_thread;
};

class TlsVerification : public ::testing::Test {
protected:
  void SetUp() override {
    make_certificate(m_base, "IP:127.0.0.1,DNS:localhost");
    m_tls = std::make_unique<TlsServer>(m_base);
  }

  // The TransportError text of GET `url`, or "status <n>: <body>".
  std::string get(const std::string& url, const TlsOptions& tls) {
    HttpOptions options;
    options.tls = tls;
    options.timeout = std::chrono::seconds(10);
    HttpClient http(options);
    HttpRequest request;
    request.url = url;
    try {
      const HttpResponse response = http.send(request);
      return "status " + std::to_string(response.status) + ": " + response.body;
    } catch (const TransportError& error) {
      return error.what();
    }
  }

  SentinelConfig sentinel_config() const {
    SentinelConfig config;
    config.tenant_id = "tenant-1";
    config.client_id = "client-1";
    config.client_secret = Secret(k_secret);
    config.login_url = m_tls->url();
    return config;
  }

  std::string ca_file() const {
    return m_base + ".crt";
  }

  testing::TempDir m_dir;
  std::string m_base = m_dir.file("server");
  std::unique_ptr<TlsServer> m_tls;
};

TEST_F(TlsVerification, DefaultsVerifyPeerAndHost) {
  const HttpOptions options;

  EXPECT_TRUE(options.tls.verify);
  EXPECT_EQ(options.tls.ca_file, "");
  EXPECT_TRUE(MispConfig{}.verify_tls);
  EXPECT_TRUE(SentinelConfig{}.verify_tls);
}

TEST_F(TlsVerification, SelfSignedServerIsRefusedByDefault) {
  EXPECT_EQ(get(m_tls->url("127.0.0.1") + "/", TlsOptions{}),
            "GET " + m_tls->url()
                + "/ failed: SSL certificate problem: "
                  "self-signed certificate");
}

TEST_F(TlsVerification, CaFileMakesThePrivateCaTrusted) {
  EXPECT_EQ(get(m_tls->url() + "/", TlsOptions{true, ca_file()}),
            "status 200: hello over TLS");
}

TEST_F(TlsVerification, CertificateForAnotherHostIsRefusedEvenWithCaFile) {
  const std::string other = m_dir.file("other");
  make_certificate(other, "DNS:misp.example.org");
  const TlsServer server(other);

  EXPECT_THAT(get(server.url() + "/", TlsOptions{true, other + ".crt"}),
              HasSubstr("no alternative certificate subject name matches "
                        "target host name '127.0.0.1'"));
}

TEST_F(TlsVerification, TurningVerificationOffAcceptsAnyCertificate) {
  EXPECT_EQ(get(m_tls->url() + "/", TlsOptions{false, ""}),
            "status 200: hello over TLS");
}

TEST_F(TlsVerification, TokenEndpointIsVerifiedByDefault) {
  const SentinelConfig config = sentinel_config();
  HttpClient http(HttpOptions{});
  EntraTokenCache tokens(config, http);

  try {
    static_cast<void>(tokens.bearer());
    FAIL() << "the token request went through";
  } catch (const SentinelError& error) {
    EXPECT_EQ(std::string(error.what()),
              "Entra ID token request for tenant tenant-1 could not reach "
                  + m_tls->url() + "/tenant-1/oauth2/v2.0/token: POST "
                  + m_tls->url()
                  + "/tenant-1/oauth2/v2.0/token failed: SSL certificate "
                    "problem: self-signed certificate");
    EXPECT_THAT(error.what(), Not(HasSubstr(k_secret)));
  }
}

TEST_F(TlsVerification, TokenEndpointTrustsCaFile) {
  const SentinelConfig config = sentinel_config();
  HttpOptions options;
  options.tls = TlsOptions{true, ca_file()};
  HttpClient http(options);
  EntraTokenCache tokens(config, http);

  EXPECT_EQ(tokens.bearer(), "tls-token");
}

TEST_F(TlsVerification, MispIsVerifiedByDefaultAndTrustsCaFile) {
  MispConfig config;
  config.url = m_tls->url();
  config.key = Secret("tls-test-misp-key-0123456789");
  test::FakeTime time;

  HttpClient strict(HttpOptions{});
  RetryBudget no_retries(milliseconds(0), milliseconds(1), milliseconds(1));
  MispClient refused(config, strict, no_retries, time.sleeper());
  EXPECT_THROW(
      {
        try {
          static_cast<void>(refused.fetch_events({}));
        } catch (const MispError& error) {
          EXPECT_THAT(error.what(),
                      HasSubstr("SSL certificate problem: self-signed "
                                "certificate"));
          throw;
        }
      },
      MispError);

  HttpOptions options;
  options.tls = TlsOptions{true, ca_file()};
  HttpClient trusting(options);
  RetryBudget retry(milliseconds(0), milliseconds(1), milliseconds(1));
  MispClient client(config, trusting, retry, time.sleeper());
  EXPECT_TRUE(client.fetch_events({}).events.empty());
}

// A refused certificate is a setting to fix: waiting out the retry
// budget would only delay the error.
TEST_F(TlsVerification, RefusedCertificateIsNotRetried) {
  MispConfig misp;
  misp.url = m_tls->url();
  misp.key = Secret("tls-test-misp-key-0123456789");
  test::FakeTime time;
  HttpClient strict(HttpOptions{});
  RetryBudget budget(std::chrono::seconds(300),
                     std::chrono::seconds(1),
                     std::chrono::seconds(60));
  MispClient client(misp, strict, budget, time.sleeper());
  EXPECT_THROW(static_cast<void>(client.fetch_events({})), MispError);

  const SentinelConfig sentinel = sentinel_config();
  EntraTokenCache tokens(sentinel, strict);
  tokens.retry_with(budget, time.sleeper());
  EXPECT_THROW(static_cast<void>(tokens.bearer()), SentinelError);

  EXPECT_TRUE(time.sleeps().empty());
}

} // namespace
} // namespace m2s
