// A dashboard from the server (GET /api/v1/dashboards/<id>): variables, the time range
// picker and auto-refresh (all in the URL, so a link shares the view), and its panels.
// Every change re-runs the panels' queries, aborting any still in flight; a new time
// range, the refresh button and auto-refresh ticks reload the variables' options first.
import { type DashboardSpec, getDashboard, listDashboards, substitute, writeVariables } from "../dashboards";
import { errorBox, h, link, replace } from "../dom";
import type { Page } from "../main";
import { PanelView } from "../panels/panel";
import { align, resolve, stepFor } from "../time";
import { autoRefresh, type PickerState, readPicker, timePicker, writePicker } from "../timepicker";
import { params, setParams } from "../url";
import { type Range, VariablesBar } from "./dashboards_variables";

function render(root: HTMLElement, id: string, spec: DashboardSpec): () => void {
  const fallback: PickerState = { range: spec.time ?? { from: "now-1h", to: "now" }, refresh: spec.refresh ?? "off" };
  let picker = readPicker(params(), fallback);
  const panels = spec.panels.map((p) => new PanelView(p));
  const pickerSlot = h("div");
  const timing = h("span", { class: "muted", "data-testid": "load-time" });
  let controller: AbortController | null = null;
  let stopRefresh = () => {};
  let destroyed = false;

  const vars = new VariablesBar(spec.variables ?? [], () => {
    syncUrl();
    void load(false);
  });
  const syncUrl = () => {
    const p = params();
    writePicker(p, picker);
    writeVariables(p, vars.values);
    setParams(p);
  };
  const loadPanels = async ({ start: s, end: e }: Range, signal: AbortSignal) => {
    const texts = vars.texts();
    await Promise.all(
      panels.map((p) => {
        // As many points as the panel is wide (200..1000), on a step shared by refreshes.
        const step = stepFor(s, e, Math.min(1000, Math.max(200, Math.floor(p.width()))));
        const { start, end } = align(s, e, step);
        const queries = p.queries().map((q) => ({ ...q, expr: substitute(q.expr, texts) }));
        return p.load(queries, picker, { start, end, step }, signal);
      }),
    );
  };
  // withOptions: the variables' option lists first (the range moved or time passed).
  const load = async (withOptions: boolean) => {
    controller?.abort();
    controller = new AbortController();
    const signal = controller.signal;
    const t0 = performance.now();
    const range = resolve(picker.range);
    if (withOptions) {
      const done = await vars.refresh(range);
      // Superseded: a variable change or a newer refresh loads the panels.
      if (!done || signal.aborted) return;
      syncUrl();
    }
    await loadPanels(range, signal);
    if (!signal.aborted) timing.textContent = `queried in ${Math.round(performance.now() - t0)} ms`;
  };
  const refresh = () => void load(true);
  const apply = (next: PickerState, withOptions = true) => {
    picker = next;
    syncUrl();
    replace(pickerSlot, timePicker(picker, apply, refresh));
    stopRefresh();
    stopRefresh = autoRefresh(picker.refresh, refresh);
    void load(withOptions);
  };

  replace(
    root,
    h("div", { class: "toolbar" },
      h("h2", { title: spec.description ?? "" }, spec.title),
      link("/ui/dashboards", "All dashboards", { class: "muted" }),
      timing, pickerSlot),
    vars.el,
    h("div", { class: "grid" }, panels.map((p) => p.el)),
  );
  root.dataset.dashboard = id;
  document.title = `${spec.title} · hastewatch`;
  // Variables first (the queries need their values), after the first layout so that
  // the panels know their width.
  // (Superseded by a change made meanwhile, the init still draws: the change's own
  // reload follows and aborts this one.)
  void vars.init(params(), resolve(picker.range)).then(() => {
    if (!destroyed) requestAnimationFrame(() => !destroyed && apply(picker, false));
  });
  return () => {
    destroyed = true;
    stopRefresh();
    controller?.abort();
    vars.destroy();
    panels.forEach((p) => p.destroy());
  };
}

// /ui/d/<id>, or `id` given (the home page shows the first dashboard).
export function dashboardPage(id?: string): Page {
  const root = h("div", { class: "dashboard" }, h("div", { class: "muted" }, "Loading dashboard…"));
  let destroy = () => {};
  let gone = false;
  const wanted = id ?? decodeURIComponent(location.pathname.split("/")[3] ?? "");
  const open = async () => {
    const target = wanted || (await listDashboards())[0]?.id;
    if (!target) {
      replace(root, h("div", { class: "empty" }, "No dashboards are configured. ", link("/ui/dashboards", "Dashboards")));
      return;
    }
    const spec = await getDashboard(target);
    if (!gone) destroy = render(root, target, spec);
  };
  open().catch((e) => replace(root, errorBox(e), link("/ui/dashboards", "All dashboards")));
  return {
    el: root,
    destroy: () => {
      gone = true;
      destroy();
    },
  };
}

export const homePage = (): Page => dashboardPage("");

export const dashboardHref = (id: string) => `/ui/d/${encodeURIComponent(id)}`;
