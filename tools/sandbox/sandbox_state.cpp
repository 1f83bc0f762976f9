#include "sandbox_state.hpp"

namespace m2s::sandbox {

SandboxState::SandboxState(const SandboxOptions& sandbox_options)
    : options(sandbox_options),
      recorder(sandbox_options.record_path),
      tokens(clock),
      rate(sandbox_options.rate_limit,
           std::chrono::milliseconds(sandbox_options.rate_window_ms)),
      events(sandbox_options.events_dir, sandbox_options.cache_events) {}

} // namespace m2s::sandbox
