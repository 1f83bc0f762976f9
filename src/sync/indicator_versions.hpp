#pragma once

// --- Versions of one indicator: modified times, revocations ---
//
// Shared by the diff of an event and by the revocation of whole events
// (deleted, out of scope, or revoked by the operator).

#include "misp2sentinel/store/store.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace m2s {

using IndicatorKey = std::pair<std::string, std::string>; // uuid, component

// The content hash of a version that revokes the indicator.
inline constexpr const char* k_revoked_hash = "revoked";

// STIX `modified` must grow with every version, even when two versions are
// made within the same millisecond or the clock stepped back.
[[nodiscard]] std::string next_modified(const std::string& previous,
                                        std::int64_t now_ms);

// Queue the revocation of `row` (its newest generation), or just mark it
// revoked when it never reached Sentinel.
void revoke_indicator(Store& store, IndicatorRow row, std::int64_t now_ms);

// The newest generation of each attribute component of `event_uuid`.
[[nodiscard]] std::map<IndicatorKey, IndicatorRow>
newest_indicators(Store& store, const std::string& event_uuid);

// The same, heads only (IndicatorHead): what a diff reads of an event.
[[nodiscard]] std::map<IndicatorKey, IndicatorHead>
newest_indicator_heads(Store& store, const std::string& event_uuid);

} // namespace m2s
