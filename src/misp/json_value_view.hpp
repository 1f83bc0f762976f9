#pragma once

// --- One JSON value as the event reader meets it ---
//
// Boost.JSON's SAX parser reports a scalar in one callback; an array or an
// object only by its start. The reader judges a field from this view, so
// "expected a string, got an array" needs no DOM.

#include <boost/json/kind.hpp>

#include <cstdint>
#include <string_view>

namespace m2s::misp_json {

struct JsonValueView {
  boost::json::kind kind = boost::json::kind::null;
  bool boolean = false;
  std::int64_t int64 = 0;
  std::uint64_t uint64 = 0;
  double number = 0;
  std::string_view text; // a string's contents, valid during the callback

  [[nodiscard]] bool is_container() const noexcept {
    return kind == boost::json::kind::array
           || kind == boost::json::kind::object;
  }
};

} // namespace m2s::misp_json
