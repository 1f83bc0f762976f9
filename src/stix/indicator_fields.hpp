#pragma once

// --- The STIX fields of an indicator draft that come from MISP data ---
//
// Event-level fields are worked out once per event (`EventContext`); each
// observable then gets its draft from `make_draft`.

#include "misp2sentinel/misp/event.hpp"
#include "misp2sentinel/stix/conversion.hpp"
#include "observable_values.hpp"

#include <boost/json/array.hpp>

#include <optional>
#include <string>
#include <vector>

namespace m2s::stix {

struct EventContext {
  const MispEvent* event = nullptr;
  const ConversionOptions* options = nullptr;
  std::string name; // event info, or "MISP event <uuid>"
  // The event's tags that count (without local ones when ignored).
  std::vector<MispTag> tags;
  std::optional<int> confidence;
  std::optional<std::string> marking; // event TLP, else the default's
  std::vector<std::string> threat_types;
  std::vector<std::string> kill_chain_phases;
  std::optional<std::string> created_by_ref;
  boost::json::array external_references;
};

[[nodiscard]] EventContext make_event_context(const MispEvent& event,
                                              const ConversionOptions& options);

// The draft for `observable`, the `component` of `attribute`. `detail`
// (e.g. "port 443", the part of a composite that is no indicator) goes
// into the description when not empty.
[[nodiscard]] IndicatorDraft make_draft(const EventContext& context,
                                        const MispAttribute& attribute,
                                        std::string_view component,
                                        Observable observable,
                                        std::string_view detail);

} // namespace m2s::stix
