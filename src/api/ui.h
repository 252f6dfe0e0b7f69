// The web UI: the static assets `npm run build` writes to ui/dist, served over HTTP.
//
//   GET /              index.html (the app redirects itself to /ui/)
//   GET /ui, /ui/      index.html
//   GET /ui/<path>     the file <dist_dir>/<path>; a path whose last segment has no
//                      extension and names no file is a client route and gets
//                      index.html, so links like /ui/explore?expr=up load the app
//
// Files under assets/ carry a content hash in their names (Vite), so they are sent
// with `Cache-Control: public, max-age=31536000, immutable`; index.html with
// `no-cache`. Paths are confined to the directory: "..", "." and empty segments,
// hidden names, backslashes and NULs are 404, and the resolved file (symlinks
// followed) must still lie inside the directory. Files are read at each request, so
// a rebuilt UI shows without a restart. Without a built UI every route answers 404
// "the web UI is not built: run make ui".
//
// The routes need no role (config::Role::kNone): the assets hold no data, and every
// API call the app makes is authorized on its own.
#pragma once

#include <string>

#include "http/router.h"

namespace hw::api {

void RegisterUiRoutes(http::Router& router, std::string dist_dir);

}  // namespace hw::api
