#include "rules/template.h"

#include "rules/template_internal.h"

namespace hw::rules {

Result<Template> Template::Parse(std::string_view name, std::string_view text) {
  Result<std::shared_ptr<tmpl::Node>> root = tmpl::ParseTree(name, text);
  if (!root.ok()) return root.status();
  Template t;
  t.name_ = std::string(name);
  t.root_ = std::move(*root);
  return t;
}

Result<std::string> Template::Execute(const TemplateData& data) const {
  std::string out;
  HW_RETURN_IF_ERROR(tmpl::ExecuteTree(*root_, name_, data, &out));
  return out;
}

}  // namespace hw::rules
