#include "misp2sentinel/stix/conversion.hpp"
#include "misp2sentinel/util/hash.hpp"
#include "text.hpp"

namespace m2s {

std::string indicator_id(const std::string& attribute_uuid,
                         const std::string& component,
                         int generation) {
  const std::string uuid = stix::to_lower_ascii(attribute_uuid);
  if (component.empty() && generation == 0 && is_canonical_uuid(uuid)) {
    return "indicator--" + uuid;
  }

  const std::string name =
      uuid + "|" + component + "|" + std::to_string(generation);
  return "indicator--" + uuid_v5(k_indicator_id_namespace, name);
}

} // namespace m2s
