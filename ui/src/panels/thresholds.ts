// Threshold colours for single values (stat, gauge, bar): the colour of the highest
// threshold the value reaches, or none below them all.
import type { Threshold } from "../chart";

export function thresholdColor(v: number | null, thresholds: Threshold[]): string | null {
  if (v === null || Number.isNaN(v)) return null;
  let color: string | null = null;
  let best = -Infinity;
  for (const t of thresholds) {
    if (v >= t.value && t.value >= best) {
      best = t.value;
      color = t.color;
    }
  }
  return color;
}
