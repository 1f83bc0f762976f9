#include "event_json.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <boost/json/error.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/parser.hpp>
#include <fmt/format.h>

#include <algorithm>

namespace m2s::misp_json {

namespace {

std::string position(std::string_view text, std::size_t offset) {
  const std::string_view before = text.substr(0, offset);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const std::size_t line_start = before.rfind('\n');
  const std::size_t column =
      line_start == std::string_view::npos ? offset + 1 : offset - line_start;
  return fmt::format("at byte {} (line {}, column {})", offset, line, column);
}

} // namespace

boost::json::value parse_json_text(std::string_view text,
                                   std::string_view where,
                                   std::size_t max_depth) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw MispError(fmt::format("{}: invalid JSON: the text is empty", where));
  }

  boost::json::parse_options options;
  options.max_depth = max_depth;
  // Hand-edited event files (ESET's IOC repository) carry trailing commas.
  options.allow_trailing_commas = true;

  boost::json::parser parser(boost::json::storage_ptr(), options);
  boost::system::error_code error;
  const std::size_t consumed = parser.write(text.data(), text.size(), error);
  if (error == boost::json::error::too_deep) {
    throw MispError(fmt::format("{}: invalid JSON: nested deeper than {} "
                                "levels {}",
                                where,
                                max_depth,
                                position(text, consumed)));
  }
  if (error) {
    throw MispError(fmt::format("{}: invalid JSON: {} {}",
                                where,
                                error.message(),
                                position(text, consumed)));
  }
  return parser.release();
}

} // namespace m2s::misp_json
