#include "synthetic_events.hpp"

#include "process.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace m2s::testing {

void write_synthetic_events(const std::string& dir, int events,
                            int per_event) {
  for (int e = 0; e < events; ++e) {
    boost::json::array attributes;
    for (int a = 0; a < per_event; ++a) {
      const int n = e * per_event + a;
      attributes.push_back(boost::json::object{
          {"uuid", fmt::format("{:08x}-0000-4000-8000-{:012x}", e, a)},
          {"type", "ip-dst"},
          {"category", "Network activity"},
          {"value", fmt::format("10.{}.{}.{}", n / 65536 % 256,
                                n / 256 % 256, n % 256)},
          {"to_ids", true},
          {"timestamp", "1700000000"},
          {"comment", ""},
      });
    }
    boost::json::object event{
        {"uuid", fmt::format("{:08x}-1111-4000-8000-000000000000", e)},
        {"id", std::to_string(e + 1)},
        {"info", fmt::format("Synthetic event {}", e)},
        {"published", true},
        {"timestamp", std::to_string(1700000000 + e)},
        {"publish_timestamp", std::to_string(1700000000 + e)},
        {"Orgc", boost::json::object{{"name", "Test"}}},
        {"Attribute", std::move(attributes)},
    };
    write_file(fmt::format("{}/synthetic-{:04}.json", dir, e),
               boost::json::serialize(
                   boost::json::object{{"Event", std::move(event)}}));
  }
}

} // namespace m2s::testing
