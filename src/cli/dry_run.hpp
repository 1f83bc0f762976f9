#pragma once

// --- `sync --dry-run [--out DIR]` ---
//
// The real engine, unchanged, against an in-memory copy of the store and a
// recording sink in Sentinel's place that accepts everything: MISP is read
// as a real sync would, what a real sync would send is listed (and its
// request bodies written to DIR), and the copy is thrown away. The store
// file is never written (see store_snapshot.hpp), no lock is taken, and
// Sentinel is never contacted: no token, no upload.

#include "misp2sentinel/config/config.hpp"
#include "misp2sentinel/sentinel/uploader.hpp"
#include "misp2sentinel/store/store.hpp"
#include "misp2sentinel/sync/sync_engine.hpp"
#include "misp2sentinel/util/errors.hpp"
#include "summary_output.hpp"
#include "sync_command.hpp"

#include <string>

namespace m2s {

// Takes Sentinel's place in a dry run: records each batch as a planned
// send (classified from the store copy's outbox and indicator rows),
// writes its request body as DIR/request-NNNN.json when `out_dir` is set,
// and reports every record accepted.
class RecordingSink final : public IndicatorSink {
public:
  RecordingSink(Store& copy,
                const SentinelUploader& bodies,
                std::string out_dir);

  [[nodiscard]] BatchOutcome
  upload(const std::vector<OutboxItem>& batch) override;

  [[nodiscard]] const DryRunReport& report() const noexcept {
    return m_report;
  }

private:
  [[nodiscard]] PlannedSend plan(const OutboxItem& item);

  Store& m_copy;
  const SentinelUploader& m_bodies;
  DryRunReport m_report;
};

// Refuse an --out folder that is not empty (its files would mix with the
// new ones) and create it (mode 0700) when missing. Throws ConfigError.
void prepare_out_dir(const std::string& dir);

// Run the dry run and print what would be sent (text or JSON). Returns
// the exit code a real run would have had for MISP failures.
[[nodiscard]] ExitCode run_dry_run(const Config& config,
                                   const SyncCommandOptions& options);

} // namespace m2s
