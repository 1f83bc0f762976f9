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

} // namespace m2s
