#include "type_rules.hpp"

#include <array>
#include <functional>
#include <map>
#include <string>
#include <utility>

namespace m2s::stix {

namespace {

using RuleTable = std::map<std::string, TypeRule, std::less<>>;

ComponentRule
part(ValuePart value_part, std::string_view component, ObservableKind kind) {
  return {value_part, component, kind, HashAlgorithm::md5};
}

TypeRule single(ObservableKind kind) {
  return {false, {part(ValuePart::whole, "", kind)}};
}

TypeRule composite(std::vector<ComponentRule> components) {
  return {true, std::move(components)};
}

// MISP hash types; each also gives a "filename|<hash>" composite whose
// indicator is the hash (Sentinel matches file hashes, not names).
constexpr std::array<std::pair<std::string_view, HashAlgorithm>, 10>
    k_hash_types = {{
        {"md5", HashAlgorithm::md5},
        {"sha1", HashAlgorithm::sha1},
        {"sha224", HashAlgorithm::sha224},
        {"sha256", HashAlgorithm::sha256},
        {"sha384", HashAlgorithm::sha384},
        {"sha512", HashAlgorithm::sha512},
        {"sha3-256", HashAlgorithm::sha3_256},
        {"sha3-512", HashAlgorithm::sha3_512},
        {"ssdeep", HashAlgorithm::ssdeep},
        {"tlsh", HashAlgorithm::tlsh},
    }};

RuleTable build_table() {
  using enum ObservableKind;
  using enum ValuePart;

  RuleTable table{
      {"ip-src", single(ip)},
      {"ip-dst", single(ip)},
      {"domain", single(domain)},
      {"hostname", single(domain)},
      {"url", single(url)},
      {"filename", single(filename)},
      {"email", single(email)},
      {"email-src", single(email)},
      {"email-dst", single(email)},
      {"target-email", single(email)},
      {"domain|ip",
       composite({part(first, "", domain), part(second, "ip", ip)})},
      {"ip-src|port", composite({part(first, "", ip)})},
      {"ip-dst|port", composite({part(first, "", ip)})},
  };

  for (const auto& [name, algorithm] : k_hash_types) {
    ComponentRule hash_rule = part(whole, "", hash);
    hash_rule.hash = algorithm;
    table.emplace(std::string(name), TypeRule{false, {hash_rule}});

    hash_rule.part = second;
    table.emplace("filename|" + std::string(name), composite({hash_rule}));
  }
  return table;
}

} // namespace

const TypeRule* find_type_rule(std::string_view misp_type) {
  static const RuleTable table = build_table();
  const auto found = table.find(misp_type);
  return found == table.end() ? nullptr : &found->second;
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
  case ObservableKind::email:
    return email_observable(value);
  case ObservableKind::filename:
    return filename_observable(value);
  case ObservableKind::hash:
    return hash_observable(rule.hash, value);
  }
  return std::nullopt;
}

} // namespace m2s::stix
