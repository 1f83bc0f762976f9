#include "misp2sentinel/misp/event_parser.hpp"

#include "misp2sentinel/misp/event_reader.hpp"

#include <boost/json/serialize.hpp>

namespace m2s {

namespace {

ParsedEvents read_text(std::string_view text,
                       std::string_view where,
                       std::size_t max_depth,
                       bool tolerant) {
  EventReaderOptions options;
  options.source = MispJsonSource::file;
  options.max_depth = max_depth;
  options.tolerant = tolerant;

  EventReader reader{std::string(where), options};
  reader.feed(text);
  return reader.finish();
}

} // namespace

std::vector<MispEvent> parse_events(std::string_view text,
                                    std::string_view where,
                                    std::size_t max_depth) {
  return read_text(text, where, max_depth, false).events;
}

ParsedEvents parse_events_tolerant(std::string_view text,
                                   std::string_view where,
                                   std::size_t max_depth) {
  return read_text(text, where, max_depth, true);
}

// Wrapped, so that any object is read as an event, as it always was.
MispEvent parse_event(const boost::json::object& event,
                      std::string_view where) {
  boost::json::object wrapper;
  wrapper["Event"] = event;
  return std::move(
      parse_events(boost::json::serialize(wrapper), where).front());
}

} // namespace m2s
