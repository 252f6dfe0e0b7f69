#include "rules/template_set.h"

#include <fmt/format.h>

#include "rules/template_internal.h"

namespace hw::rules {

const TemplateValue* TemplateValue::Field(std::string_view name) const {
  if (k != K::kObject || !fields) return nullptr;
  auto it = fields->find(std::string(name));
  return it == fields->end() ? nullptr : &it->second;
}

Status TemplateSet::Add(std::string_view name, std::string_view text) {
  tmpl::Defines defs;
  auto root = tmpl::ParseTree(name, text, tmpl::Dialect::kNotify, &defs);
  if (!root.ok()) return root.status();
  for (auto& [n, node] : defs) defs_[n] = std::move(node);
  return Status::Ok();
}

bool TemplateSet::Has(std::string_view name) const { return defs_.contains(name); }

Result<std::string> TemplateSet::ExecuteText(std::string_view text, const TemplateValue& dot,
                                             bool html) const {
  tmpl::Defines local;
  auto root = tmpl::ParseTree("text", text, tmpl::Dialect::kNotify, &local);
  if (!root.ok()) return root.status();
  tmpl::Defines merged;
  const tmpl::Defines* defs = &defs_;
  if (!local.empty()) {  // definitions inside the field itself see the set too
    merged = defs_;
    for (auto& [n, node] : local) merged[n] = node;
    defs = &merged;
  }
  tmpl::ExecEnv env;
  env.dot = dot;
  env.defines = defs;
  env.html = html;
  std::string out;
  HW_RETURN_IF_ERROR(tmpl::ExecuteTree(**root, "text", env, &out));
  return out;
}

Result<std::string> TemplateSet::ExecuteNamed(std::string_view name, const TemplateValue& dot,
                                              bool html) const {
  auto it = defs_.find(name);
  if (it == defs_.end()) {
    return Status::Execution(fmt::format("template: no template \"{}\" defined", name));
  }
  tmpl::ExecEnv env;
  env.dot = dot;
  env.defines = &defs_;
  env.html = html;
  std::string out;
  HW_RETURN_IF_ERROR(tmpl::ExecuteTree(*it->second, name, env, &out));
  return out;
}

}  // namespace hw::rules
