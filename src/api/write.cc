#include "api/write.h"

#include <chrono>

#include <fmt/format.h>

namespace hw::api {

void RegisterWriteRoutes(http::Router& router, storage::Appendable& storage,
                         ingest::RemoteWriteMetrics& metrics) {
  router.Post("/api/v1/write", config::Role::kWrite, [&storage, &metrics](http::Request& req) {
    auto start = std::chrono::steady_clock::now();
    std::string_view ctype = req.Header("content-type");
    if (ctype.find("io.prometheus.write.v2") != std::string_view::npos) {
      metrics.requests_bad.Inc();
      http::Response r = http::Response::Error(Status::BadData(
          "remote write 2.0 (io.prometheus.write.v2.Request) is not supported; configure "
          "the sender with protobuf_message: prometheus.WriteRequest"));
      r.status = 415;
      return r;
    }
    std::string_view encoding = req.Header("content-encoding");
    if (!encoding.empty() && encoding != "snappy") {
      metrics.requests_bad.Inc();
      return http::Response::Error(Status::BadData(fmt::format(
          "unsupported Content-Encoding \"{}\": remote write bodies are snappy-compressed",
          encoding)));
    }
    Result<ingest::WriteResult> r = ingest::IngestRemoteWrite(req.body, storage);
    metrics.latency.Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (!r.ok()) {
      if (r.status().code() == StatusCode::kBadData) {
        metrics.requests_bad.Inc();
      } else {
        metrics.requests_failed.Inc();
      }
      return http::Response::Error(r.status());
    }
    metrics.samples.Inc(static_cast<double>(r->samples));
    metrics.samples_rejected.Inc(static_cast<double>(r->rejected));
    if (r->rejected > 0) {
      metrics.requests_bad.Inc();
      return http::Response::Error(Status::BadData(
          fmt::format("{} of {} samples refused; the rest were stored. First: {}", r->rejected,
                      r->rejected + r->samples, r->first_error)));
    }
    metrics.requests_ok.Inc();
    http::Response ok;
    ok.status = 204;
    ok.content_type = "text/plain";
    return ok;
  });
}

}  // namespace hw::api
