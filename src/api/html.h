// Escaping for the few pages the server writes as HTML itself (runbooks, one-click
// incident links): text and attribute values alike.
#pragma once

#include <string>
#include <string_view>

namespace hw::api {

// & < > " ' as entities; everything else unchanged.
std::string HtmlEscape(std::string_view s);

}  // namespace hw::api
