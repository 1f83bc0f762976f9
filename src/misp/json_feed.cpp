#include "json_feed.hpp"

#include "misp2sentinel/util/errors.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace m2s::misp_json {

JsonFeed::JsonFeed(std::string where,
                   MispJsonSource source,
                   std::size_t max_depth)
    : m_where(std::move(where)),
      m_source(source),
      m_max_depth(max_depth) {}

boost::json::parse_options JsonFeed::parse_options() const {
  boost::json::parse_options options;
  options.max_depth = m_max_depth;
  // Hand-edited event files (ESET's IOC repository) carry trailing commas;
  // MISP itself writes standard JSON.
  options.allow_trailing_commas = m_source == MispJsonSource::file;
  return options;
}

void JsonFeed::notice_text(std::string_view chunk) {
  if (m_saw_text) {
    return;
  }

  const std::size_t first = chunk.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos) {
    m_saw_text = true;
    m_first_char = chunk[first];
  }
}

// Only a file's errors give a line and column; a MISP answer's give the
// offset, so its bytes are not scanned again.
void JsonFeed::advance(std::string_view used) {
  if (m_source == MispJsonSource::file) {
    const std::size_t last = used.rfind('\n');
    if (last != std::string_view::npos) {
      m_lines +=
          static_cast<std::size_t>(std::count(used.begin(), used.end(), '\n'));
      m_line_start = m_offset + last + 1;
    }
  }
  m_offset += used.size();
}

void JsonFeed::throw_error() const {
  const bool too_deep = m_error == boost::json::error::too_deep;

  if (m_source == MispJsonSource::misp_answer) {
    if (too_deep) {
      throw MispError(fmt::format("{}: the answer nests JSON deeper than "
                                  "[limits] max_json_depth ({})",
                                  m_where,
                                  m_max_depth));
    }
    const bool html = m_saw_text && m_first_char == '<';
    throw MispError(fmt::format(
        "{}: invalid JSON at offset {} ({}){}",
        m_where,
        m_offset,
        m_error.message(),
        html ? "; the answer is an HTML page: check [misp] url" : ""));
  }

  if (!m_saw_text) {
    throw MispError(
        fmt::format("{}: invalid JSON: the text is empty", m_where));
  }
  const std::string position = fmt::format("at byte {} (line {}, column {})",
                                           m_offset,
                                           m_lines + 1,
                                           m_offset - m_line_start + 1);
  if (too_deep) {
    throw MispError(fmt::format("{}: invalid JSON: nested deeper than {} "
                                "levels {}",
                                m_where,
                                m_max_depth,
                                position));
  }
  throw MispError(fmt::format(
      "{}: invalid JSON: {} {}", m_where, m_error.message(), position));
}

} // namespace m2s::misp_json
