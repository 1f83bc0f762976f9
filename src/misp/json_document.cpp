#include "json_document.hpp"

namespace m2s::misp_json {

JsonDocumentReader::JsonDocumentReader(std::string where, std::size_t max_depth)
    : m_feed(std::move(where), MispJsonSource::misp_answer, max_depth),
      m_parser({}, m_feed.parse_options()) {}

void JsonDocumentReader::feed(std::string_view chunk) {
  m_feed.feed(chunk,
              [this](auto&&... arguments) { return write(arguments...); });
}

boost::json::value JsonDocumentReader::finish() {
  m_feed.finish([this](auto&&... arguments) { return write(arguments...); });
  return m_parser.release();
}

std::size_t JsonDocumentReader::write(const char* data,
                                      std::size_t size,
                                      bool more,
                                      boost::system::error_code& error) {
  if (more) {
    return m_parser.write_some(data, size, error);
  }
  m_parser.finish(error);
  return 0;
}

} // namespace m2s::misp_json
