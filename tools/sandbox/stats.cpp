#include "stats.hpp"

namespace m2s::sandbox {

void Stats::count(Endpoint endpoint) {
  switch (endpoint) {
  case Endpoint::misp_search:
    ++restsearch_requests;
    return;
  case Endpoint::misp_index:
    ++index_requests;
    return;
  case Endpoint::misp_version:
    ++version_requests;
    return;
  case Endpoint::token:
    ++token_requests;
    return;
  case Endpoint::upload:
    ++upload_requests;
    return;
  case Endpoint::control:
  case Endpoint::unknown:
    return;
  }
}

boost::json::object Stats::to_json() const {
  boost::json::object out;
  out["restsearch_requests"] = restsearch_requests.load();
  out["upload_requests"] = upload_requests.load();
  out["token_requests"] = token_requests.load();
  out["throttled"] = throttled.load();
  out["objects_accepted"] = objects_accepted.load();
  out["objects_rejected"] = objects_rejected.load();
  out["index_requests"] = index_requests.load();
  out["version_requests"] = version_requests.load();
  out["faults_served"] = faults_served.load();
  return out;
}

} // namespace m2s::sandbox
