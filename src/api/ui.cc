#include "api/ui.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

namespace hw::api {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";

std::string_view ContentType(std::string_view name) {
  struct Entry {
    std::string_view ext, type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const Entry& e : kTypes) {
    if (name.ends_with(e.ext)) return e.type;
  }
  return "application/octet-stream";
}

// True when every '/'-separated segment of `rel` is a plain name: not empty, not
// hidden (which also rules out "." and ".."), no backslash or NUL.
bool SafeRelativePath(std::string_view rel) {
  if (rel.empty()) return false;
  size_t i = 0;
  while (i <= rel.size()) {
    size_t slash = rel.find('/', i);
    if (slash == std::string_view::npos) slash = rel.size();
    std::string_view seg = rel.substr(i, slash - i);
    if (seg.empty() || seg[0] == '.') return false;
    if (seg.find('\\') != std::string_view::npos || seg.find('\0') != std::string_view::npos) {
      return false;
    }
    i = slash + 1;
  }
  return true;
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

http::Response NotBuilt(const std::string& dir) {
  http::Response r = http::Response::Text(
      fmt::format("the web UI is not built: run make ui (no index.html in {})\n", dir),
      "text/plain; charset=utf-8", 404);
  r.error_type = "not_found";
  return r;
}

http::Response NotFound(std::string_view path) {
  http::Response r =
      http::Response::Text(fmt::format("no UI file {}\n", path), "text/plain; charset=utf-8", 404);
  r.error_type = "not_found";
  return r;
}

http::Response Index(const std::string& dir) {
  std::optional<std::string> html = ReadFile(fs::path(dir) / "index.html");
  if (!html) return NotBuilt(dir);
  http::Response r = http::Response::Text(std::move(*html), "text/html; charset=utf-8");
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

// The file for /ui/<rel>, index.html for a client route, or 404.
http::Response Serve(const std::string& dir, std::string_view rel) {
  if (rel.empty()) return Index(dir);
  if (!SafeRelativePath(rel)) return NotFound(rel);
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(dir, ec);
  if (ec || !fs::is_regular_file(root / "index.html", ec)) return NotBuilt(dir);
  const fs::path file = fs::weakly_canonical(root / fs::path(rel), ec);
  const bool inside = !ec && file.string().starts_with(root.string() + "/");
  if (inside && fs::is_regular_file(file, ec)) {
    std::optional<std::string> body = ReadFile(file);
    if (!body) return NotFound(rel);
    http::Response r = http::Response::Text(std::move(*body), std::string(ContentType(rel)));
    r.headers.emplace_back("Cache-Control",
                           rel.starts_with("assets/") ? std::string(kImmutable) : "no-cache");
    return r;
  }
  // A client route (/ui/explore, /ui/alerts/silences) has no extension in its last
  // segment; a missing asset (/ui/assets/gone.js) does and stays a 404.
  std::string_view last = rel.substr(rel.rfind('/') + 1);
  if (inside && last.find('.') == std::string_view::npos) return Index(dir);
  return NotFound(rel);
}

}  // namespace

void RegisterUiRoutes(http::Router& router, std::string dist_dir) {
  auto index = [dist_dir](http::Request&) { return Index(dist_dir); };
  router.Get("/", config::Role::kNone, index);
  router.Get("/ui", config::Role::kNone, index);
  router.Get("/ui/*path", config::Role::kNone,
             [dist_dir](http::Request& req) { return Serve(dist_dir, req.RouteParam("path")); });
}

}  // namespace hw::api
