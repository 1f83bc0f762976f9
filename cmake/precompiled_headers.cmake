# --- Precompiled headers ---
#
# Boost.JSON, spdlog, fmt, GoogleTest and cpp-httplib make up most of what
# each translation unit compiles; precompiling them once per target keeps
# a clean build (CI builds twice: gcc, then clang with sanitizers) short.
# A header in the list is visible to every file of the target, so a file
# that forgets an #include still builds here: build with
# -DM2S_PRECOMPILED_HEADERS=OFF to check includes.

option(M2S_PRECOMPILED_HEADERS "Precompile the heavy library headers" ON)

set(M2S_PCH_LIBRARIES
    <boost/json.hpp> <fmt/format.h> <spdlog/spdlog.h>
    <SQLiteCpp/Database.h> <SQLiteCpp/Statement.h>)
set(M2S_PCH_STANDARD
    <algorithm> <chrono> <cstdint> <filesystem> <functional> <map>
    <memory> <optional> <set> <string> <string_view> <vector>)

# m2s_precompile(target [header...]): the standard headers plus the given
# ones; targets linking m2s_core pass ${M2S_PCH_LIBRARIES}.
function(m2s_precompile target)
  if(M2S_PRECOMPILED_HEADERS)
    target_precompile_headers(${target} PRIVATE ${M2S_PCH_STANDARD} ${ARGN})
  endif()
endfunction()
