#pragma once

// --- What an event's conversion depends on, as one hash ---
//
// Two reads of an event with the same input hash convert to the same
// indicators, so a run that finds the hash it stored last time skips the
// event without converting it (events.input_hash). The hash covers every
// field the parser reads, the settings that shape indicators or the scope,
// and the converter's version: a release that converts differently sees
// every event as changed once, and sends only what really differs.

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/misp/event.hpp"

#include <string>

namespace m2s {

// Raise when the converter's output for the same input changes: stores
// then convert every event again once (the indicator content hashes
// decide what is sent). tests/unit/input_hash_test.cpp pins it to the
// conversion of the bundled events.
inline constexpr int k_conversion_version = 1;

// Lower-case hex SHA-256 of `event` and the parts of `config` that its
// conversion and scope depend on.
[[nodiscard]] std::string event_input_hash(const MispEvent& event,
                                           const Config& config);

// The same for one attribute of a changed event: its fields, the event
// fields its conversion reads (uuid, info, tags, creator org, published;
// the event timestamp for an attribute without one of its own), the
// settings and the converter's version. Two reads with the same hash
// convert the attribute to the same indicators and skips
// (attributes.content_hash).
class AttributeInputHasher {
public:
  AttributeInputHasher(const MispEvent& event, const Config& config);

  [[nodiscard]] std::string hash(const MispAttribute& attribute) const;

private:
  const MispEvent& m_event;
  std::string m_context; // hex SHA-256 of what every attribute shares
};

} // namespace m2s
