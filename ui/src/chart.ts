// Time-series charts on uPlot: one canvas per panel, a legend with each series' last
// value (click to hide/show) and a tooltip with the series' values at the cursor
// (chart_tooltip.ts), all formatted in the panel's unit. Stacked charts draw cumulative
// sums with the band between neighbours filled, while legend and tooltip keep each
// series' own value.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { MatrixSeries } from "./api";
import { tooltipPlugin } from "./chart_tooltip";
import { h, replace } from "./dom";
import { PALETTE } from "./palette";
import { formatValue, seriesName, type Unit } from "./units";

export { PALETTE };

export interface ChartSeries {
  name: string;
  values: (number | null)[];
}

export interface ChartData {
  x: number[]; // Unix seconds, evenly spaced by the step
  series: ChartSeries[];
}

export interface Threshold {
  value: number;
  color: string;
}

export interface ChartOptions {
  stack?: boolean;
}

// Running sums across series at each point (a missing sample counts as 0 once some
// series below has a value), for stacking.
export function stackValues(series: (number | null)[][]): (number | null)[][] {
  const out: (number | null)[][] = [];
  let below: (number | null)[] = [];
  for (const values of series) {
    const sum = values.map((v, i) => (v === null && below[i] == null ? null : (v ?? 0) + (below[i] ?? 0)));
    out.push(sum);
    below = sum;
  }
  return out;
}

// Lays query_range results onto one time grid (start..end by step); a missing
// sample is null, so uPlot draws a gap. So are NaN and ±Inf (histogram_quantile over
// no requests, a division by zero): one of them would leave uPlot's y scale NaN and
// the whole chart empty.
export function toChartData(
  results: { series: MatrixSeries[]; legend?: string }[],
  start: number,
  end: number,
  step: number,
): ChartData {
  const n = Math.max(0, Math.floor((end - start) / step) + 1);
  const x = new Array<number>(n);
  for (let i = 0; i < n; i++) x[i] = start + i * step;
  const series: ChartSeries[] = [];
  for (const { series: ss, legend } of results) {
    for (const s of ss) {
      const values = new Array<number | null>(n).fill(null);
      for (const [t, v] of s.values) {
        const i = Math.round((t - start) / step);
        const x = Number(v);
        if (i >= 0 && i < n) values[i] = Number.isFinite(x) ? x : null;
      }
      series.push({ name: seriesName(s.metric, legend), values });
    }
  }
  return { x, series };
}

export function lastValue(values: (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
  return null;
}

// Dashed horizontal lines at each threshold (alert levels, SLO objectives).
export function thresholdPlugin(thresholds: Threshold[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.setLineDash([6, 4]);
        ctx.lineWidth = 1.5 * devicePixelRatio;
        for (const t of thresholds) {
          const y = u.valToPos(t.value, "y", true);
          if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) continue;
          ctx.strokeStyle = t.color;
          ctx.beginPath();
          ctx.moveTo(u.bbox.left, y);
          ctx.lineTo(u.bbox.left + u.bbox.width, y);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

export class TimeChart {
  private plot: uPlot | null = null;
  private names: string[] = [];
  private readonly plotEl = h("div", { class: "plot" });
  private readonly legendEl = h("div", { class: "legend" });
  private legendValues: Text[] = []; // each legend entry's value, updated in place
  private readonly observer: ResizeObserver;
  private hidden = new Set<string>();
  private raw: ChartData = { x: [], series: [] };

  constructor(
    private readonly container: HTMLElement,
    private readonly unit: Unit = "",
    private readonly thresholds: Threshold[] = [],
    private height = 220,
    private readonly chartOptions: ChartOptions = {},
  ) {
    container.append(this.plotEl, this.legendEl);
    this.observer = new ResizeObserver(() => {
      if (this.plot) this.plot.setSize({ width: this.width(), height: this.height });
    });
    this.observer.observe(container);
  }

  // E.g. for a full-screen panel.
  setHeight(height: number): void {
    this.height = height;
    this.plot?.setSize({ width: this.width(), height });
  }

  private width(): number {
    return Math.max(200, this.container.clientWidth);
  }

  setData(data: ChartData): void {
    const names = data.series.map((s) => s.name);
    this.raw = data;
    const values = data.series.map((s) => s.values);
    const aligned = [data.x, ...(this.chartOptions.stack ? stackValues(values) : values)] as uPlot.AlignedData;
    if (this.plot && names.length === this.names.length && names.every((n, i) => n === this.names[i])) {
      this.plot.setData(aligned);
      // Same series (a refresh): only the values change.
      data.series.forEach((s, i) => (this.legendValues[i].data = formatValue(lastValue(s.values), this.unit)));
      return;
    }
    this.plot?.destroy();
    this.names = names;
    this.plot = new uPlot(this.options(names), aligned, this.plotEl);
    this.renderLegend(data);
  }

  private options(names: string[]): uPlot.Options {
    const unit = this.unit;
    const many = names.length > 20;
    const stack = this.chartOptions.stack === true;
    return {
      width: this.width(),
      height: this.height,
      legend: { show: false },
      // Dimming the other series on hover redraws them all on each change of the
      // nearest one: worth it for a few lines, not for a crowd (the tooltip marks the
      // nearest series instead).
      cursor: { points: { show: !many }, focus: { prox: many ? -1 : 16 } },
      focus: { alpha: 0.3 },
      scales: { x: { time: true }, y: unit === "percent" ? { range: (_u, min, max) => [Math.min(0, min), Math.max(max, 1)] } : {} },
      axes: [
        { stroke: "#6b7280", grid: { stroke: "#e5e7eb" }, ticks: { stroke: "#e5e7eb" } },
        {
          stroke: "#6b7280",
          grid: { stroke: "#e5e7eb" },
          ticks: { stroke: "#e5e7eb" },
          size: 70,
          values: (_u, vals) => vals.map((v) => formatValue(v, unit)),
        },
      ],
      series: [
        {},
        ...names.map((name, i) => ({
          label: name,
          show: !this.hidden.has(name),
          stroke: PALETTE[i % PALETTE.length],
          fill: stack ? `${PALETTE[i % PALETTE.length]}55` : undefined,
          width: many ? 1 : 1.5,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => formatValue(v, unit),
        })),
      ],
      // Each stacked series fills down to the one below it.
      bands: stack ? names.slice(1).map((_, i) => ({ series: [i + 2, i + 1] as [number, number] })) : undefined,
      plugins: [
        tooltipPlugin(unit, (i, idx) => this.raw.series[i - 1]?.values[idx]),
        thresholdPlugin(this.thresholds),
      ],
    };
  }

  private renderLegend(data: ChartData): void {
    this.legendValues = data.series.map((s) => document.createTextNode(formatValue(lastValue(s.values), this.unit)));
    replace(
      this.legendEl,
      data.series.map((s, i) => {
        const item = h(
          "button",
          {
            class: `legend-item${this.hidden.has(s.name) ? " off" : ""}`,
            type: "button",
            title: "click to hide or show",
            onclick: () => {
              const show = this.hidden.has(s.name);
              if (show) this.hidden.delete(s.name);
              else this.hidden.add(s.name);
              this.plot?.setSeries(i + 1, { show });
              item.classList.toggle("off", !show);
            },
          },
          h("span", { class: "swatch", style: `background:${PALETTE[i % PALETTE.length]}` }),
          h("span", { class: "legend-name" }, s.name),
          h("span", { class: "legend-value" }, this.legendValues[i]),
        );
        return item;
      }),
    );
  }

  destroy(): void {
    this.observer.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}
