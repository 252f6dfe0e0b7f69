// Latest value per series as horizontal bars, largest first, scaled to the largest.
import { PALETTE } from "../chart";
import { type PanelSpec, thresholdsOf } from "../dashboards";
import { h, replace } from "../dom";
import { formatValue, seriesName } from "../units";
import { instantData, type LoadContext, type PanelRenderer } from "./query";
import { thresholdColor } from "./thresholds";

export class BarPanel implements PanelRenderer {
  constructor(private readonly body: HTMLElement, private readonly spec: PanelSpec) {}

  async load(ctx: LoadContext): Promise<number> {
    const rows = (await instantData(ctx))
      .map((r) => ({ name: seriesName(r.metric, r.legend), value: r.value }))
      .sort((a, b) => b.value - a.value);
    const thresholds = thresholdsOf(this.spec);
    const top = Math.max(0, ...rows.map((r) => r.value).filter(Number.isFinite)) || 1;
    replace(
      this.body,
      h("div", { class: "bars" },
        rows.map((r, i) => {
          const pct = Number.isFinite(r.value) ? Math.max(0, (r.value / top) * 100) : 0;
          const color = thresholdColor(r.value, thresholds) ?? PALETTE[i % PALETTE.length];
          return h("div", { class: "bar-row", "data-series": r.name, title: `${r.name}: ${formatValue(r.value, this.spec.unit)}` },
            h("span", { class: "bar-name" }, r.name),
            h("span", { class: "bar-track" }, h("span", { class: "bar-fill", style: `width:${pct.toFixed(1)}%;background:${color}` })),
            h("span", { class: "bar-value" }, formatValue(r.value, this.spec.unit)));
        })),
    );
    return rows.length;
  }
}
