#pragma once

// --- MISP JSON -> MispEvent, read as the bytes arrive ---
//
// What parse_events (event_parser.hpp) does, for text given in chunks of
// any size, so that a restSearch page is read while it downloads and is
// never held whole. Built on Boost.JSON's SAX parser: the members the
// converter does not use are skipped without being stored.

#include "misp2sentinel/misp/event_parser.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace m2s {

// Where JSON comes from decides the extensions allowed and how a syntax
// error reads.
enum class MispJsonSource {
  // An event file: trailing commas are tolerated (ESET's hand-edited
  // files carry them); "<where>: invalid JSON: <reason> at byte N (line L,
  // column C)", or "...: invalid JSON: the text is empty".
  file,
  // A MISP answer: standard JSON; "<where>: invalid JSON at offset N
  // (<reason>)" with a hint when the answer is an HTML page, and a nesting
  // error naming [limits] max_json_depth.
  misp_answer,
};

struct EventReaderOptions {
  MispJsonSource source = MispJsonSource::file;
  std::size_t max_depth = k_default_max_json_depth;
  // As parse_events_tolerant: an unreadable event is listed in
  // ParsedEvents::failures instead of failing the document.
  bool tolerant = false;
};

class EventReader {
public:
  // `where` names the source in errors, as for parse_events.
  explicit EventReader(std::string where, EventReaderOptions options = {});
  ~EventReader();
  EventReader(EventReader&&) noexcept;
  EventReader& operator=(EventReader&&) noexcept;

  // The next bytes of the document. A chunk may end anywhere, even inside
  // a key, a number or a UTF-8 character. Bad input does not throw here
  // (bytes after a syntax error are ignored); finish() reports it.
  void feed(std::string_view chunk);

  // The end of the document: its events. Throws MispError as parse_events
  // (or parse_events_tolerant) throws for the whole text. Call once.
  [[nodiscard]] ParsedEvents finish();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace m2s
