#include "base/clock.h"

namespace hw {
namespace {

class SystemClock : public Clock {
 public:
  SysTime Now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace

Clock& RealClock() {
  static SystemClock clock;
  return clock;
}

}  // namespace hw
