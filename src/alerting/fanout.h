// Fanout: one AlertSink that hands every batch to several (the local dispatcher and
// the external Alertmanagers), so rules see a single sink.
//
// Thread-safety: immutable after construction; the sinks are thread-safe.
#pragma once

#include <vector>

#include "model/alert.h"

namespace hw::alerting {

class Fanout : public model::AlertSink {
 public:
  explicit Fanout(std::vector<model::AlertSink*> sinks) : sinks_(std::move(sinks)) {}
  void Send(std::vector<model::Alert> alerts) override {
    for (std::size_t i = 0; i + 1 < sinks_.size(); ++i) sinks_[i]->Send(alerts);
    if (!sinks_.empty()) sinks_.back()->Send(std::move(alerts));
  }

 private:
  std::vector<model::AlertSink*> sinks_;  // not owned
};

}  // namespace hw::alerting
