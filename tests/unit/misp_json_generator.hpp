#pragma once

// --- Random MISP-like JSON documents, for comparing readings ---
//
// Seeded documents of every shape the event reader knows ({"response":
// [...]}, {"Event": ...}, a bare event, and mixtures of them), whose
// objects have fields missing, repeated, in any order, with odd values
// (numbers as strings, booleans as words, arrays where a string belongs)
// and members the reader skips. Written as text, since a DOM cannot hold
// a repeated key.

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace m2s::test {

class MispJsonGenerator {
public:
  // `mild`: odd values are rare, so that most events read.
  explicit MispJsonGenerator(std::uint64_t seed, bool mild = false)
      : m_random(seed),
        m_odd(mild ? 80 : 8) {}

  std::string document() {
    switch (below(10)) {
    case 0:
      return bare_event();
    case 1:
    case 2:
      return object({{"Event", event()}});
    case 3:
      return odd_value();
    case 4: {
      // Wrapper keys and event keys mixed, in any order.
      Members members = event_members();
      members.push_back({"Event", maybe_odd(event())});
      if (chance(2)) {
        members.push_back({"response", maybe_odd(response())});
      }
      return object(shuffled(std::move(members)));
    }
    default:
      return object({{"response", response()}});
    }
  }

private:
  using Members = std::vector<std::pair<std::string, std::string>>;

  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(m_random);
  }

  bool chance(std::size_t one_in) {
    return below(one_in) == 0;
  }

  static std::string quoted(const std::string& text) {
    return "\"" + text + "\"";
  }

  std::string uuid() {
    if (m_odd > 8 && !chance(10)) {
      return chance(2) ? "\"5a3c2fda-0000-4000-8000-000000000001\""
                       : "\"5a3c2fda-0000-4000-8000-000000000002\"";
    }
    static const char* const k_uuids[] = {
        "\"5a3c2fda-0000-4000-8000-000000000001\"",
        "\"5a3c2fda-0000-4000-8000-000000000002\"",
        "\"u\"",
        "\"\"",
        "null",
        "12345",
        "{}",
        // Longer than failure reports show.
        "\"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu"
        "uuuuuuuuuu\"",
    };
    return k_uuids[below(std::size(k_uuids))];
  }

  // Values that break one reading or another.
  std::string odd_value() {
    static const char* const k_values[] = {
        "null",
        "true",
        "false",
        "0",
        "1",
        "2",
        "-5",
        "1.5",
        "1.7e9",
        "1e30",
        "18446744073709551615",
        "9223372036854775807",
        "\"\"",
        "\"0\"",
        "\"1\"",
        "\"true\"",
        "\"False\"",
        "\"yes\"",
        "\"abc\"",
        "\"1700000000\"",
        "\"1700000000123\"",
        "\"-3\"",
        "\"99999999999999999999999\"",
        "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
        "\"caf\\u00e9 \\\"q\\\" \\n\"",
        "[]",
        "[1]",
        "{}",
        "{\"a\":[1,{}]}",
        "[{\"name\":\"x\"}]",
    };
    return k_values[below(std::size(k_values))];
  }

  std::string maybe_odd(std::string value) {
    return chance(m_odd) ? odd_value() : std::move(value);
  }

  std::string object(const Members& members) {
    std::string text = "{";
    for (std::size_t i = 0; i < members.size(); ++i) {
      text += (i == 0 ? "" : ",") + quoted(members[i].first) + ":"
              + members[i].second;
    }
    return text + "}";
  }

  std::string array(const std::vector<std::string>& elements) {
    std::string text = "[";
    for (std::size_t i = 0; i < elements.size(); ++i) {
      text += (i == 0 ? "" : ",") + elements[i];
    }
    return text + "]";
  }

  Members shuffled(Members members) {
    std::shuffle(members.begin(), members.end(), m_random);
    return members;
  }

  // Drops, repeats, adds skipped members and reorders, at random.
  std::string mangled(Members members) {
    Members out;
    for (auto& member : members) {
      if (chance(m_odd + 4)) {
        continue;
      }
      if (chance(m_odd + 7)) {
        out.push_back({member.first, odd_value()});
      }
      member.second = maybe_odd(std::move(member.second));
      out.push_back(std::move(member));
    }
    if (chance(3)) {
      out.push_back({"Galaxy",
                     "[{\"GalaxyCluster\":[{\"uuid\":1,"
                     "\"Tag\":{\"x\":[]}}]}]"});
    }
    if (chance(4)) {
      out.push_back({"distribution", "\"0\""});
    }
    return object(chance(3) ? shuffled(std::move(out)) : out);
  }

  std::string tag(bool wrapped) {
    Members plain = {{"name", chance(6) ? "\"\"" : "\"tlp:green\""}};
    if (chance(2)) {
      plain.push_back({"local", chance(2) ? "0" : "\"1\""});
    }
    if (!wrapped) {
      return mangled(std::move(plain));
    }
    Members members = {{"Tag", mangled(std::move(plain))}};
    if (chance(2)) {
      members.push_back({"local", chance(2) ? "true" : "0"});
    }
    return mangled(std::move(members));
  }

  void add_tags(Members& members) {
    static const char* const k_keys[] = {"Tag", "EventTag", "AttributeTag"};
    for (const char* key : k_keys) {
      if (!chance(3)) {
        continue;
      }
      std::vector<std::string> tags;
      for (std::size_t i = below(4); i > 0; --i) {
        tags.push_back(chance(m_odd + 7) ? odd_value()
                                         : tag(std::string(key) != "Tag"));
      }
      members.push_back({key, array(tags)});
    }
  }

  std::string attribute() {
    Members members = {
        {"uuid", uuid()},
        {"type", "\"ip-dst\""},
        {"category", "\"Network activity\""},
        {"value", "\"203.0.113.7\""},
        {"comment", "\"\""},
        {"to_ids", chance(2) ? "true" : "\"0\""},
        {"deleted", "false"},
        {"timestamp", "\"1700000000\""},
        {"first_seen", chance(2) ? "null" : "\"2024-01-01T00:00:00Z\""},
        {"last_seen", "\"\""},
        {"object_relation", "\"ip\""},
    };
    add_tags(members);
    return mangled(std::move(members));
  }

  std::string attributes() {
    std::vector<std::string> list;
    for (std::size_t i = below(5); i > 0; --i) {
      list.push_back(chance(m_odd + 12) ? odd_value() : attribute());
    }
    return array(list);
  }

  std::string misp_object() {
    Members members = {
        {"uuid", uuid()},
        {"name", "\"domain-ip\""},
        {"meta-category", "\"network\""},
        {"deleted", chance(3) ? "true" : "0"},
        {"Attribute", attributes()},
    };
    return mangled(std::move(members));
  }

  Members event_members() {
    Members members = {
        {"uuid", uuid()},
        {"id", chance(2) ? "\"12\"" : "12"},
        {"info",
         chance(4) ? "\"" + std::string(70, 'i') + "\"" : "\"an event\""},
        {"date", "\"2024-01-01\""},
        {"Orgc", "{\"name\":\"CIRCL\",\"uuid\":\"o\"}"},
        {"published", chance(2) ? "true" : "\"0\""},
        {"timestamp", "1700000000"},
        {"publish_timestamp", "\"1700000100\""},
        {"threat_level_id", "\"2\""},
        {"attribute_count", chance(2) ? "\"3\"" : "40000"},
        {"Attribute", attributes()},
    };
    if (chance(2)) {
      std::vector<std::string> objects;
      for (std::size_t i = below(4); i > 0; --i) {
        objects.push_back(chance(m_odd + 12) ? odd_value() : misp_object());
      }
      members.push_back({"Object", array(objects)});
    }
    add_tags(members);
    return members;
  }

  std::string event() {
    return mangled(event_members());
  }

  std::string bare_event() {
    return event();
  }

  std::string response() {
    std::vector<std::string> items;
    for (std::size_t i = below(5); i > 0; --i) {
      switch (below(8)) {
      case 0:
        items.push_back(odd_value());
        break;
      case 1:
        items.push_back(bare_event());
        break;
      case 2: {
        Members members = event_members();
        members.push_back({"Event", maybe_odd(event())});
        items.push_back(object(shuffled(std::move(members))));
        break;
      }
      default:
        items.push_back(object({{"Event", event()}}));
      }
    }
    return array(items);
  }

  std::mt19937_64 m_random;
  std::size_t m_odd; // one value in m_odd is odd
};

} // namespace m2s::test
