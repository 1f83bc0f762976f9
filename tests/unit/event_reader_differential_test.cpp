// Temporary: the streaming EventReader against the DOM reader it replaces,
// on real files, their truncations and byte mutations, and generated
// documents. Removed with the DOM reader.

#include "misp2sentinel/misp/event_parser.hpp"
#include "misp2sentinel/misp/event_reader.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "misp_event_fields.hpp"
#include "misp_json_generator.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace m2s {
namespace {

namespace fs = std::filesystem;
using test::NamedFields;

struct Reading {
  std::string error;
  NamedFields fields;
  bool operator==(const Reading&) const = default;
};

std::string describe(const Reading& r) {
  if (!r.error.empty()) {
    return "error: " + r.error;
  }
  std::string text;
  for (const auto& [k, v] : r.fields) {
    text += k + "=" + v + "\n";
  }
  return text;
}

NamedFields all_fields(const ParsedEvents& parsed, bool with_listed) {
  NamedFields fields = test::event_fields(parsed.events);
  NamedFields failures = test::failure_fields(parsed.failures);
  fields.insert(fields.end(), failures.begin(), failures.end());
  if (with_listed) {
    fields.emplace_back("listed", std::to_string(parsed.listed));
  }
  return fields;
}

Reading old_strict(const std::string& text) {
  try {
    return {"", test::event_fields(parse_events(text, "w"))};
  } catch (const MispError& error) {
    return {error.what(), {}};
  }
}

std::size_t old_listed(const boost::json::value& document, std::size_t parsed) {
  if (document.is_object()) {
    const auto* response = document.get_object().if_contains("response");
    if (response != nullptr && response->is_array()) {
      return response->get_array().size();
    }
  }
  return parsed;
}

Reading old_tolerant(const std::string& text) {
  try {
    const auto document = parse_misp_json(text, "w");
    ParsedEvents parsed = parse_events_tolerant(document, "w");
    parsed.listed =
        old_listed(document, parsed.events.size() + parsed.failures.size());
    return {"", all_fields(parsed, true)};
  } catch (const MispError& error) {
    return {error.what(), {}};
  }
}

// MispClient's parse_json as it was.
Reading old_answer(const std::string& body) {
  const std::string where = "w";
  const int max_depth = 64;
  boost::json::parse_options options;
  options.max_depth = static_cast<std::size_t>(max_depth);
  boost::json::stream_parser parser({}, options);
  boost::system::error_code error;
  const std::size_t used = parser.write(body.data(), body.size(), error);
  if (!error) {
    parser.finish(error);
  }
  if (error) {
    if (error == boost::json::error::too_deep) {
      return {where
                  + ": the answer nests JSON deeper than [limits] "
                    "max_json_depth ("
                  + std::to_string(max_depth) + ")",
              {}};
    }
    const auto first = body.find_first_not_of(" \t\r\n");
    const bool html = first != std::string::npos && body[first] == '<';
    return {
        where + ": invalid JSON at offset " + std::to_string(used) + " ("
            + error.message() + ")"
            + (html ? "; the answer is an HTML page: check [misp] url" : ""),
        {}};
  }
  try {
    const auto document = parser.release();
    ParsedEvents parsed = parse_events_tolerant(document, where);
    parsed.listed =
        old_listed(document, parsed.events.size() + parsed.failures.size());
    return {"", all_fields(parsed, true)};
  } catch (const MispError& e) {
    return {e.what(), {}};
  }
}

Reading new_reading(const std::string& text,
                    EventReaderOptions options,
                    std::size_t chunk) {
  try {
    EventReader reader("w", options);
    for (std::size_t at = 0; at < text.size(); at += chunk) {
      reader.feed(std::string_view(text).substr(at, chunk));
    }
    ParsedEvents parsed = reader.finish();
    if (!options.tolerant) {
      return {"", test::event_fields(parsed.events)};
    }
    return {"", all_fields(parsed, true)};
  } catch (const MispError& error) {
    return {error.what(), {}};
  }
}

class Differential {
public:
  void check(const std::string& text, const std::string& label) {
    ++m_inputs;
    const std::size_t whole = std::max<std::size_t>(text.size(), 1);
    compare(label + " strict",
            text,
            old_strict(text),
            {MispJsonSource::file, 64, false},
            whole);
    compare(label + " tolerant",
            text,
            old_tolerant(text),
            {MispJsonSource::file, 64, true},
            whole);
    compare(label + " answer",
            text,
            old_answer(text),
            {MispJsonSource::misp_answer, 64, true},
            whole);
  }

