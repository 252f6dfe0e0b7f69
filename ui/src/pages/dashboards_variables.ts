// The dashboard's variables bar: a select per single-value variable, a checkbox list
// per multi-value one. Options are the values of the variable's label in the picked
// time range (GET /api/v1/label/<label>/values?match[]=<match>&start=&end=), with the
// variables before it substituted, so $endpoint narrows to the chosen $service.
import { request } from "../api";
import {
  ALL, initialValue, keepSelection, readVariable, type Selection, selectionLabel, substitute, toggleValue,
  type VariableSpec, type VariableValues, variableTexts,
} from "../dashboards";
import { h, replace } from "../dom";

export interface Range {
  start: number; // Unix seconds
  end: number;
}

export async function labelValues(v: VariableSpec, texts: Map<string, string>, range: Range, signal?: AbortSignal): Promise<string[]> {
  const q = new URLSearchParams();
  if (v.match) q.append("match[]", substitute(v.match, texts));
  q.set("start", String(Math.floor(range.start)));
  q.set("end", String(Math.ceil(range.end)));
  return request<string[]>(`/api/v1/label/${encodeURIComponent(v.label ?? v.name)}/values?${q}`, { signal });
}

export class VariablesBar {
  readonly el = h("div", { class: "variables", "data-testid": "variables" });
  readonly values: VariableValues = new Map();
  private readonly options = new Map<string, string[]>();
  private readonly slots: HTMLElement[];
  private range: Range = { start: 0, end: 0 };
  private reloading: AbortController | null = null;

  constructor(private readonly specs: VariableSpec[], private readonly onChange: () => void) {
    this.slots = specs.map(() => h("span", { class: "variable-slot" }));
    this.el.append(...this.slots);
    document.addEventListener("click", this.closeMenus);
    document.addEventListener("keydown", this.closeOnEscape);
  }

  // The text each variable puts into a query.
  texts(): Map<string, string> {
    return variableTexts(this.specs, this.values);
  }

  // First load: the URL's selection stays even if no series has it now (a shared link
  // keeps meaning what it said).
  async init(params: URLSearchParams, range: Range): Promise<boolean> {
    this.range = range;
    return this.reloadFrom(0, params);
  }

  // A new time range, a refresh or an auto-refresh tick: every option list again, the
  // selection kept where still offered. False when a newer reload took over.
  async refresh(range: Range): Promise<boolean> {
    this.range = range;
    return this.reloadFrom(0, null);
  }

  destroy(): void {
    this.reloading?.abort();
    document.removeEventListener("click", this.closeMenus);
    document.removeEventListener("keydown", this.closeOnEscape);
  }

  private async reloadFrom(first: number, params: URLSearchParams | null): Promise<boolean> {
    this.reloading?.abort();
    const controller = new AbortController();
    this.reloading = controller;
    for (let i = first; i < this.specs.length; i++) {
      const v = this.specs[i];
      let opts: string[] = [];
      let error = "";
      try {
        opts = await labelValues(v, this.texts(), this.range, controller.signal);
      } catch (e) {
        if (controller.signal.aborted) return false;
        error = `${v.name}: ${(e as Error).message}`;
      }
      if (controller.signal.aborted) return false;
      this.options.set(v.name, opts);
      const current = this.values.get(v.name);
      const fromUrl = params ? readVariable(params, v) : null;
      this.values.set(v.name, params ? initialValue(v, fromUrl, opts) : error ? current ?? initialValue(v, null, opts) : keepSelection(v, current, opts));
      this.renderSlot(i, error);
    }
    return true;
  }

  private changed(i: number, selection: Selection): void {
    this.values.set(this.specs[i].name, selection);
    // The variables after this one may depend on it.
    void this.reloadFrom(i + 1, null).then((done) => done && this.onChange());
  }

  private renderSlot(i: number, error: string): void {
    const v = this.specs[i];
    const value = this.values.get(v.name) ?? [ALL];
    const opts = this.options.get(v.name) ?? [];
    const choices = [...(v.all !== false ? [ALL] : []), ...opts];
    // A value the URL names stays on offer even when no series has it now.
    for (const x of value) if (!choices.includes(x)) choices.push(x);
    const title = v.title ?? v.name;
    // An auto-refresh must not close the list the user is ticking in.
    const wasOpen = this.slots[i].querySelector("details")?.open === true;
    replace(
      this.slots[i],
      h("label", { class: "variable" }, h("span", null, title), v.multi ? this.multiSelect(i, title, value, choices, opts) : this.select(i, title, value[0], choices)),
      error ? h("span", { class: "picker-error" }, error) : null,
    );
    if (wasOpen) this.slots[i].querySelector("details")!.open = true;
  }

  private select(i: number, title: string, value: string, choices: string[]): HTMLElement {
    const select = h("select", {
      "aria-label": title, "data-variable": this.specs[i].name,
      onchange: () => this.changed(i, [select.value]),
    }, choices.map((c) => h("option", { value: c, selected: c === value }, c === ALL ? "All" : c)));
    return select;
  }

  // A button showing the selection ("api + web") opening a list of checkboxes; each
  // tick applies at once (the panels' queries are aborted and re-run).
  private multiSelect(i: number, title: string, value: Selection, choices: string[], opts: string[]): HTMLElement {
    const v = this.specs[i];
    const summary = h("summary", { "aria-label": title }, selectionLabel(value));
    const boxes = choices.map((c) => {
      const box = h("input", { type: "checkbox", value: c, checked: value.includes(c) });
      box.addEventListener("change", () => {
        const next = toggleValue(v, this.values.get(v.name) ?? [ALL], c, box.checked, opts);
        for (const b of boxes) b.checked = next.includes(b.value);
        summary.textContent = selectionLabel(next);
        this.changed(i, next);
      });
      return box;
    });
    return h("details", { class: "variable-multi", "data-variable": v.name },
      summary,
      h("div", { class: "variable-menu", role: "group", "aria-label": title },
        choices.map((c, k) => h("label", { class: "variable-option" }, boxes[k], c === ALL ? "All" : c))));
  }

  // An open checkbox list closes on a click elsewhere or Escape, as a select does.
  private closeMenus = (e: Event) => {
    for (const d of this.el.querySelectorAll<HTMLDetailsElement>("details[open]")) {
      if (!d.contains(e.target as Node)) d.open = false;
    }
  };

  private closeOnEscape = (e: KeyboardEvent) => {
    if (e.key !== "Escape") return;
    for (const d of this.el.querySelectorAll<HTMLDetailsElement>("details[open]")) d.open = false;
  };
}
