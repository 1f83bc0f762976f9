#include "type_rules.hpp"

#include <array>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>

namespace m2s::stix {

namespace {

using RuleTable = std::map<std::string, TypeRule, std::less<>>;
using ReasonTable = std::map<std::string_view, std::string_view, std::less<>>;

ComponentRule
part(ValuePart value_part, std::string_view component, ObservableKind kind) {
  return {value_part, component, kind, HashAlgorithm::md5};
}

TypeRule single(ObservableKind kind) {
  return {Split::none, {part(ValuePart::whole, "", kind)}, std::nullopt};
}

// "<address or name>|<port>": the port only describes the indicator.
TypeRule with_port(ObservableKind kind) {
  return {Split::one_bar,
          {part(ValuePart::first, "", kind)},
          ContextPart{ValuePart::second, "port"}};
}

// MISP hash types; each also gives a "filename|<hash>" composite whose
// indicator is the hash (Sentinel matches file hashes; a name alone
// matches every file so called).
constexpr std::array<std::pair<std::string_view, HashAlgorithm>, 21>
    k_hash_types = {{
        {"md5", HashAlgorithm::md5},
        {"sha1", HashAlgorithm::sha1},
        {"sha224", HashAlgorithm::sha224},
        {"sha256", HashAlgorithm::sha256},
        {"sha384", HashAlgorithm::sha384},
        {"sha512", HashAlgorithm::sha512},
        {"sha512/224", HashAlgorithm::sha512_224},
        {"sha512/256", HashAlgorithm::sha512_256},
        {"sha3-224", HashAlgorithm::sha3_224},
        {"sha3-256", HashAlgorithm::sha3_256},
        {"sha3-384", HashAlgorithm::sha3_384},
        {"sha3-512", HashAlgorithm::sha3_512},
        {"ssdeep", HashAlgorithm::ssdeep},
        {"tlsh", HashAlgorithm::tlsh},
        {"imphash", HashAlgorithm::imphash},
        {"authentihash", HashAlgorithm::authentihash},
        {"pehash", HashAlgorithm::pehash},
        {"vhash", HashAlgorithm::vhash},
        {"telfhash", HashAlgorithm::telfhash},
        {"impfuzzy", HashAlgorithm::impfuzzy},
        {"cdhash", HashAlgorithm::cdhash},
    }};

void add_hash_types(RuleTable& table) {
  for (const auto& [name, algorithm] : k_hash_types) {
    ComponentRule hash_rule = part(ValuePart::whole, "", ObservableKind::hash);
    hash_rule.hash = algorithm;
    table.emplace(std::string(name),
                  TypeRule{Split::none, {hash_rule}, std::nullopt});

    hash_rule.part = ValuePart::second;
    table.emplace("filename|" + std::string(name),
                  TypeRule{Split::one_bar,
                           {hash_rule},
                           ContextPart{ValuePart::first, "file name"}});
  }
}

RuleTable build_table() {
  using enum ObservableKind;
  using enum ValuePart;

  RuleTable table{
      {"ip-src", single(ip)},
      {"ip-dst", single(ip)},
      {"domain", single(domain)},
      {"hostname", single(domain)},
      {"onion-address", single(domain)},
      {"url", single(url)},
      {"uri", single(absolute_url)},
      {"link", single(absolute_url)},
      {"filename", single(filename)},
      {"email-attachment", single(filename)},
      {"email", single(email)},
      {"email-src", single(email)},
      {"email-dst", single(email)},
      {"email-reply-to", single(email)},
      {"target-email", single(email)},
      {"regkey", single(registry_key)},
      {"github-username", single(account_login)},
      {"domain|ip",
       {Split::one_bar,
        {part(first, "", domain), part(second, "ip", ip)},
        std::nullopt}},
      {"ip-src|port", with_port(ip)},
      {"ip-dst|port", with_port(ip)},
      {"hostname|port", with_port(domain)},
      {"regkey|value",
       {Split::first_bar,
        {part(first, "", registry_key)},
        ContextPart{second, "value data"}}},
  };
  add_hash_types(table);

  // "<file name>|<md5>", the sample itself being an attachment.
  ComponentRule sample = part(second, "", hash);
  table.emplace(
      "malware-sample",
      TypeRule{Split::one_bar, {sample}, ContextPart{first, "file name"}});
  return table;
}

void add_reason(ReasonTable& table,
                std::string_view reason,
                std::initializer_list<std::string_view> types) {
  for (const std::string_view type : types) {
    table.emplace(type, reason);
  }
}

// Every other type of MISP's describeTypes, by why it gives no indicator.
ReasonTable build_reasons() {
  ReasonTable table;
  // Detection rules in another language: Sentinel matches STIX patterns
  // of observables only.
  add_reason(table,
             "rule language",
             {"snort",
              "suricata",
              "bro",
              "zeek",
              "yara",
              "sigma",
              "stix2-pattern",
              "pattern-in-file",
              "pattern-in-traffic",
              "pattern-in-memory",
              "filename-pattern",
              "kusto-query",
              "gene"});
  // Observables, but of a kind Sentinel's indicators cannot hold: it
  // indexes files, IPs, domains, URLs, e-mail addresses, user accounts and
  // registry keys only.
  add_reason(table,
             "not matchable",
             {"pdb",
              "eppn",
              "http-method",
              "user-agent",
              "ja3-fingerprint-md5",
              "jarm-fingerprint",
              "favicon-mmh3",
              "hassh-md5",
              "hasshserver-md5",
              "AS",
              "community-id",
              "dom-hash",
              "ssh-fingerprint",
              "pgp-public-key",
              "pgp-private-key",
              "mime-type",
              "cookie",
              "named pipe",
              "mutex",
              "process-state",
              "btc",
              "dash",
              "xmr",
              "iban",
              "bic",
              "bank-account-nr",
              "aba-rtn",
              "bin",
              "cc-number",
              "prtn",
              "windows-scheduled-task",
              "windows-service-name",
              "windows-service-displayname",
              "x509-fingerprint-sha1",
              "x509-fingerprint-md5",
              "x509-fingerprint-sha256",
              "port",
              "mac-address",
              "mac-eui-64",
              "email-subject",
              "email-body",
              "email-header",
              "email-x-mailer",
              "email-mime-boundary",
              "email-thread-index",
              "email-message-id",
              "email-src-display-name",
              "email-dst-display-name",
              "github-repository",
              "github-organisation",
              "jabber-id",
              "twitter-id",
              "dkim",
              "dkim-signature",
              "mobile-application-id",
              "azure-application-id",
              "chrome-extension-id",
              "edge-extension-id"});
  add_reason(table, "free text", {"comment", "text", "other", "hex"});
  // Facts about the event, the actor or a victim rather than something to
  // look for in logs.
  add_reason(table,
             "context only",
             {"float",
              "git-commit-id",
              "identity-card-number",
              "vulnerability",
              "cpe",
              "weakness",
              "attachment",
              "target-user",
              "target-machine",
              "target-org",
              "target-location",
              "target-external",
              "phone-number",
              "threat-actor",
              "campaign-name",
              "campaign-id",
              "malware-type",
              "whois-registrant-email",
              "whois-registrant-phone",
              "whois-registrant-name",
              "whois-registrant-org",
              "whois-registrar",
              "whois-creation-date",
              "dns-soa-email",
              "size-in-bytes",
              "counter",
              "integer",
              "datetime",
              "cortex",
              "boolean",
              "uuid",
              "anonymised",
              "first-name",
              "middle-name",
              "last-name",
              "full-name",
              "date-of-birth",
              "place-of-birth",
              "gender",
              "passport-number",
              "passport-country",
              "passport-expiration",
              "redress-number",
              "nationality",
              "visa-number",
              "issue-date-of-the-visa",
              "primary-residence",
              "country-of-residence",
              "special-service-request",
              "frequent-flyer-number",
              "travel-details",
              "payment-details",
              "place-port-of-original-embarkation",
              "place-port-of-clearance",
              "place-port-of-onward-foreign-destination",
              "passenger-name-record-locator-number"});
  return table;
}

} // namespace

const TypeRule* find_type_rule(std::string_view misp_type) {
  static const RuleTable table = build_table();
  const auto found = table.find(misp_type);
  return found == table.end() ? nullptr : &found->second;
}

std::optional<std::string_view> type_skip_reason(std::string_view misp_type) {
  static const ReasonTable table = build_reasons();
  const auto found = table.find(misp_type);
  if (found == table.end()) {
    return std::nullopt;
  }
  return found->second;
}

std::optional<Observable> make_observable(const ComponentRule& rule,
                                          std::string_view value) {
  switch (rule.kind) {
  case ObservableKind::ip:
    return ip_observable(value);
  case ObservableKind::domain:
    return domain_observable(value);
  case ObservableKind::url:
    return url_observable(value);
  case ObservableKind::absolute_url:
    return absolute_url_observable(value);
  case ObservableKind::email:
    return email_observable(value);
  case ObservableKind::filename:
    return filename_observable(value);
  case ObservableKind::hash:
    return hash_observable(rule.hash, value);
  case ObservableKind::registry_key:
    return registry_key_observable(value);
  case ObservableKind::account_login:
    return account_login_observable(value);
  case ObservableKind::user_id:
    return user_id_observable(value);
  }
  return std::nullopt;
}

} // namespace m2s::stix
