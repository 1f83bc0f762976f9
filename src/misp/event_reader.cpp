#include "misp2sentinel/misp/event_reader.hpp"

#include "event_handler.hpp"
#include "json_feed.hpp"
#include "misp2sentinel/util/errors.hpp"

#include <boost/json/basic_parser.hpp>
#include <fmt/format.h>

// Instantiated in event_handler.cpp.
extern template class boost::json::basic_parser<m2s::misp_json::EventHandler>;

namespace m2s {

struct EventReader::Impl {
  Impl(std::string where, const EventReaderOptions& options)
      : feed(where, options.source, options.max_depth),
        parser(feed.parse_options(), std::move(where), options.tolerant),
        tolerant(options.tolerant) {}

  std::size_t write(const char* data,
                    std::size_t size,
                    bool more,
                    boost::system::error_code& error) {
    return parser.write_some(more, data, size, error);
  }

  misp_json::JsonFeed feed;
  boost::json::basic_parser<misp_json::EventHandler> parser;
  bool tolerant;
};

EventReader::EventReader(std::string where, EventReaderOptions options)
    : m_impl(std::make_unique<Impl>(std::move(where), options)) {}

EventReader::~EventReader() = default;
EventReader::EventReader(EventReader&&) noexcept = default;
EventReader& EventReader::operator=(EventReader&&) noexcept = default;

void EventReader::feed(std::string_view chunk) {
  Impl& impl = *m_impl;
  impl.feed.feed(
      chunk, [&impl](auto&&... arguments) { return impl.write(arguments...); });
}

ParsedEvents EventReader::finish() {
  Impl& impl = *m_impl;
  impl.feed.finish(
      [&impl](auto&&... arguments) { return impl.write(arguments...); });

  misp_json::DocumentOutcome outcome = impl.parser.handler().take_outcome();
  if (!outcome.has_event_shape) {
    throw MispError(fmt::format("{}: expected {{\"response\":[...]}}, "
                                "{{\"Event\":...}} or an event object",
                                impl.feed.where()));
  }
  if (!impl.tolerant && !outcome.parsed.failures.empty()) {
    throw MispError(outcome.parsed.failures.front().message);
  }
  return std::move(outcome.parsed);
}

} // namespace m2s
