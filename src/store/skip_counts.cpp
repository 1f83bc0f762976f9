#include "skip_counts.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace m2s {

std::string
format_skip_counts(const std::map<std::string, std::int64_t>& counts) {
  boost::json::object object;
  for (const auto& [reason, count] : counts) {
    object[reason] = count;
  }
  return boost::json::serialize(object);
}

std::optional<std::map<std::string, std::int64_t>>
parse_skip_counts(const std::string& text) {
  boost::system::error_code error;
  const boost::json::value value = boost::json::parse(text, error);
  if (error || !value.is_object()) {
    return std::nullopt;
  }

  std::map<std::string, std::int64_t> counts;
  for (const auto& [reason, count] : value.get_object()) {
    if (!count.is_int64() || count.get_int64() < 0) {
      return std::nullopt;
    }
    counts.emplace(std::string(reason), count.get_int64());
  }
  return counts;
}

} // namespace m2s
