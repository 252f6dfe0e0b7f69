// A big number per series: its latest value in the range, coloured by the highest
// threshold it reaches.
import { lastValue } from "../chart";
import { type PanelSpec, thresholdsOf } from "../dashboards";
import { h, replace } from "../dom";
import { formatValue } from "../units";
import { type LoadContext, type PanelRenderer, rangeData } from "./query";
import { thresholdColor } from "./thresholds";

export class StatPanel implements PanelRenderer {
  constructor(private readonly body: HTMLElement, private readonly spec: PanelSpec) {}

  async load(ctx: LoadContext): Promise<number> {
    const data = await rangeData(ctx);
    const thresholds = thresholdsOf(this.spec);
    replace(
      this.body,
      data.series.slice(0, 4).map((s) => {
        const v = lastValue(s.values);
        const color = thresholdColor(v, thresholds);
        return h("div", { class: "stat" },
          h("div", { class: "stat-value", style: color ? `color:${color}` : null }, formatValue(v, this.spec.unit)),
          h("div", { class: "stat-name" }, s.name));
      }),
    );
    return data.series.length;
  }
}
