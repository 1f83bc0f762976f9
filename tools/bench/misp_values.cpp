#include "misp_values.hpp"

#include <array>
#include <utility>

namespace m2s::bench {

namespace {

constexpr std::array<std::string_view, 12> k_tlds = {"com",
                                                     "net",
                                                     "org",
                                                     "info",
                                                     "ru",
                                                     "cn",
                                                     "io",
                                                     "xyz",
                                                     "top",
                                                     "biz",
                                                     "de",
                                                     "co.uk"};

constexpr std::array<std::string_view, 16> k_syllables = {"ka",
                                                          "lo",
                                                          "mi",
                                                          "net",
                                                          "sec",
                                                          "up",
                                                          "da",
                                                          "te",
                                                          "ro",
                                                          "zu",
                                                          "cdn",
                                                          "api",
                                                          "ver",
                                                          "tor",
                                                          "lin",
                                                          "qua"};

constexpr std::array<std::string_view, 12> k_words = {"loader",
                                                      "dropper",
                                                      "beacon",
                                                      "payload",
                                                      "campaign",
                                                      "phishing",
                                                      "staging",
                                                      "observed",
                                                      "infra",
                                                      "c2",
                                                      "sample",
                                                      "report"};

constexpr std::array<std::string_view, 8> k_extensions = {
    "exe", "dll", "doc", "xlsm", "js", "ps1", "zip", "lnk"};

std::string label(RandomSource& random) {
  std::string text;
  const auto parts = random.between(2, 4);
  for (std::int64_t i = 0; i < parts; ++i) {
    text += random.pick(k_syllables);
  }
  if (random.chance(0.3)) {
    text += std::to_string(random.below(1000));
  }
  return text;
}

std::string domain(RandomSource& random) {
  return label(random) + "." + std::string(random.pick(k_tlds));
}

std::string ipv4(RandomSource& random) {
  // Public-looking first octets: no 0, 10, 127 or multicast.
  std::uint64_t first = 0;
  do {
    first = 1 + random.below(223);
  } while (first == 10 || first == 127);
  return std::to_string(first) + "." + std::to_string(random.below(256)) + "."
         + std::to_string(random.below(256)) + "."
         + std::to_string(1 + random.below(254));
}

std::string ipv6(RandomSource& random) {
  return "2001:db8:" + random.hex(4) + ":" + random.hex(4)
         + "::" + random.hex(4);
}

// IPv4 mostly; some IPv6 and some CIDR ranges (host bits clear).
std::string ip(RandomSource& random) {
  const double draw = random.unit();
  if (draw < 0.10) {
    return ipv6(random);
  }
  if (draw < 0.15) {
    return std::to_string(1 + random.below(222)) + "."
           + std::to_string(random.below(256)) + "."
           + std::to_string(random.below(256)) + ".0/24";
  }
  return ipv4(random);
}

std::string url(RandomSource& random) {
  std::string text = random.chance(0.8) ? "https://" : "http://";
  text += random.chance(0.2) ? ipv4(random) : domain(random);
  // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict on
  // "literal" + std::string&&.
  text += '/';
  text += label(random);
  text += '/';
  text += label(random);
  if (random.chance(0.4)) {
    text += ".php?id=" + std::to_string(random.below(100000));
  }
  if (random.chance(0.02)) {
    text += "&q='" + label(random) + "'"; // quotes need STIX escaping
  }
  return text;
}

std::string filename(RandomSource& random) {
  return label(random) + "." + std::string(random.pick(k_extensions));
}

std::string sentence(RandomSource& random) {
  std::string text;
  const auto words = random.between(4, 24);
  for (std::int64_t i = 0; i < words; ++i) {
    if (i != 0) {
      text += ' ';
    }
    text += random.pick(k_words);
  }
  return text;
}

struct TypeShare {
  std::string_view type;
  std::string_view category;
  int weight;
};

// Shares of standalone attributes, in percent.
constexpr std::array<TypeShare, 15> k_mix = {{
    {"ip-dst", "Network activity", 16},
    {"ip-src", "Network activity", 8},
    {"domain", "Network activity", 12},
    {"hostname", "Network activity", 6},
    {"url", "Network activity", 10},
    {"md5", "Payload delivery", 6},
    {"sha1", "Payload delivery", 5},
    {"sha256", "Payload delivery", 8},
    {"filename|sha256", "Payload delivery", 4},
    {"domain|ip", "Network activity", 4},
    {"email-src", "Payload delivery", 3},
    {"filename", "Payload delivery", 5},
    {"text", "Other", 6},
    {"comment", "Other", 4},
    {"text", "External analysis", 3},
}};

} // namespace

std::string random_value(RandomSource& random, std::string_view type) {
  if (type == "ip-dst" || type == "ip-src") {
    return ip(random);
  }
  if (type == "domain") {
    return domain(random);
  }
  if (type == "hostname") {
    return std::string(random.chance(0.5) ? "mail." : "www.") + domain(random);
  }
  if (type == "url") {
    return url(random);
  }
  if (type == "md5") {
    return random.hex(32);
  }
  if (type == "sha1") {
    return random.hex(40);
  }
  if (type == "sha256") {
    return random.hex(64);
  }
  if (type == "filename|sha256") {
    return filename(random) + "|" + random.hex(64);
  }
  if (type == "domain|ip") {
    return domain(random) + "|" + ipv4(random);
  }
  if (type == "email-src") {
    return label(random) + "@" + domain(random);
  }
  if (type == "filename") {
    return filename(random);
  }
  if (type == "size-in-bytes") {
    return std::to_string(1024 + random.below(8 * 1024 * 1024));
  }
  return sentence(random);
}

int indicators_for(std::string_view type,
                   std::string_view object_name,
                   std::string_view relation) {
  if (object_name == "url" && relation != "url") {
    return 0; // only the url itself is the object's observable
  }
  if (type == "domain|ip") {
    return 2;
  }
  return actionable(type) ? 1 : 0;
}

bool actionable(std::string_view type) {
  return type != "text" && type != "comment" && type != "size-in-bytes";
}

AttributeSpec random_attribute(RandomSource& random) {
  int total = 0;
  for (const TypeShare& share : k_mix) {
    total += share.weight;
  }
  auto draw = static_cast<int>(random.below(static_cast<std::uint64_t>(total)));
  for (const TypeShare& share : k_mix) {
    if (draw < share.weight) {
      return AttributeSpec{std::string(share.type),
                           std::string(share.category),
                           random_value(random, share.type),
                           {}};
    }
    draw -= share.weight;
  }
  return AttributeSpec{"text", "Other", sentence(random), {}};
}

ObjectSpec random_object(RandomSource& random) {
  const auto member =
      [&random](std::string type, std::string category, std::string relation) {
        AttributeSpec spec{std::move(type), std::move(category), {}, {}};
        spec.value = random_value(random, spec.type);
        spec.object_relation = std::move(relation);
        return spec;
      };

  const double draw = random.unit();
  if (draw < 0.45) {
    ObjectSpec file{"file",
                    "file",
                    "File object describing a file with meta-information",
                    "688c46fb-5edb-40a3-8273-1af7923e2215",
                    {}};
    file.attributes.push_back(
        member("filename", "Payload delivery", "filename"));
    file.attributes.push_back(member("md5", "Payload delivery", "md5"));
    file.attributes.push_back(member("sha256", "Payload delivery", "sha256"));
    if (random.chance(0.5)) {
      file.attributes.push_back(
          member("size-in-bytes", "Other", "size-in-bytes"));
    }
    return file;
  }
  if (draw < 0.8) {
    ObjectSpec pair{"domain-ip",
                    "network",
                    "A domain and IP address seen as a tuple in a specific "
                    "time frame.",
                    "43b3b146-77eb-4931-b4cc-b66c60f28734",
                    {}};
    pair.attributes.push_back(member("domain", "Network activity", "domain"));
    pair.attributes.push_back(member("ip-dst", "Network activity", "ip"));
    return pair;
  }
  ObjectSpec link{"url",
                  "network",
                  "url object describes an url along with its normalized "
                  "field",
                  "60efb77b-40b5-4c46-871b-ed1ed999fce5",
                  {}};
  link.attributes.push_back(member("url", "Network activity", "url"));
  link.attributes.push_back(member("domain", "Network activity", "domain"));
  return link;
}

} // namespace m2s::bench
