// The SLO page's charts: one fraction over time against fixed lines (the objective,
// budget zero), on a y scale chosen for them. chart.ts's TimeChart lets uPlot pick
// the scale (from 0 for a flat line) and units.ts rounds percentages to one
// decimal, which merges 99.95% with 100%; here the scale spans the data and the
// lines, and the labels carry as many decimals as the ticks' spacing needs.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { PALETTE, type Threshold, thresholdPlugin } from "../chart";
import { h, replace } from "../dom";
import { formatDateTime } from "../time";
import { pct } from "./slo_format";

export interface SloSeries {
  name: string;
  x: number[]; // Unix seconds
  values: (number | null)[];
}

// Tick labels: enough decimals to tell neighbouring ticks apart.
export function tickLabels(vals: number[]): string[] {
  const step = vals.length > 1 ? Math.abs(vals[1] - vals[0]) * 100 : 1;
  const decimals = Math.min(4, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
  return vals.map((v) => pct(v, decimals));
}

// [min, max] over the values and the lines, padded by 10% of the span (at least
// 0.1% of the unit) so a flat line sits off the edges.
export function yRange(values: (number | null)[], lines: number[]): [number, number] {
  const all = [...values.filter((v): v is number => v !== null && Number.isFinite(v)), ...lines];
  if (!all.length) return [0, 1];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const pad = Math.max((hi - lo) * 0.1, 0.001);
  return [lo - pad, hi + pad];
}

export class SloChart {
  private plot: uPlot | null = null;
  private data: SloSeries | null = null;
  private readonly plotEl = h("div", { class: "plot" });
  private readonly legendEl = h("div", { class: "legend" });
  private readonly observer: ResizeObserver;

  constructor(
    private readonly container: HTMLElement,
    private readonly decimals: number, // of the legend's percentage
    private readonly lines: Threshold[],
    private readonly extent: number[] = [], // values the scale always shows (100%)
    private readonly height = 220,
  ) {
    container.append(this.plotEl, this.legendEl);
    this.observer = new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: this.height }));
    this.observer.observe(container);
  }

  private width(): number {
    return Math.max(200, this.container.clientWidth);
  }

  setData(s: SloSeries): void {
    this.data = s;
    this.plot?.destroy();
    const [min, max] = yRange(s.values, [...this.lines.map((l) => l.value), ...this.extent]);
    this.plot = new uPlot({
      width: this.width(),
      height: this.height,
      legend: { show: false },
      scales: { x: { time: true }, y: { range: () => [min, max] } },
      axes: [
        { stroke: "#6b7280", grid: { stroke: "#e5e7eb" }, ticks: { stroke: "#e5e7eb" } },
        { stroke: "#6b7280", grid: { stroke: "#e5e7eb" }, ticks: { stroke: "#e5e7eb" }, size: 70, values: (_u, vals) => tickLabels(vals) },
      ],
      series: [{}, { label: s.name, stroke: PALETTE[0], width: 2, points: { show: s.x.length <= 62 } }],
      plugins: [thresholdPlugin(this.lines)],
      hooks: { setCursor: [(u) => this.renderLegend(u.cursor.idx ?? null)] },
    }, [s.x, s.values] as uPlot.AlignedData, this.plotEl);
    this.renderLegend(null);
  }

  // The value at the cursor, or the last one.
  private renderLegend(idx: number | null): void {
    const s = this.data;
    if (!s) return;
    let i = idx ?? -1;
    if (i < 0) for (i = s.values.length - 1; i > 0 && s.values[i] === null; i--);
    const v = i >= 0 ? s.values[i] : null;
    replace(this.legendEl,
      h("span", { class: "legend-item" },
        h("span", { class: "swatch", style: `background:${PALETTE[0]}` }),
        h("span", { class: "legend-name" }, s.name),
        h("span", { class: "legend-value" }, pct(v, this.decimals)),
        idx !== null && i >= 0 ? h("span", { class: "muted" }, formatDateTime(s.x[i] * 1000)) : null));
  }

  destroy(): void {
    this.observer.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}
