// The dashboard's variables bar: one select per variable, its options the values of
// the variable's label (GET /api/v1/label/<label>/values?match[]=<match>, with the
// variables before it substituted, so $endpoint narrows to the chosen $service).
import { request } from "../api";
import { ALL, initialValue, readVariable, substitute, type VariableSpec, type VariableValues } from "../dashboards";
import { h, replace } from "../dom";

export async function labelValues(v: VariableSpec, values: VariableValues, signal?: AbortSignal): Promise<string[]> {
  const q = new URLSearchParams();
  if (v.match) q.append("match[]", substitute(v.match, values));
  return request<string[]>(`/api/v1/label/${encodeURIComponent(v.label ?? v.name)}/values?${q}`, { signal });
}

export class VariablesBar {
  readonly el = h("div", { class: "variables", "data-testid": "variables" });
  readonly values: VariableValues = new Map();
  private options = new Map<string, string[]>();

  constructor(private readonly specs: VariableSpec[], private readonly onChange: () => void) {}

  // Loads every variable's options in order (each may depend on those before it).
  async init(params: URLSearchParams): Promise<void> {
    await this.reloadFrom(0, params);
  }

  private async reloadFrom(first: number, params: URLSearchParams | null): Promise<void> {
    for (let i = first; i < this.specs.length; i++) {
      const v = this.specs[i];
      let opts: string[] = [];
      let error = "";
      try {
        opts = await labelValues(v, this.values);
      } catch (e) {
        error = (e as Error).message;
      }
      this.options.set(v.name, opts);
      let current = params ? readVariable(params, v) : this.values.get(v.name) ?? null;
      // A value the URL names stays even if no series has it now (a shared link keeps
      // meaning what it said); one the new choice above made impossible does not.
      if (!params && current !== null && current !== ALL && !opts.includes(current)) current = null;
      this.values.set(v.name, initialValue(v, current, opts));
      this.render(error ? `${v.name}: ${error}` : "");
    }
    this.render("");
  }

  private render(error: string): void {
    replace(
      this.el,
      this.specs.map((v, i) => {
        const value = this.values.get(v.name);
        const opts = this.options.get(v.name) ?? [];
        const choices = [...(v.all !== false ? [ALL] : []), ...opts];
        if (value !== undefined && !choices.includes(value)) choices.push(value);
        const select = h("select", {
          "aria-label": v.title ?? v.name, "data-variable": v.name,
          onchange: async () => {
            this.values.set(v.name, select.value);
            // The variables after this one may depend on it.
            await this.reloadFrom(i + 1, null);
            this.onChange();
          },
        }, choices.map((c) => h("option", { value: c, selected: c === value }, c === ALL ? "All" : c)));
        return h("label", { class: "variable" }, h("span", null, v.title ?? v.name), select);
      }),
      error ? h("span", { class: "picker-error" }, error) : null,
    );
  }
}
