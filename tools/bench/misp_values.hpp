#pragma once

// --- Realistic MISP attribute values for the benchmark data ---
//
// The mix the benchmark asks for (issue 6): ip-src/ip-dst with IPv6 and
// CIDR, domain, hostname, url, md5/sha1/sha256, filename|sha256,
// domain|ip, email-src, non-actionable text and comment, and the file,
// domain-ip and url objects. Every actionable value is valid, so that what
// misp2sentinel sends is predictable.

#include "random_source.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace m2s::bench {

struct AttributeSpec {
  std::string type;
  std::string category;
  std::string value;
  std::string object_relation; // empty outside objects
};

struct ObjectSpec {
  std::string name;
  std::string meta_category;
  std::string description;
  std::string template_uuid;
  std::vector<AttributeSpec> attributes;
};

// A standalone attribute drawn from the mix.
[[nodiscard]] AttributeSpec random_attribute(RandomSource& random);

// An object with 2 to 4 attributes.
[[nodiscard]] ObjectSpec random_object(RandomSource& random);

// A fresh value of the same type (and, in objects, relation).
[[nodiscard]] std::string random_value(RandomSource& random,
                                       std::string_view type);

// Indicators misp2sentinel makes of an attribute whose to_ids is true
// (README "Conversion"): 2 for domain|ip, 0 for text, comment and
// size-in-bytes and for a url object's other relations, 1 otherwise.
// `object_name` is empty outside objects.
[[nodiscard]] int indicators_for(std::string_view type,
                                 std::string_view object_name,
                                 std::string_view relation);

// May the attribute carry to_ids at all (false for free text)?
[[nodiscard]] bool actionable(std::string_view type);

} // namespace m2s::bench
