// m2s-bench-generate: seeded, realistic MISP events for the benchmarks
// (tools/bench/run.sh), as event files m2s-sandbox serves. Not part of the
// product. Prints key=value lines for the driver.

#include "event_builder.hpp"
#include "event_files.hpp"
#include "event_sizes.hpp"
#include "mutate.hpp"
#include "random_source.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <exception>
#include <filesystem>

namespace {

namespace fs = std::filesystem;
using namespace m2s::bench;

struct Options {
  std::string out;
  std::int64_t attributes = 1000000;
  std::int64_t events = 10000;
  std::int64_t max_event_attributes = 100000;
  std::uint64_t seed = 1;
  // Fixed, so that the same seed gives the same bytes on any day.
  std::int64_t start_epoch = 1700000000;
  std::string mutate;
  double fraction = 0.01;
};

int generate(const Options& options) {
  fs::create_directories(options.out);
  for (const fs::path& old : event_files(options.out)) {
    fs::remove(old);
  }

  RandomSource random(options.seed);
  const std::vector<std::int64_t> sizes = event_sizes(
      random, options.attributes, options.events, options.max_event_attributes);

  DataStats stats;
  std::uintmax_t bytes = 0;
  std::int64_t next_attribute_id = 1;
  std::int64_t largest = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    // Ten minutes apart: a delta run's one-hour lookback re-reads ~6.
    EventPlan plan;
    plan.number = static_cast<std::int64_t>(i) + 1;
    plan.attributes = sizes[i];
    plan.publish_timestamp = options.start_epoch + plan.number * 600;
    const auto event = build_event(random, plan, next_attribute_id, stats);
    bytes += write_event_file(
        fs::path(options.out) / event_file_name(plan.number), event);
    largest = std::max(largest, sizes[i]);
  }

  fmt::print("events={}\nattributes={}\nattributes_in_objects={}\n"
             "to_ids_false={}\nindicators={}\nlargest_event={}\nbytes={}\n",
             stats.events,
             stats.attributes,
             stats.in_objects,
             stats.to_ids_false,
             stats.indicators,
             largest,
             bytes);
  return 0;
}

int mutate(const Options& options) {
  const MutationStats stats =
      mutate_events(options.mutate, options.fraction, options.seed);
  fmt::print("attributes={}\nevents_touched={}\nattributes_changed={}\n"
             "indicators_changed={}\n",
             stats.attributes_total,
             stats.events_touched,
             stats.attributes_changed,
             stats.indicators_changed);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"Seeded, realistic MISP event files for misp2sentinel's "
               "benchmarks (served by m2s-sandbox --events-dir)"};
  Options options;
  auto* out = app.add_option("--out",
                             options.out,
                             "Folder to write event-NNNNNN.json files to "
                             "(its old event-*.json files are removed)");
  app.add_option("--attributes", options.attributes, "Attributes in all")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--events", options.events, "Events to spread them over")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--max-event-attributes",
                 options.max_event_attributes,
                 "Most attributes in one event")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", options.seed, "Random seed")->capture_default_str();
  app.add_option("--start-epoch",
                 options.start_epoch,
                 "publish_timestamp of event 0; events are 600 s apart")
      ->capture_default_str();
  auto* mutate_dir = app.add_option(
      "--mutate",
      options.mutate,
      "Instead of generating: change --fraction of the attributes of the "
      "events in this folder (delta benchmark)");
  app.add_option("--fraction", options.fraction, "Share to change")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  out->excludes(mutate_dir);

  CLI11_PARSE(app, argc, argv);
  try {
    if (!options.mutate.empty()) {
      return mutate(options);
    }
    if (options.out.empty()) {
      fmt::print(stderr, "m2s-bench-generate: --out or --mutate is needed\n");
      return 2;
    }
    return generate(options);
  } catch (const std::exception& error) {
    fmt::print(stderr, "m2s-bench-generate: {}\n", error.what());
    return 1;
  }
}
