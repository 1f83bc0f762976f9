#pragma once

// SIGTERM and SIGINT during a sync (systemd stopping the unit, timeout(1),
// Ctrl-C): the first asks the run to stop at its next step, so that it
// commits what it did and records the run; a second ends the process at
// once, as if no handler were installed.

#include <optional>
#include <string>
#include <string_view>

namespace m2s {

// For the commands that check termination_signal() between steps.
void install_termination_handlers();

// The signal that asked the run to stop, or 0.
[[nodiscard]] int termination_signal();

// Once a stop was asked, "stopped by SIGTERM while <doing>": how every
// message of a run stopping on a signal begins. Nothing otherwise.
[[nodiscard]] std::optional<std::string>
stop_requested_while(std::string_view doing);

// What the handler does; for tests, which also clear it again.
void request_termination(int signal);
void clear_termination_request();

} // namespace m2s
