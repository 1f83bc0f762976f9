#pragma once

// --- Reading and writing the event files the sandbox serves ---

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace m2s::bench {

// "event-000042.json": zero-padded so that name order is id order.
[[nodiscard]] std::string event_file_name(std::int64_t number);

// The event-*.json files of `dir`, in name order.
[[nodiscard]] std::vector<std::filesystem::path>
event_files(const std::filesystem::path& dir);

// Writes {"Event": event} to a sibling file, then renames it into place,
// so that the sandbox never reads half a file. Returns the bytes written.
// Throws std::runtime_error naming the file when writing fails.
std::uintmax_t write_event_file(const std::filesystem::path& path,
                                const boost::json::object& event);

// The value of "Event" in `path`. Throws std::runtime_error naming the
// file when it cannot be read or has another shape.
[[nodiscard]] boost::json::object
read_event_file(const std::filesystem::path& path);

} // namespace m2s::bench
