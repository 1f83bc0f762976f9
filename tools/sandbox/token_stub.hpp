#pragma once

// --- The Entra ID stand-in: client-credentials tokens ---
//
//   POST /{tenant}/oauth2/v2.0/token   (form: client_id, client_secret,
//                                       scope, grant_type)
// Errors use Entra's shape {"error","error_description":"AADSTS...",
// "error_codes":[...],...}; the description never repeats the secret.

#include "routes.hpp"

namespace m2s::sandbox {

void add_token_routes(Routes& routes, SandboxState& state);

} // namespace m2s::sandbox