  void check_chunks(const std::string& text,
                    const std::string& label,
                    std::initializer_list<std::size_t> sizes) {
    for (const bool tolerant : {false, true}) {
      const EventReaderOptions options{MispJsonSource::file, 64, tolerant};
      const Reading expected = tolerant ? old_tolerant(text) : old_strict(text);
      for (std::size_t size : sizes) {
        compare(label + " chunk " + std::to_string(size),
                text,
                expected,
                options,
                size);
      }
    }
  }

  ~Differential() {
    std::cout << m_inputs << " inputs, " << m_failures << " differences, "
              << m_offsets << " chunked syntax error offsets\n";
  }

private:
  void compare(const std::string& label,
               const std::string& text,
               const Reading& expected,
               EventReaderOptions options,
               std::size_t chunk) {
    const Reading actual = new_reading(text, options, chunk);
    if (actual == expected) {
      return;
    }
    const auto syntax = [](const std::string& e) {
      return e.find("syntax error at byte") != std::string::npos;
    };
    if (chunk < text.size() && syntax(actual.error) && syntax(expected.error)) {
      ++m_offsets;
      return;
    }
    if (++m_failures > 10) {
      return;
    }
    const std::string shown = text.size() > 3000 ? text.substr(0, 3000) : text;
    ADD_FAILURE() << label << "\ninput: " << shown
                  << "\nold: " << describe(expected)
                  << "\nnew: " << describe(actual) << "\nfirst difference: "
                  << test::first_difference(expected.fields, actual.fields);
  }

  std::size_t m_inputs = 0;
  std::size_t m_failures = 0;
  std::size_t m_offsets = 0;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> data_files() {
  std::vector<fs::path> files;
  for (const char* dir : {"data/misp-events", "tests/data"}) {
    for (const auto& entry :
         fs::directory_iterator(fs::path(M2S_SOURCE_DIR) / dir)) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(EventReaderDifferential, DataFilesWholeAndChunked) {
  Differential d;
  for (const fs::path& path : data_files()) {
    const std::string text = read_text(path);
    d.check(text, path.filename().string());
    d.check_chunks(text, path.filename().string(), {1, 7, 4096});
  }
}

TEST(EventReaderDifferential, TruncationsAndMutations) {
  Differential d;
  std::mt19937_64 random(7);
  for (const char* name :
       {"eset_malware-ioc__sshdoor_misp-events_borleias.json",
        "MISP_PyMISP__tests_57c4445b-c548-4654-af0b-4be3950d210f.json"}) {
    const std::string text =
        read_text(fs::path(M2S_SOURCE_DIR) / "data/misp-events" / name);
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
      d.check(text.substr(0, cut), std::string(name) + " cut");
      if (cut % 97 == 0) {
        d.check_chunks(text.substr(0, cut), "cut", {1, 3});
      }
    }
    const std::string replacements = "\"{}[],:0x \\n-.e1\xc3";
    for (std::size_t i = 0; i < text.size(); ++i) {
      std::string mutated = text;
      mutated[i] = replacements[random() % replacements.size()];
      d.check(mutated, std::string(name) + " mutated");
      if (i % 53 == 0) {
        d.check_chunks(mutated, "mutated", {1, 5});
      }
    }
  }
}

TEST(EventReaderDifferential, GeneratedDocuments) {
  Differential d;
  for (std::uint64_t seed = 1; seed <= 60000; ++seed) {
    test::MispJsonGenerator generator(seed, seed % 2 == 0);
    const std::string text = generator.document();
    d.check(text, "seed " + std::to_string(seed));
    if (seed % 10 == 0) {
      d.check_chunks(text, "seed " + std::to_string(seed), {1, 2, 7});
    }
  }
}

} // namespace
} // namespace m2s

