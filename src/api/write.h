// Write endpoints: POST /api/v1/write (Prometheus remote_write 1.0), role `write`.
//
//   204  every sample appended
//   400  a malformed body, or some samples refused (out of order, duplicate timestamp,
//        invalid labels): the body names the first problem and the counts; the valid
//        samples of the request were committed (a 400 tells the sender not to retry)
//   415  remote write 2.0 (proto=io.prometheus.write.v2.Request), not supported yet
//   503  the samples could not be made durable (the sender retries)
#pragma once

#include "http/router.h"
#include "ingest/remote_write.h"
#include "storage/interface.h"

namespace hw::api {

void RegisterWriteRoutes(http::Router& router, storage::Appendable& storage,
                         ingest::RemoteWriteMetrics& metrics);

}  // namespace hw::api
