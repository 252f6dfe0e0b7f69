#include "http/router.h"

#include <algorithm>

namespace hw::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  if (!path.empty() && path[0] == '/') i = 1;
  while (i <= path.size()) {
    size_t slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(i, slash - i));
    i = slash + 1;
  }
  return out;
}

bool MatchSegments(const Route& route, const std::vector<std::string_view>& parts,
                   std::string_view path, KeyValues* params) {
  params->clear();
  const std::vector<std::string>& segs = route.segments;
  for (size_t i = 0; i < segs.size(); ++i) {
    const std::string& s = segs[i];
    if (!s.empty() && s[0] == '*') {
      // Rest of the path, from the start of this segment.
      size_t offset = 0;
      for (size_t j = 0; j < i; ++j) offset += parts[j].size() + 1;
      std::string_view rest = i < parts.size() ? path.substr(std::min(path.size(), offset + 1))
                                               : std::string_view();
      params->emplace_back(s.substr(1), std::string(rest));
      return true;
    }
    if (i >= parts.size()) return false;
    if (!s.empty() && s[0] == ':') {
      if (parts[i].empty()) return false;
      params->emplace_back(s.substr(1), std::string(parts[i]));
    } else if (s != parts[i]) {
      return false;
    }
  }
  return segs.size() == parts.size();
}

}  // namespace

void Router::Add(std::string method, std::string pattern, config::Role required,
                 Handler handler) {
  Route r;
  r.method = std::move(method);
  for (std::string_view s : Split(pattern)) r.segments.emplace_back(s);
  r.pattern = std::move(pattern);
  r.required = required;
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  RouteMatch m;
  std::vector<std::string_view> parts = Split(path);
  std::string_view want = method == "HEAD" ? "GET" : method;
  KeyValues params;
  for (const Route& r : routes_) {
    if (!MatchSegments(r, parts, path, &params)) continue;
    if (r.method == want) {
      m.kind = RouteMatch::Kind::kFound;
      m.route = &r;
      m.params = std::move(params);
      m.allow.clear();
      return m;
    }
    m.kind = RouteMatch::Kind::kMethodNotAllowed;
    if (m.allow.find(r.method) == std::string::npos) {
      if (!m.allow.empty()) m.allow += ", ";
      m.allow += r.method;
    }
  }
  return m;
}

}  // namespace hw::http
