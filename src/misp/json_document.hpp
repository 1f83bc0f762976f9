#pragma once

// --- A small MISP answer read into a DOM ---
//
// For answers small enough to hold whole (/events/index), read through
// the same feed as events, so that errors read alike.

#include "json_feed.hpp"

#include <boost/json/stream_parser.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace m2s::misp_json {

class JsonDocumentReader {
public:
  JsonDocumentReader(std::string where, std::size_t max_depth);

  void feed(std::string_view chunk);

  // The document; throws MispError as the event reader of a MISP answer.
  [[nodiscard]] boost::json::value finish();

private:
  std::size_t write(const char* data,
                    std::size_t size,
                    bool more,
                    boost::system::error_code& error);

  JsonFeed m_feed;
  boost::json::stream_parser m_parser;
};

} // namespace m2s::misp_json
