#pragma once

// --- One-line messages on stderr ---
//
// Callers must never pass request bodies, Authorization values, client
// secrets or tokens: the log is meant to be pasted into bug reports.

#include <string_view>

namespace m2s::sandbox {

// "m2s-sandbox: <text>", whole lines even from several threads.
void log_line(std::string_view text);

// "m2s-sandbox: warning: <text>".
void log_warning(std::string_view text);

} // namespace m2s::sandbox
