// Signature help for the Explore editor: which function or aggregation call the
// cursor is inside, and which of its arguments it is on. Pure logic over
// promql_lexer's tokens (promql_call.test.ts).
import { matchBrackets, tokenize } from "./promql_lexer";
import { AGGREGATIONS, type Arg, FUNCTIONS, GROUPING_KEYWORDS } from "./promql_functions";

export interface CallAt {
  name: string;
  arg: number; // 0-based index of the argument under the cursor
}

// The innermost call whose parentheses hold the cursor: `rate(` or `topk(`, and an
// aggregation whose clause comes first (`sum by (job) (`). Null outside any call, in
// a selector's braces, a range's brackets or a by/without label list.
export function callAt(src: string, cursor: number): CallAt | null {
  const toks = tokenize(src).filter((t) => t.kind !== "comment");
  const before = toks.filter((t) => t.end <= cursor || (t.kind === "open" && t.start < cursor));
  const match = matchBrackets(toks);
  const stack: number[] = [];
  before.forEach((t, i) => {
    if (t.kind === "open") stack.push(i);
    else if (t.kind === "close") stack.pop();
  });
  if (!stack.length) return null;
  const open = stack[stack.length - 1];
  if (toks[open].text !== "(") return null;
  let name = toks[open - 1];
  if (name?.kind === "ident" && GROUPING_KEYWORDS.includes(name.text.toLowerCase())) return null; // label list
  if (name?.kind === "close" && name.text === ")" && match[open - 1] >= 0) {
    // `sum by (job) (`: the aggregation sits before its clause.
    const kw = toks[match[open - 1] - 1];
    if (kw?.kind === "ident" && ["by", "without"].includes(kw.text.toLowerCase())) name = toks[match[open - 1] - 2];
  }
  if (name?.kind !== "ident") return null;
  const known = FUNCTIONS.some((f) => f.name === name.text) || AGGREGATIONS.some((a) => a.name === name.text.toLowerCase());
  if (!known) return null;
  let arg = 0;
  let depth = 0;
  for (let i = open + 1; i < before.length; i++) {
    const t = before[i];
    if (t.kind === "open") depth++;
    else if (t.kind === "close") depth--;
    else if (t.kind === "comma" && depth === 0) arg++;
  }
  return { name: FUNCTIONS.some((f) => f.name === name.text) ? name.text : name.text.toLowerCase(), arg };
}

export interface SignatureHelp {
  parts: { text: string; current: boolean }[]; // the arguments, the current one marked
  prefix: string; // "rate("
  suffix: string; // ") → instant-vector"
  doc: string;
}

// The signature of the call at the cursor, for display; null when there is none.
export function signatureHelp(src: string, cursor: number): SignatureHelp | null {
  const call = callAt(src, cursor);
  if (!call) return null;
  const show = (a: Arg) => `${a.optional ? "[" : ""}${a.name} ${a.type}${a.variadic ? ", ..." : ""}${a.optional ? "]" : ""}`;
  const f = FUNCTIONS.find((x) => x.name === call.name);
  let args: Arg[];
  let returns: string;
  let doc: string;
  if (f) {
    args = f.args;
    returns = f.returns;
    doc = f.doc;
  } else {
    const a = AGGREGATIONS.find((x) => x.name === call.name)!;
    args = [...(a.param ? [a.param] : []), { name: "v", type: "instant-vector" }];
    returns = "instant-vector";
    doc = a.doc;
  }
  // A variadic last argument stays current past its position.
  const current = args.length && args[args.length - 1].variadic ? Math.min(call.arg, args.length - 1) : call.arg;
  return {
    prefix: `${call.name}(`,
    parts: args.map((a, i) => ({ text: show(a), current: i === current })),
    suffix: `) → ${returns}`,
    doc,
  };
}
