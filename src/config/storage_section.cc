// The `storage` section: where and how long samples are kept. Prometheus puts
// `storage.tsdb` in prometheus.yml (out_of_order_time_window) and the rest in flags;
// hastewatch keeps all of it here.
#include <fmt/format.h>

#include "config/sections.h"

namespace hw::config {
namespace {

void ReadTsdb(const YAML::Node& node, YamlContext& ctx, TsdbConfig* out) {
  MapReader r(ctx, node, "storage.tsdb");
  r.Duration("retention_time", &out->retention_time);
  r.Bytes("retention_size", &out->retention_size);
  if (r.Duration("block_duration", &out->block_duration) &&
      (out->block_duration.count() < 60'000 || out->block_duration.count() % 60'000 != 0)) {
    ctx.Error(r.Take("block_duration"), "storage.tsdb.block_duration",
              "must be a whole number of minutes, at least 1m");
  }
  std::string fsync = "interval";
  if (r.Enum("wal_fsync", {"always", "interval", "never"}, &fsync)) out->wal_fsync = fsync;
  r.Duration("wal_fsync_interval", &out->wal_fsync_interval);
  if (r.Bytes("wal_segment_size", &out->wal_segment_size) &&
      (out->wal_segment_size < (1u << 20) || out->wal_segment_size > (1ull << 32))) {
    ctx.Error(r.Take("wal_segment_size"), "storage.tsdb.wal_segment_size",
              "must be between 1MiB and 4GiB");
  }
  hw::Duration ooo{0};
  if (r.Duration("out_of_order_time_window", &ooo) && ooo.count() != 0) {
    ctx.Error(r.Take("out_of_order_time_window"), "storage.tsdb.out_of_order_time_window",
              "out-of-order ingestion is not supported; samples older than a series' newest "
              "are rejected and counted (set 0s or remove the key)");
  }
  r.Finish();
}

}  // namespace

void ReadStorage(const YAML::Node& node, YamlContext& ctx, StorageConfig* out) {
  MapReader r(ctx, node, "storage");
  ReadTsdb(r.Take("tsdb"), ctx, &out->tsdb);
  r.Finish();
}

}  // namespace hw::config
