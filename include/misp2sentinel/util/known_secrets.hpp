#pragma once

// --- The secrets this process holds, for scrubbing any text it shows ---
//
// Each client scrubs the secret it sent from what its server answers. This
// is the guard behind that: a server may quote a secret it was never sent
// (a misconfigured proxy, a test double, an Entra ID error echoing a
// header), so every error message and the log lines that quote a server
// are scrubbed of every secret known here: the MISP key, the client
// secret, and each bearer token obtained.

#include <string>

namespace m2s {

// Remember `secret` for the rest of the process. Secrets shorter than 4
// characters are ignored: replacing them would mangle every message.
void remember_secret(const std::string& secret);

// Remember a short-lived secret (a bearer token). Only the newest few are
// kept: tokens are renewed every hour, and a long run (or a fuzzer) must
// not grow the list without end.
void remember_short_lived_secret(const std::string& secret);

// `text` with every occurrence of `secret` replaced by "***": what each
// client does with the secret it sent when it quotes its server's answer.
// Secrets shorter than 4 characters are left alone (replacing them would
// mangle the message).
[[nodiscard]] std::string scrub_secret(std::string text,
                                       const std::string& secret);

// `text` with every occurrence of every remembered secret replaced by
// "***". Thread-safe.
[[nodiscard]] std::string scrub_known_secrets(std::string text);

} // namespace m2s
