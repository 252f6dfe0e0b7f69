// What the editor can complete at the cursor of a (possibly half-typed) PromQL
// expression: pure logic over promql_lexer's tokens, unit-tested in
// promql_context.test.ts.
import { isIdentChar, matchBrackets, stringContent, type Token, tokenize } from "./promql_lexer";
import { GROUPING_KEYWORDS, isAggregation, isFunction, isKeyword } from "./promql_functions";

// `from`..`to` is the text a chosen completion replaces; `prefix` is the part of it
// before the cursor, which filters the choices.
interface Span {
  from: number;
  to: number;
  prefix: string;
}

export type Context =
  | { kind: "none" }
  // Where an expression starts: metric names, functions, aggregations.
  | ({ kind: "expression" } & Span)
  // After a complete expression: binary operators and modifiers; after an
  // aggregation's name: by/without.
  | ({ kind: "keyword"; keywords: string[] } & Span)
  // A label name inside a selector's braces (`metric{lab|`). `filters` are the
  // selector's other complete = and != matchers (`job="api"`), which narrow the
  // choices; regex matchers are left out, as a half-typed regex would be rejected.
  | ({ kind: "labelName"; metric?: string; used: string[]; filters: string[] } & Span)
  // A label name inside by/without/on/ignoring/group_left/group_right (...); `metrics`
  // are the selectors' metric names that the clause applies to.
  | ({ kind: "groupingLabel"; metrics: string[]; used: string[] } & Span)
  // A label value after `label=`, `!=`, `=~` or `!~`. `quote` is the opening quote
  // when the cursor is inside the string ("" when the value is not quoted yet);
  // `closed` tells whether the closing quote is already there (then `to` stops before it).
  | ({ kind: "labelValue"; label: string; op: string; metric?: string; filters: string[]; quote: string; closed: boolean } & Span)
  // A duration inside `[...]` or after `offset`.
  | ({ kind: "duration" } & Span)
  // After `@`: start(), end() or a Unix time.
  | ({ kind: "atModifier" } & Span);

const MATCH_OPS = ["=", "!=", "=~", "!~"];

function endsExpression(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.kind === "number" || (t.kind === "string" && t.closed)) return true;
  if (t.kind === "close") return true;
  return t.kind === "ident" && !isKeyword(t.text) && !isAggregation(t.text) && !isFunction(t.text);
}

// Metric names of the selectors in toks[from, to): identifiers used as a selector's
// name, not functions, keywords, label names or grouping labels.
export function metricNames(toks: Token[], from = 0, to = toks.length): string[] {
  const match = matchBrackets(toks);
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const t = toks[i];
    if (t.kind === "open" && (t.text === "{" || isGroupingParen(toks, i)) && match[i] > i) {
      i = match[i]; // label names live there
      continue;
    }
    if (t.kind !== "ident" || isKeyword(t.text)) continue;
    const next = toks[i + 1];
    if (next?.kind === "open" && next.text === "(") continue; // a call
    if (isAggregation(t.text) && next?.kind === "ident" && ["by", "without"].includes(next.text.toLowerCase())) continue;
    if (!out.includes(t.text)) out.push(t.text);
  }
  return out;
}

function isGroupingParen(toks: Token[], i: number): boolean {
  const kw = toks[i - 1];
  return toks[i].text === "(" && kw?.kind === "ident" && GROUPING_KEYWORDS.includes(kw.text.toLowerCase());
}

// For the `(` of by/without at index `paren`: the metrics of the aggregation's
// argument, written after the clause (`sum by (x) (...)`) or before it (`sum(...) by (x)`).
function aggregatedMetrics(toks: Token[], paren: number, match: number[]): string[] {
  const close = match[paren];
  const body = close > 0 ? toks[close + 1] : undefined;
  if (toks[paren - 2]?.kind === "ident" && body?.text === "(" && match[close + 1] > 0) {
    return metricNames(toks, close + 2, match[close + 1]);
  }
  const before = toks[paren - 2];
  if (before?.text === ")" && match[paren - 2] >= 0) return metricNames(toks, match[paren - 2] + 1, paren - 2);
  return [];
}

