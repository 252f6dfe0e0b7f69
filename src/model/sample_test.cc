#include "model/sample.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace hw::model {
namespace {

TEST(SampleTest, StaleNaNIsOneBitPattern) {
  EXPECT_TRUE(std::isnan(kStaleNaN));
  EXPECT_TRUE(IsStaleNaN(kStaleNaN));
  EXPECT_FALSE(IsStaleNaN(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_FALSE(IsStaleNaN(0.0 / 0.0 * 0.0));
  EXPECT_FALSE(IsStaleNaN(0));
  EXPECT_FALSE(IsStaleNaN(std::numeric_limits<double>::infinity()));
}

TEST(SampleTest, SameBitsDistinguishesNegativeZeroAndNaNPayloads) {
  EXPECT_TRUE(SameBits({1, kStaleNaN}, {1, kStaleNaN}));
  EXPECT_FALSE(SameBits({1, 0.0}, {1, -0.0}));
  EXPECT_FALSE(SameBits({1, kStaleNaN}, {1, std::numeric_limits<double>::quiet_NaN()}));
  EXPECT_FALSE(SameBits({1, 1.0}, {2, 1.0}));
}

}  // namespace
}  // namespace hw::model
