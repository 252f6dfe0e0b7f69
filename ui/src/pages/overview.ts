// The guide's "System Overview" dashboard: every panel queries /api/v1/query_range
// for the picked range; auto-refresh re-runs them, aborting any still in flight.
import { ApiError, type MatrixSeries, queryRange } from "../api";
import { lastValue, TimeChart, toChartData } from "../chart";
import { type DashboardSpec, type PanelSpec, panelQueries, SYSTEM_OVERVIEW } from "../dashboards";
import { h, link, replace } from "../dom";
import type { Page } from "../main";
import { align, resolve, stepFor } from "../time";
import { autoRefresh, type PickerState, readPicker, timePicker, writePicker } from "../timepicker";
import { formatValue } from "../units";
import { params, setParams } from "../url";

class PanelView {
  readonly el: HTMLElement;
  private readonly body = h("div", { class: "panel-body" });
  private readonly status = h("div", { class: "panel-status" });
  private readonly explore: HTMLAnchorElement;
  private chart: TimeChart | null = null;

  constructor(private readonly spec: PanelSpec) {
    const width = Math.min(12, Math.max(2, spec.width ?? 6));
    this.explore = link("", "Explore", { class: "panel-link", title: "open this query in Explore" });
    this.el = h(
      "section",
      { class: "panel", style: `grid-column: span ${width}`, "data-panel": spec.title, "data-state": "loading" },
      h("div", { class: "panel-head" },
        h("h3", { title: spec.description ?? "" }, spec.title),
        h("button", { type: "button", class: "panel-link", title: "full screen", onclick: () => this.el.classList.toggle("fullscreen") }, "⤢"),
        this.explore),
      this.status,
      this.body,
    );
    if (spec.type !== "stat") this.chart = new TimeChart(this.body, spec.unit, spec.thresholds);
  }

  async load(picker: PickerState, signal: AbortSignal): Promise<void> {
    const { start: s, end: e } = resolve(picker.range);
    const step = stepFor(s, e, Math.min(1000, Math.max(200, Math.floor(this.body.clientWidth || 600))));
    const { start, end } = align(s, e, step);
    const queries = panelQueries(this.spec);
    const first = queries[0]?.expr ?? "";
    const qp = new URLSearchParams({ expr: first, tab: "graph" });
    writePicker(qp, picker);
    this.explore.href = `/ui/explore?${qp}`;
    this.el.classList.add("loading");
    try {
      const results = await Promise.all(
        queries.map(async (q) => {
          const data = await queryRange(q.expr, start, end, step, signal);
          if (data.resultType !== "matrix") throw new ApiError(`expected a range vector, got ${data.resultType}`, 200);
          return { series: data.result as MatrixSeries[], legend: q.legend };
        }),
      );
      const data = toChartData(results, start, end, step);
      replace(this.status);
      if (this.spec.type === "stat") {
        replace(
          this.body,
          data.series.length
            ? data.series.slice(0, 4).map((s) =>
                h("div", { class: "stat" },
                  h("div", { class: "stat-value" }, formatValue(lastValue(s.values), this.spec.unit)),
                  h("div", { class: "stat-name" }, s.name)))
            : null,
        );
      } else {
        this.chart!.setData(data);
      }
      if (!data.series.length) replace(this.status, h("div", { class: "empty" }, "No data in this range."));
      this.el.dataset.state = data.series.length ? "ok" : "empty";
    } catch (err) {
      if ((err as Error).name === "AbortError") return;
      replace(this.status, h("div", { class: "error", role: "alert" }, (err as Error).message));
      this.el.dataset.state = "error";
    } finally {
      this.el.classList.remove("loading");
    }
  }

  destroy(): void {
    this.chart?.destroy();
  }
}

export function dashboardPage(spec: DashboardSpec): Page {
  const fallback: PickerState = { range: spec.time ?? { from: "now-1h", to: "now" }, refresh: spec.refresh ?? "off" };
  let picker = readPicker(params(), fallback);
  const panels = spec.panels.map((p) => new PanelView(p));
  const pickerSlot = h("div");
  const timing = h("span", { class: "muted", "data-testid": "load-time" });
  let controller: AbortController | null = null;
  let stopRefresh = () => {};

  const load = async () => {
    controller?.abort();
    controller = new AbortController();
    const t0 = performance.now();
    await Promise.all(panels.map((p) => p.load(picker, controller!.signal)));
    timing.textContent = `queried in ${Math.round(performance.now() - t0)} ms`;
  };
  const apply = (next: PickerState) => {
    picker = next;
    const p = params();
    writePicker(p, picker);
    setParams(p);
    replace(pickerSlot, timePicker(picker, apply, load));
    stopRefresh();
    stopRefresh = autoRefresh(picker.refresh, load);
    void load();
  };

  const el = h("div", { class: "dashboard" },
    h("div", { class: "toolbar" }, h("h2", null, spec.title), timing, pickerSlot),
    h("div", { class: "grid" }, panels.map((p) => p.el)));
  // After the first layout, so the panels know their width.
  requestAnimationFrame(() => apply(picker));
  return {
    el,
    destroy: () => {
      stopRefresh();
      controller?.abort();
      panels.forEach((p) => p.destroy());
    },
  };
}

export function overviewPage(): Page {
  return dashboardPage(SYSTEM_OVERVIEW);
}
