#pragma once

// --- `check`: the fix for a failure, from what the failure says ---

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/http/http_client.hpp"

#include <string>

namespace m2s {

// A request to `url` got no answer: what happened and what to change in
// `section` ("[misp]" or "[sentinel]"). TLS failures (told apart by curl's
// code) point at ca_file, timeouts at timeout_seconds, the rest at the URL
// and the network path.
[[nodiscard]] std::string transport_advice(const TransportError& error,
                                           const std::string& section,
                                           const std::string& url);

// The fix for a token failure whose message is `message` (an
// EntraTokenCache error naming Entra's AADSTS code), starting with "; ",
// or "" when there is nothing more to say than the message.
[[nodiscard]] std::string token_advice(const std::string& message,
                                       const SentinelConfig& config);

} // namespace m2s
