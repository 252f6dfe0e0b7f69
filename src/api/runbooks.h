// /runbooks/: the config's `runbooks.directory` served over HTTP, so the runbook links
// in alerts, notifications and the UI (the guide's /runbooks/api-down.md) resolve.
//
//   GET /runbooks/            an HTML index of the *.md files
//   GET /runbooks/<name>.md   the runbook rendered to HTML (CommonMark; raw HTML in
//                             the file is not passed through), or the Markdown itself
//                             with ?format=md or Accept: text/markdown
//
// Names are single path elements of letters, digits, '.', '-' and '_' ending in .md;
// anything else is 404, so no request reaches outside the directory. Files are read
// at each request: edits show without a reload.
#pragma once

#include <functional>
#include <string>

#include "http/router.h"

namespace hw::api {

// `directory` gives the current directory ("" : none configured, every page 404).
void RegisterRunbookRoutes(http::Router& router, std::function<std::string()> directory);

}  // namespace hw::api
