// Router: the route table. Handlers are registered against a method and a path
// template; templates are '/'-separated segments where ":name" captures one segment
// and a final "*name" captures the rest of the path. No handler parses its path.
//
// Routes are added before the server starts; Match is then read-only and thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "http/request.h"

namespace hw::http {

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;
  std::string pattern;
  config::Role required = config::Role::kRead;  // kNone: open to everyone
  Handler handler;
  std::vector<std::string> segments;  // pattern split on '/'
};

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed };
  Kind kind = Kind::kNotFound;
  const Route* route = nullptr;
  KeyValues params;
  std::string allow;  // for kMethodNotAllowed: "GET, POST"
};

class Router {
 public:
  void Add(std::string method, std::string pattern, config::Role required, Handler handler);
  void Get(std::string pattern, config::Role required, Handler handler) {
    Add("GET", std::move(pattern), required, std::move(handler));
  }
  void Post(std::string pattern, config::Role required, Handler handler) {
    Add("POST", std::move(pattern), required, std::move(handler));
  }
  void Delete(std::string pattern, config::Role required, Handler handler) {
    Add("DELETE", std::move(pattern), required, std::move(handler));
  }

  // HEAD is answered by the GET route of the same path.
  RouteMatch Match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace hw::http
