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
  using V = TemplateValue;
  tmpl::ExecEnv env;
  env.dot = V::Object({{"Labels", V::Map(data.labels)},
                       {"Value", V::Num(data.value)},
                       {"ExternalLabels", V::Map(data.external_labels)},
                       {"ExternalURL", V::Str(data.external_url)}});
  env.vars = {{"$labels", V::Map(data.labels)},
              {"$value", V::Num(data.value)},
              {"$externalLabels", V::Map(data.external_labels)},
              {"$externalURL", V::Str(data.external_url)}};
  env.query = &data.query;
  std::string out;
  HW_RETURN_IF_ERROR(tmpl::ExecuteTree(*root_, name_, env, &out));
  return out;
}

}  // namespace hw::rules