export function completionContext(src: string, cursor: number): Context {
  const toks = tokenize(src).filter((t) => t.kind !== "comment" || (t.start < cursor && cursor <= t.end));
  const at = toks.find((t) => t.start < cursor && cursor <= t.end);
  if (at?.kind === "comment") return { kind: "none" };

  // The word under the cursor (an identifier or number the completion replaces).
  let from = cursor;
  let to = cursor;
  if (at && (at.kind === "ident" || at.kind === "number")) {
    from = at.start;
    to = at.end;
  } else if (isIdentChar(src[cursor] ?? "")) {
    // Cursor right before a word: completing replaces it.
    const next = toks.find((t) => t.start === cursor);
    if (next && (next.kind === "ident" || next.kind === "number")) to = next.end;
  }
  const prefix = src.slice(from, cursor);
  const inString = at?.kind === "string" && (cursor < at.end || !at.closed);
  const before = toks.filter((t) => t.end <= (inString ? at!.start : from));
  const all = toks;
  const match = matchBrackets(all);

  // The innermost bracket still open at the cursor.
  const stack: number[] = [];
  before.forEach((t, i) => {
    if (t.kind === "open") stack.push(i);
    else if (t.kind === "close") stack.pop();
  });
  const openIdx = stack.length ? stack[stack.length - 1] : -1;
  const open = openIdx >= 0 ? before[openIdx] : undefined;
  const prev = before[before.length - 1];
  const prev2 = before[before.length - 2];

  const selectorMetric = (): string | undefined => {
    const name = before[openIdx - 1];
    return name?.kind === "ident" && !isKeyword(name.text) && name.end === open!.start ? name.text : undefined;
  };
  // The selector's complete `name="value"` and `name!="value"` matchers, but the
  // one at the cursor.
  const filters = (): string[] => {
    const out: string[] = [];
    for (let i = openIdx + 1; i + 2 < all.length && all[i].kind !== "close"; i++) {
      const [name, op, value] = [all[i], all[i + 1], all[i + 2]];
      if (name.kind !== "ident" || !["=", "!="].includes(op.text) || value.kind !== "string" || !value.closed) continue;
      if (value === at || name.start === from || name === prev2) continue;
      out.push(`${name.text}${op.text}${value.text}`);
    }
    return out;
  };
  const usedInBraces = (): string[] => {
    const out: string[] = [];
    for (let i = openIdx + 1; i < all.length && all[i].kind !== "close"; i++) {
      if (all[i].kind === "ident" && MATCH_OPS.includes(all[i + 1]?.text ?? "") && all[i].start !== from) out.push(all[i].text);
    }
    return out;
  };

  if (inString) {
    if (open?.text === "{" && prev?.kind === "op" && MATCH_OPS.includes(prev.text) && prev2?.kind === "ident") {
      return {
        kind: "labelValue", label: prev2.text, op: prev.text, metric: selectorMetric(), filters: filters(), quote: at!.text[0], closed: !!at!.closed,
        from: at!.start + 1, to: at!.closed ? at!.end - 1 : cursor, prefix: stringContent(at!, cursor),
      };
    }
    return { kind: "none" };
  }
  const word = at && (at.kind === "ident" || at.kind === "number") ? at : undefined;
  const span = { from, to, prefix };

  if (open?.text === "{") {
    if (word?.kind === "number") return { kind: "none" };
    if (!prev || prev === open || prev.kind === "comma") {
      return { kind: "labelName", metric: selectorMetric(), used: usedInBraces(), filters: filters(), ...span };
    }
    if (prev.kind === "op" && MATCH_OPS.includes(prev.text) && prev2?.kind === "ident") {
      return { kind: "labelValue", label: prev2.text, op: prev.text, metric: selectorMetric(), filters: filters(), quote: "", closed: false, ...span };
    }
    return { kind: "none" };
  }
  if (open?.text === "[") return { kind: "duration", ...span };
  if (open && isGroupingParen(before, openIdx)) {
    if (word?.kind === "number" || !(prev === open || prev?.kind === "comma")) return { kind: "none" };
    const kw = before[openIdx - 1].text.toLowerCase();
    // The same index in `all`: `before` is a prefix of it.
    const metrics = kw === "by" || kw === "without" ? aggregatedMetrics(all, openIdx, match) : metricNames(all);
    const used: string[] = [];
    for (let i = openIdx + 1; i < all.length && all[i].kind !== "close"; i++) {
      if (all[i].kind === "ident" && all[i].start !== from) used.push(all[i].text);
    }
    return { kind: "groupingLabel", metrics, used, ...span };
  }

  // Expression position: inside parentheses of a call or a group, or at top level.
  if (prev?.kind === "op" && prev.text === "@") return { kind: "atModifier", ...span };
  if (word?.kind === "number") return { kind: "none" };
  if (prev?.kind === "ident" && prev.text.toLowerCase() === "offset") return { kind: "duration", ...span };
  if (prev?.kind === "ident" && isAggregation(prev.text) && prev.end < from) {
    return { kind: "keyword", keywords: ["by", "without"], ...span };
  }
  if (endsExpression(prev)) {
    return { kind: "keyword", keywords: ["and", "or", "unless", "atan2", "offset", "bool", "on", "ignoring", "group_left", "group_right", "by", "without"], ...span };
  }
  return { kind: "expression", ...span };
}
