#include "api/runbooks.h"

#include <cmark.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "api/html.h"

namespace hw::api {
namespace {

bool ValidName(std::string_view name) {
  if (name.size() < 4 || !name.ends_with(".md") || name.starts_with('.')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

// The text of the first "# " heading, or the file name.
std::string Title(const std::string& markdown, std::string_view name) {
  std::istringstream in(markdown);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("# ")) return line.substr(2);
  }
  return std::string(name);
}

std::string Page(std::string_view title, std::string_view body_html) {
  return fmt::format(R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{} · hastewatch runbooks</title>
<style>
body{{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1d232a}}
pre,code{{font:14px ui-monospace,monospace;background:#f3f4f6}}pre{{padding:.75rem;overflow-x:auto}}
table{{border-collapse:collapse}}td,th{{border:1px solid #d0d4d9;padding:.25rem .5rem}}
nav{{font-size:14px;margin-bottom:1rem}}
</style></head><body>
<nav><a href="/runbooks/">All runbooks</a></nav>
{}
</body></html>
)",
                     HtmlEscape(title), body_html);
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("no such runbook");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

void RegisterRunbookRoutes(http::Router& router, std::function<std::string()> directory) {
  auto index = [directory](http::Request&) {
    const std::string dir = directory();
    std::vector<std::string> names;
    std::error_code ec;
    if (!dir.empty()) {
      for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        std::string n = e.path().filename().string();
        if (e.is_regular_file(ec) && ValidName(n)) names.push_back(n);
      }
    }
    std::sort(names.begin(), names.end());
    std::string list = "<h1>Runbooks</h1>\n";
    if (names.empty()) {
      list += dir.empty() ? "<p>No runbooks directory is configured (runbooks.directory).</p>\n"
                          : "<p>The runbooks directory has no .md files.</p>\n";
    } else {
      list += "<ul>\n";
      for (const std::string& n : names) {
        Result<std::string> text = ReadFile(dir + "/" + n);
        const std::string title = text.ok() ? Title(*text, n) : n;
        list += fmt::format("<li><a href=\"/runbooks/{0}\">{1}</a> <code>{0}</code></li>\n",
                            HtmlEscape(n), HtmlEscape(title));
      }
      list += "</ul>\n";
    }
    return http::Response::Text(Page("Runbooks", list), "text/html; charset=utf-8");
  };
  router.Get("/runbooks", config::Role::kRead, index);
  router.Get("/runbooks/", config::Role::kRead, index);
  router.Get("/runbooks/:name", config::Role::kRead, [directory](http::Request& req) {
    const std::string name(req.RouteParam("name"));
    const std::string dir = directory();
    if (dir.empty() || !ValidName(name)) {
      return http::Response::Error(Status::NotFound(fmt::format("no runbook \"{}\"", name)));
    }
    Result<std::string> text = ReadFile(dir + "/" + name);
    if (!text.ok()) {
      return http::Response::Error(Status::NotFound(fmt::format("no runbook \"{}\"", name)));
    }
    if (req.Param("format").value_or("") == "md" ||
        req.Header("accept").find("text/markdown") != std::string_view::npos) {
      return http::Response::Text(std::move(text).value(), "text/markdown; charset=utf-8");
    }
    char* html = cmark_markdown_to_html(text->data(), text->size(), CMARK_OPT_DEFAULT);
    std::string body(html);
    std::free(html);
    return http::Response::Text(Page(Title(*text, name), body), "text/html; charset=utf-8");
  });
}

}  // namespace hw::api
