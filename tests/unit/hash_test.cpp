#include "misp2sentinel/util/hash.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace m2s {
namespace {

TEST(Hash, CanonicalUuidRejectsOtherForms) {
  const char* bad[] = {
      "",
      "5a610659d7184a1fb02004d80a016219",
      "{5a610659-d718-4a1f-b020-04d80a016219}",
      "5a610659-d718-4a1f-b020-04d80a01621",
      "5a610659-d718-4a1f-b020-04d80a0162199",
      "5a610659-d7184-a1f-b020-04d80a016219",
      "5a610659-d718-4a1f-b020-04d80a01621g",
      "5a610659_d718_4a1f_b020_04d80a016219",
      " 5a610659-d718-4a1f-b020-04d80a01621",
  };
  for (const char* text : bad) {
    EXPECT_FALSE(is_canonical_uuid(text)) << text;
  }
}

TEST(Hash, CanonicalUuidAcceptsAnyVersionAndCase) {
  EXPECT_TRUE(is_canonical_uuid("5a610659-d718-4a1f-b020-04d80a016219"));
  EXPECT_TRUE(is_canonical_uuid("5A610659-D718-4A1F-B020-04D80A016219"));
  EXPECT_TRUE(is_canonical_uuid("00000000-0000-0000-0000-000000000000"));
  EXPECT_TRUE(is_canonical_uuid("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
}

TEST(Hash, Sha256MatchesKnownDigests) {
  EXPECT_EQ(sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Hash, Sha256CoversEmbeddedNulBytes) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(sha256_hex(with_nul), sha256_hex("a"));
  EXPECT_EQ(sha256_hex(with_nul).size(), 64U);
}

TEST(Hash, UuidV5RejectsBadNamespace) {
  EXPECT_THROW(static_cast<void>(uuid_v5("not-a-uuid", "x")),
               std::invalid_argument);
  EXPECT_THROW(static_cast<void>(uuid_v5("", "x")), std::invalid_argument);
}

TEST(Hash, UuidV5MatchesRfc4122Example) {
  // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
  EXPECT_EQ(uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

TEST(Hash, UuidV5MatchesMispStixRelationshipId) {
  // misp-stix derives relationship ids this way; value from its test data.
  EXPECT_EQ(uuid_v5("76beed5f-7251-457e-8c2a-b45f7b589d3d",
                    "indicator--518b4bcb-a86b-4783-9457-391d548b605b - "
                    "based-on - "
                    "observed-data--518b4bcb-a86b-4783-9457-391d548b605b"),
            "d0779bac-8ac6-5b28-ad47-c23c748879fe");
}

TEST(Hash, UuidV5ReadsUpperCaseNamespace) {
  EXPECT_EQ(uuid_v5("6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

} // namespace
} // namespace m2s
