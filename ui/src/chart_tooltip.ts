// The chart's tooltip: every series' value at the cursor, in the panel's unit, sorted
// by value. A panel with more series than fit lists the ones nearest the cursor (what
// the user points at) and counts the rest; the nearest one is marked.
//
// It runs on every mouse move, so it is built to be cheap with 100 series: moves are
// coalesced to one update per frame (requestAnimationFrame), the rows are made once and
// only their text and colour change, and nothing reads layout (the plot's size comes
// from uPlot's bbox; the tooltip is kept inside the plot by a CSS translate rather
// than by measuring its height).
import type uPlot from "uplot";
import { h } from "./dom";
import { PALETTE } from "./palette";
import { formatDateTime } from "./time";
import { formatValue, type Unit } from "./units";

export const MAX_TIP_ROWS = 12;

interface Row {
  el: HTMLElement;
  swatch: HTMLElement;
  name: Text;
  value: Text;
  color: string;
}

function makeRow(): Row {
  const swatch = h("span", { class: "swatch" });
  const name = document.createTextNode("");
  const value = document.createTextNode("");
  const el = h("div", { class: "tip-row" }, swatch, h("span", { class: "tip-name" }, name), h("span", { class: "tip-value" }, value));
  return { el, swatch, name, value, color: "" };
}

function setText(node: Text | HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

// Indexes of the `n` series whose drawn values are nearest `target`, by value descending
// (as they lie on the chart). `drawn[k]` is null for a hidden series or a gap.
export function nearestSeries(drawn: (number | null)[], own: (number | null)[], target: number, n: number): number[] {
  const candidates: number[] = [];
  for (let k = 0; k < drawn.length; k++) if (drawn[k] !== null && own[k] !== null) candidates.push(k);
  if (candidates.length > n) {
    candidates.sort((a, b) => Math.abs(drawn[a]! - target) - Math.abs(drawn[b]! - target));
    candidates.length = n;
  }
  return candidates.sort((a, b) => drawn[b]! - drawn[a]!);
}

// valueAt(i, idx): series i's own value at point idx (not the stacked sum).
export function tooltipPlugin(unit: Unit, valueAt: (i: number, idx: number) => number | null | undefined): uPlot.Plugin {
  const tip = h("div", { class: "tooltip" });
  const time = h("div", { class: "tip-time" });
  const more = h("div", { class: "tip-more" });
  const rows: Row[] = [];
  tip.append(time);
  let frame = 0;
  let lastIdx = -1;
  const drawn: (number | null)[] = [];
  const own: (number | null)[] = [];

  const hide = () => {
    if (tip.style.display !== "none") tip.style.display = "none";
  };

  const update = (u: uPlot) => {
    frame = 0;
    const idx = u.cursor.idx;
    const left = u.cursor.left ?? -1;
    const top = u.cursor.top ?? 0;
    if (idx === null || idx === undefined || left < 0 || !u.data) return hide();
    const n = u.series.length - 1;
    drawn.length = n;
    own.length = n;
    for (let i = 1; i <= n; i++) {
      const v = u.series[i].show ? valueAt(i, idx) : null;
      own[i - 1] = v ?? null;
      drawn[i - 1] = v === null || v === undefined ? null : (u.data[i][idx] as number | null) ?? v;
    }
    const target = u.posToVal(top, "y");
    const shown = nearestSeries(drawn, own, target, MAX_TIP_ROWS);
    if (!shown.length) return hide();
    const visible = own.reduce<number>((c, v) => (v === null ? c : c + 1), 0);
    let nearest = shown[0];
    for (const k of shown) if (Math.abs(drawn[k]! - target) < Math.abs(drawn[nearest]! - target)) nearest = k;

    if (idx !== lastIdx) {
      time.textContent = formatDateTime(u.data[0][idx] * 1000);
      lastIdx = idx;
    }
    while (rows.length < shown.length) {
      const r = makeRow();
      rows.push(r);
      tip.insertBefore(r.el, more.parentNode ? more : null);
    }
    rows.forEach((r, j) => {
      const k = shown[j];
      r.el.hidden = k === undefined;
      if (k === undefined) return;
      const color = PALETTE[k % PALETTE.length];
      if (r.color !== color) r.swatch.style.background = r.color = color;
      setText(r.name, String(u.series[k + 1].label));
      setText(r.value, formatValue(own[k], unit));
      // Only worth marking when the list is a choice among many.
      r.el.classList.toggle("near", visible > 1 && k === nearest);
    });
    if (visible > shown.length) {
      setText(more, `+${visible - shown.length} more`);
      if (!more.parentNode) tip.append(more);
    } else {
      more.remove();
    }
    // Right of the cursor in the plot's left half, left of it in the right half; from
    // below the cursor at the top of the plot to above it at the bottom.
    const plotWidth = u.bbox.width / devicePixelRatio;
    const flip = left > plotWidth / 2;
    tip.style.left = flip ? "" : `${left + 12}px`;
    tip.style.right = flip ? `${plotWidth - left + 12}px` : "";
    tip.style.top = `${top}px`;
    const height = u.bbox.height / devicePixelRatio;
    tip.style.transform = `translateY(-${height > 0 ? Math.round((100 * Math.min(Math.max(top, 0), height)) / height) : 0}%)`;
    if (tip.style.display !== "block") tip.style.display = "block";
  };

  return {
    hooks: {
      init: (u) => {
        u.over.appendChild(tip);
        u.over.addEventListener("mouseleave", hide);
      },
      setData: () => {
        lastIdx = -1;
      },
      setCursor: (u) => {
        if (!frame) frame = requestAnimationFrame(() => update(u));
      },
      destroy: () => {
        if (frame) cancelAnimationFrame(frame);
        frame = 0;
      },
    },
  };
}
