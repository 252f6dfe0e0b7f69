// Value formatting for legends, tooltips, axes and stats. Units follow the dashboard
// file's `unit`: seconds, bytes, percent (0..100), percentunit (0..1), req/s, short.

export type Unit = "seconds" | "bytes" | "percent" | "percentunit" | "req/s" | "ops/s" | "short" | "";

function trim(n: number, digits: number): string {
  // 3 significant-ish digits, no trailing zeros: 1.50 -> 1.5, 120.0 -> 120
  const s = n.toFixed(Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? Math.min(digits, 1) : digits);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

function si(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${trim(v / 1e9, 2)}G`;
  if (a >= 1e6) return `${trim(v / 1e6, 2)}M`;
  if (a >= 1e3) return `${trim(v / 1e3, 2)}k`;
  if (a > 0 && a < 0.01) return v.toExponential(1);
  return trim(v, 2);
}

export function formatValue(v: number | null | undefined, unit: Unit = ""): string {
  if (v === null || v === undefined) return "–";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  switch (unit) {
    case "seconds": {
      const a = Math.abs(v);
      if (a === 0) return "0 s";
      if (a < 0.9995e-3) return `${trim(v * 1e6, 1)} µs`;
      if (a < 0.9995) return `${trim(v * 1e3, 1)} ms`;
      if (a < 60) return `${trim(v, 2)} s`;
      if (a < 3600) return `${trim(v / 60, 1)} min`;
      return `${trim(v / 3600, 1)} h`;
    }
    case "bytes": {
      const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
      let i = 0;
      let x = v;
      while (Math.abs(x) >= 1024 && i < units.length - 1) {
        x /= 1024;
        i++;
      }
      return `${trim(x, i === 0 ? 0 : 2)} ${units[i]}`;
    }
    case "percent":
      return `${trim(v, 1)}%`;
    case "percentunit":
      return `${trim(v * 100, 1)}%`;
    case "req/s":
    case "ops/s":
      return `${si(v)} ${unit}`;
    default:
      return si(v);
  }
}

// Legend text from a template: "{{service}} p95" with the series' labels; without a
// template, the labels as {a="b", ...} (or the metric name alone).
export function seriesName(labels: Record<string, string>, template?: string): string {
  if (template) return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => labels[k] ?? "");
  const name = labels.__name__ ?? "";
  const rest = Object.entries(labels)
    .filter(([k]) => k !== "__name__")
    .map(([k, v]) => `${k}="${v}"`)
    .join(", ");
  return rest ? `${name}{${rest}}` : name || "{}";
}
