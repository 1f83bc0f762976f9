#pragma once

// --- The engine's ports bound to the real MISP and Sentinel clients ---

#include "misp2sentinel/misp/misp_client.hpp"
#include "misp2sentinel/sentinel/uploader.hpp"
#include "misp2sentinel/sync/sync_engine.hpp"

namespace m2s {

class MispEventSource final : public EventSource {
public:
  explicit MispEventSource(MispClient& client)
      : m_client(client) {}

  [[nodiscard]] Page fetch(const Query& query) override;
  [[nodiscard]] std::vector<IndexEntry> index() override;

private:
  MispClient& m_client;
};

class SentinelSink final : public IndicatorSink {
public:
  explicit SentinelSink(SentinelUploader& uploader)
      : m_uploader(uploader) {}

  [[nodiscard]] BatchOutcome
  upload(const std::vector<OutboxItem>& batch) override;

private:
  SentinelUploader& m_uploader;
};

} // namespace m2s
