// The default panel: a uPlot time-series chart (stacked when the panel says so).
import { TimeChart } from "../chart";
import { type PanelSpec, thresholdsOf } from "../dashboards";
import { type LoadContext, type PanelRenderer, rangeData } from "./query";

export class TimeseriesPanel implements PanelRenderer {
  private readonly chart: TimeChart;
  stats = { points: 0, drawMs: 0 };

  constructor(body: HTMLElement, spec: PanelSpec) {
    this.chart = new TimeChart(body, spec.unit, thresholdsOf(spec), 220, { stack: spec.stack === true });
  }

  async load(ctx: LoadContext): Promise<number> {
    const data = await rangeData(ctx);
    const t0 = performance.now();
    this.chart.setData(data);
    // uPlot draws in a microtask queued by setData: wait for it, so the time includes
    // the drawing.
    await new Promise<void>((r) => queueMicrotask(r));
    this.stats = { points: data.x.length, drawMs: performance.now() - t0 };
    return data.series.length;
  }

  fullscreen(on: boolean): void {
    // The full-screen panel's height less its title and legend.
    this.chart.setHeight(on ? Math.max(300, window.innerHeight - 260) : 220);
  }

  destroy(): void {
    this.chart.destroy();
  }
}
