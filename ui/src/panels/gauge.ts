// A half-circle gauge per series (at most four): the value at the end of the range
// between the panel's min and max, coloured by thresholds, with a tick at each one.
import { PALETTE } from "../chart";
import { type PanelSpec, thresholdsOf } from "../dashboards";
import { h, replace } from "../dom";
import { formatValue, seriesName } from "../units";
import { instantData, type LoadContext, type PanelRenderer } from "./query";
import { thresholdColor } from "./thresholds";

const SVG = "http://www.w3.org/2000/svg";
const R = 80;

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

// The point at fraction f (0..1) along the arc from the left end to the right end.
function at(f: number): [number, number] {
  const a = Math.PI * (1 - Math.min(1, Math.max(0, f)));
  return [100 + R * Math.cos(a), 100 - R * Math.sin(a)];
}

function arc(from: number, to: number, color: string, width: number): SVGElement {
  const [x0, y0] = at(from);
  const [x1, y1] = at(to);
  return svg("path", { d: `M ${x0} ${y0} A ${R} ${R} 0 0 1 ${x1} ${y1}`, stroke: color, "stroke-width": width, fill: "none" });
}

// The scale: the panel's min/max, else the unit's natural range, else up to the
// largest of the values and thresholds.
export function gaugeRange(spec: PanelSpec, values: number[]): [number, number] {
  const natural = spec.unit === "percent" ? 100 : spec.unit === "percentunit" ? 1 : undefined;
  const min = spec.min ?? 0;
  const top = Math.max(...values.filter(Number.isFinite), ...thresholdsOf(spec).map((t) => t.value), min + 1);
  const max = spec.max ?? natural ?? top * 1.2;
  return [min, max > min ? max : min + 1];
}

export class GaugePanel implements PanelRenderer {
  constructor(private readonly body: HTMLElement, private readonly spec: PanelSpec) {}

  async load(ctx: LoadContext): Promise<number> {
    const rows = await instantData(ctx);
    const thresholds = thresholdsOf(this.spec);
    const [min, max] = gaugeRange(this.spec, rows.map((r) => r.value));
    const frac = (v: number) => (v - min) / (max - min);
    replace(
      this.body,
      h("div", { class: "gauges" },
        rows.slice(0, 4).map((r, i) => {
          const g = svg("svg", { viewBox: "0 0 200 120", class: "gauge-svg", role: "img" });
          g.append(arc(0, 1, "#e5e7eb", 16));
          const color = thresholdColor(r.value, thresholds) ?? PALETTE[i % PALETTE.length];
          if (Number.isFinite(r.value)) g.append(arc(0, frac(r.value), color, 16));
          for (const t of thresholds) {
            const [x0, y0] = at(frac(t.value));
            g.append(svg("circle", { cx: x0, cy: y0, r: 3, fill: t.color }));
          }
          return h("div", { class: "gauge" },
            g,
            h("div", { class: "gauge-value", style: `color:${color}` }, formatValue(r.value, this.spec.unit)),
            h("div", { class: "stat-name" }, seriesName(r.metric, r.legend)),
            h("div", { class: "gauge-scale muted" }, h("span", null, formatValue(min, this.spec.unit)), h("span", null, formatValue(max, this.spec.unit))));
        })),
    );
    return rows.length;
  }
}
