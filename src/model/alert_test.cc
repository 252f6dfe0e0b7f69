#include "model/alert.h"

#include <gtest/gtest.h>

namespace hw::model {
namespace {

TEST(AlertTest, FingerprintMatchesPrometheusCommonModel) {
  // Values from prometheus/common's signature tests.
  EXPECT_EQ(AlertFingerprint(Labels()), 14695981039346656037ULL);
  EXPECT_EQ(AlertFingerprint(Labels::FromPairs(
                {{"name", "garland, briggs"}, {"fear", "love is not enough"}})),
            5799056148416392346ULL);
  EXPECT_EQ(FingerprintHex(14695981039346656037ULL), "cbf29ce484222325");
  EXPECT_EQ(FingerprintHex(1), "0000000000000001");
}

TEST(AlertTest, ResolvedAt) {
  Alert a;
  EXPECT_FALSE(a.ResolvedAt(100));  // no end: firing
  a.ends_at_ms = 100;
  EXPECT_TRUE(a.ResolvedAt(100));
  EXPECT_FALSE(a.ResolvedAt(99));
}

}  // namespace
}  // namespace hw::model
