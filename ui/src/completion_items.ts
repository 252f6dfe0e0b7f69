// The choices the Explore editor offers for a completion context, how they are
// ranked against what was typed, and the edit that accepting one makes. Pure logic
// (unit-tested in completion_items.test.ts); completion_source.ts fetches the data.
import type { Context } from "./promql_context";
import { aggregationSignature, AGGREGATIONS, FUNCTIONS, GROUPING_KEYWORDS, signature } from "./promql_functions";

export type ItemKind = "metric" | "function" | "aggregation" | "keyword" | "label" | "value" | "duration" | "modifier";

export interface Item {
  label: string;
  kind: ItemKind;
  detail?: string; // one line: a signature, a metric's type
  doc?: string; // a description, a metric's help
}

export interface MetricMeta {
  type: string;
  help: string;
}

export function functionItems(): Item[] {
  return [
    ...FUNCTIONS.map((f): Item => ({ label: f.name, kind: "function", detail: signature(f), doc: f.doc })),
    ...AGGREGATIONS.map((a): Item => ({ label: a.name, kind: "aggregation", detail: aggregationSignature(a), doc: a.doc })),
  ];
}

export function metricItems(names: string[], meta: Record<string, MetricMeta[]>): Item[] {
  return names.map((name) => {
    const m = meta[name]?.[0];
    return { label: name, kind: "metric", ...(m ? { detail: m.type, doc: m.help } : {}) };
  });
}

export function keywordItems(keywords: string[]): Item[] {
  return keywords.map((k) => ({ label: k, kind: "keyword" }));
}

export function labelItems(names: string[], used: string[] = []): Item[] {
  return names.filter((n) => !used.includes(n)).map((n) => ({ label: n, kind: "label" }));
}

export function valueItems(values: string[]): Item[] {
  return values.map((v) => ({ label: v, kind: "value" }));
}

const UNITS = ["s", "m", "h", "d", "w"];
const COMMON_DURATIONS = ["1m", "5m", "10m", "15m", "30m", "1h", "6h", "12h", "1d", "7d"];

export function durationItems(prefix: string): Item[] {
  const labels = /^\d+$/.test(prefix) ? UNITS.map((u) => prefix + u) : COMMON_DURATIONS;
  return labels.map((label) => ({ label, kind: "duration" }));
}

// What may follow `@`: the query's own start and end, or a Unix time (now, to edit).
export function atModifierItems(nowMs: number): Item[] {
  const now = Math.floor(nowMs / 1000);
  return [
    { label: "start()", kind: "modifier", detail: "the range's start (an instant query: its time)" },
    { label: "end()", kind: "modifier", detail: "the range's end (an instant query: its time)" },
    { label: String(now), kind: "modifier", detail: `now: ${new Date(now * 1000).toISOString().replace(".000Z", "Z")}` },
  ];
}

// Prefix matches first (an exact match before all), then the rest that contain the
// typed text; case-insensitive, alphabetical within each group. A choice that would
// change nothing (the prefix itself, alone) is dropped.
export function rank(items: Item[], prefix: string, limit = 100): Item[] {
  const p = prefix.toLowerCase();
  const score = (i: Item) => {
    const l = i.label.toLowerCase();
    if (l === p) return 0;
    if (l.startsWith(p)) return 1;
    if (p && l.includes(p)) return 2;
    return -1;
  };
  const seen = new Set<string>();
  const scored = items
    .map((item) => ({ item, s: score(item) }))
    .filter(({ item, s }) => s >= 0 && !seen.has(`${item.kind}:${item.label}`) && seen.add(`${item.kind}:${item.label}`))
    .sort((a, b) => a.s - b.s || a.item.label.localeCompare(b.item.label));
  const out = scored.slice(0, limit).map(({ item }) => item);
  return out.length === 1 && out[0].label === prefix && out[0].kind !== "function" && out[0].kind !== "aggregation" ? [] : out;
}

// Label values inside a PromQL string: regex metacharacters escaped for =~ and !~,
// then the quote and backslash escaped for the string.
export function quoteValue(value: string, op: string, quote: string): string {
  const v = op.endsWith("~") ? value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : value;
  if (quote === "`") return v;
  return v.replace(/[\\\n]/g, (c) => (c === "\n" ? "\\n" : "\\\\")).replaceAll(quote, `\\${quote}`);
}

export interface Edit {
  text: string;
  cursor: number;
}

// The text after accepting `item` in context `ctx` of `src`, and where the cursor goes.
export function applyItem(src: string, ctx: Exclude<Context, { kind: "none" }>, item: Item): Edit {
  const head = src.slice(0, ctx.from);
  const tail = src.slice(ctx.to);
  let insert = item.label;
  let cursorAt = insert.length;
  if (ctx.kind === "labelValue") {
    if (ctx.quote === "") {
      insert = `"${quoteValue(item.label, ctx.op, '"')}"`;
      cursorAt = insert.length;
    } else {
      insert = quoteValue(item.label, ctx.op, ctx.quote);
      if (ctx.closed) {
        cursorAt = insert.length + 1; // after the closing quote
      } else {
        insert += ctx.quote;
        cursorAt = insert.length;
      }
    }
  } else if (item.kind === "function" || item.kind === "aggregation") {
    if (tail.startsWith("(")) {
      cursorAt = insert.length + 1;
    } else {
      insert += "(";
      cursorAt = insert.length;
    }
  } else if (item.kind === "keyword") {
    const grouping = GROUPING_KEYWORDS.includes(item.label);
    if (grouping && !/^\s*\(/.test(tail)) insert += " (";
    else if (!/^\s/.test(tail)) insert += " ";
    cursorAt = insert.length;
    if (grouping && /^\s*\(/.test(tail)) {
      const skip = tail.indexOf("(") + 1;
      return { text: head + insert + tail, cursor: head.length + insert.length + skip };
    }
  }
  return { text: head + insert + tail, cursor: head.length + cursorAt };
}
