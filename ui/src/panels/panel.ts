// One panel's frame: title (description as its tooltip), full-screen toggle, an
// Explore link with the panel's query, and the state every test and user reads —
// data-state loading | ok | empty | error, with the server's message on the panel.
import type { PanelQuery, PanelSpec } from "../dashboards";
import { panelQueries } from "../dashboards";
import { h, link, replace } from "../dom";
import { type PickerState, writePicker } from "../timepicker";
import { BarPanel } from "./bar";
import { GaugePanel } from "./gauge";
import type { LoadContext, PanelRenderer } from "./query";
import { StatPanel } from "./stat";
import { TablePanel } from "./table";
import { TimeseriesPanel } from "./timeseries";

function rendererFor(body: HTMLElement, spec: PanelSpec): PanelRenderer {
  switch (spec.type ?? "timeseries") {
    case "stat": return new StatPanel(body, spec);
    case "gauge": return new GaugePanel(body, spec);
    case "table": return new TablePanel(body, spec);
    case "bar": return new BarPanel(body, spec);
    default: return new TimeseriesPanel(body, spec);
  }
}

export class PanelView {
  readonly el: HTMLElement;
  private readonly body = h("div", { class: "panel-body" });
  private readonly status = h("div", { class: "panel-status" });
  private readonly explore: HTMLAnchorElement;
  private readonly renderer: PanelRenderer;

  constructor(readonly spec: PanelSpec) {
    const width = Math.min(12, Math.max(1, spec.width ?? 6));
    this.explore = link("", "Explore", { class: "panel-link", title: "open this query in Explore" });
    const full = h("button", {
      type: "button", class: "panel-link", title: "full screen (Esc closes)", "aria-label": "full screen",
      onclick: () => this.setFullscreen(!this.el.classList.contains("fullscreen")),
    }, "⤢");
    this.el = h(
      "section",
      { class: "panel", style: `grid-column: span ${width}`, "data-panel": spec.title, "data-type": spec.type ?? "timeseries", "data-state": "loading" },
      h("div", { class: "panel-head" }, h("h3", { title: spec.description ?? "" }, spec.title), full, this.explore),
      this.status,
      this.body,
    );
    this.renderer = rendererFor(this.body, spec);
  }

  private onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") this.setFullscreen(false);
  };

  setFullscreen(on: boolean): void {
    if (this.el.classList.contains("fullscreen") === on) return;
    this.el.classList.toggle("fullscreen", on);
    this.renderer.fullscreen?.(on);
    if (on) document.addEventListener("keydown", this.onKey);
    else document.removeEventListener("keydown", this.onKey);
  }

  // `queries` have the dashboard's variables substituted.
  async load(queries: PanelQuery[], picker: PickerState, range: Omit<LoadContext, "queries" | "signal">, signal: AbortSignal): Promise<void> {
    const qp = new URLSearchParams({ expr: queries[0]?.expr ?? "", tab: this.spec.type === "table" ? "table" : "graph" });
    writePicker(qp, picker);
    this.explore.href = `/ui/explore?${qp}`;
    this.el.classList.add("loading");
    try {
      const n = await this.renderer.load({ ...range, queries, signal });
      replace(this.status, n ? null : h("div", { class: "empty" }, "No data in this range."));
      this.el.dataset.state = n ? "ok" : "empty";
      this.el.dataset.series = String(n);
      if (this.renderer.stats) {
        this.el.dataset.points = String(this.renderer.stats.points);
        this.el.dataset.drawMs = this.renderer.stats.drawMs.toFixed(1);
      }
    } catch (err) {
      if ((err as Error).name === "AbortError") return;
      replace(this.status, h("div", { class: "error", role: "alert" }, (err as Error).message));
      this.el.dataset.state = "error";
    } finally {
      this.el.classList.remove("loading");
    }
  }

  // The body's width in CSS pixels: how many points a chart can show.
  width(): number {
    return this.body.clientWidth || 600;
  }

  queries(): PanelQuery[] {
    return panelQueries(this.spec);
  }

  destroy(): void {
    document.removeEventListener("keydown", this.onKey);
    this.renderer.destroy?.();
  }
}
