#pragma once

// --- Text given in chunks to a Boost.JSON parser, and its first error ---
//
// The one path by which the misp module reads JSON, for the event reader
// and for the small answers kept as a DOM: it tracks the position over
// the chunks and words a syntax error for the source (MispJsonSource).

#include "misp2sentinel/misp/event_reader.hpp"

#include <boost/json/error.hpp>
#include <boost/json/parse_options.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace m2s::misp_json {

class JsonFeed {
public:
  JsonFeed(std::string where, MispJsonSource source, std::size_t max_depth);

  [[nodiscard]] boost::json::parse_options parse_options() const;

  [[nodiscard]] const std::string& where() const noexcept {
    return m_where;
  }

  // Gives `chunk` to `write(data, size, more, error)`, which returns the
  // bytes it used, unless an error was seen already.
  template <class Write>
  void feed(std::string_view chunk, Write&& write) {
    if (m_error) {
      return;
    }

    notice_text(chunk);
    const std::size_t used = write(chunk.data(), chunk.size(), true, m_error);
    if (!m_error && used < chunk.size()) {
      m_error = boost::json::error::extra_data;
    }
    advance(chunk.substr(0, used));
  }

  // The end of the text: throws MispError unless it was one JSON value.
  template <class Write>
  void finish(Write&& write) {
    if (!m_error) {
      write(nullptr, 0, false, m_error);
    }
    if (m_error || (m_source == MispJsonSource::file && !m_saw_text)) {
      throw_error();
    }
  }

private:
  void notice_text(std::string_view chunk);
  void advance(std::string_view used);
  [[noreturn]] void throw_error() const;

  std::string m_where;
  MispJsonSource m_source;
  std::size_t m_max_depth;
  boost::system::error_code m_error;

  std::size_t m_offset = 0; // bytes the parser used
  std::size_t m_lines = 0;  // newlines among them (files only)
  std::size_t m_line_start = 0;
  bool m_saw_text = false; // anything but whitespace
  char m_first_char = 0;
};

} // namespace m2s::misp_json
