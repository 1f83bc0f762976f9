#include "object_rules.hpp"

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>

namespace m2s::stix {

namespace {

// A relation that gives an indicator: by the attribute's type (nullopt)
// or as the named kind, whatever the type says.
using RelationTable =
    std::map<std::string_view, std::optional<ObservableKind>, std::less<>>;
using ObjectTable = std::map<std::string_view, RelationTable, std::less<>>;

RelationTable by_type(std::initializer_list<std::string_view> relations) {
  RelationTable table;
  for (const std::string_view relation : relations) {
    table.emplace(relation, std::nullopt);
  }
  return table;
}

// The relations of the `file` and `lnk` templates that name the file
// itself: its name and its hashes.
RelationTable file_relations() {
  return by_type({"filename",   "md5",      "sha1",          "sha224",
                  "sha256",     "sha384",   "sha512",        "sha512/224",
                  "sha512/256", "sha3-224", "sha3-256",      "sha3-384",
                  "sha3-512",   "ssdeep",   "tlsh",          "authentihash",
                  "imphash",    "pehash",   "vhash",         "telfhash",
                  "impfuzzy",   "cdhash",   "malware-sample"});
}

ObjectTable build_objects() {
  ObjectTable table;
  table.emplace("file", file_relations());
  table.emplace("lnk", file_relations());
  // The PE header's hashes identify the file; its names, its rich header
  // hash (`richpe`) and its sections do not.
  table.emplace("pe",
                by_type({"imphash", "impfuzzy", "authentihash", "pehash"}));
  table.emplace("domain-ip", by_type({"domain", "hostname", "ip"}));
  table.emplace("ip-port",
                by_type({"ip", "ip-dst", "ip-src", "domain", "hostname"}));
  table.emplace("url", by_type({"url"}));
  // Received-header addresses and names are the relays on the way, most
  // of them the victim's own.
  table.emplace("email",
                by_type({"from",
                         "to",
                         "cc",
                         "bcc",
                         "reply-to",
                         "return-path",
                         "from-domain",
                         "ip-src",
                         "attachment"}));
  table.emplace("registry-key", by_type({"key"}));

  RelationTable account = by_type({"email"});
  account.emplace("username", ObservableKind::account_login);
  account.emplace("user-id", ObservableKind::user_id);
  table.emplace("user-account", std::move(account));
  return table;
}

const TypeRule& kind_rule(ObservableKind kind) {
  static const std::map<ObservableKind, TypeRule> rules = [] {
    std::map<ObservableKind, TypeRule> built;
    for (const ObservableKind each :
         {ObservableKind::account_login, ObservableKind::user_id}) {
      built.emplace(
          each,
          TypeRule{
              Split::none,
              {ComponentRule{ValuePart::whole, "", each, HashAlgorithm::md5}},
              std::nullopt});
    }
    return built;
  }();
  return rules.at(kind);
}

AttributeRule type_rule(std::string_view misp_type) {
  if (const TypeRule* rule = find_type_rule(misp_type)) {
    return {rule, ""};
  }
  return {nullptr, type_skip_reason(misp_type).value_or("unsupported type")};
}

} // namespace

AttributeRule rule_for(const MispAttribute& attribute) {
  if (attribute.object_name.empty()) {
    return type_rule(attribute.type);
  }

  static const ObjectTable objects = build_objects();
  const auto object = objects.find(attribute.object_name);
  if (object == objects.end()) {
    return {nullptr, "unsupported object"};
  }
  const auto relation = object->second.find(attribute.object_relation);
  if (relation == object->second.end()) {
    return {nullptr, "object context"};
  }
  if (relation->second) {
    return {&kind_rule(*relation->second), ""};
  }
  return type_rule(attribute.type);
}

} // namespace m2s::stix
