import { describe, expect, it } from "vitest";
import { completionContext, metricNames } from "./promql_context";
import { indexOfByteColumn, stringContent, tokenize } from "./promql_lexer";

// "‸" marks the cursor.
function at(textWithCursor: string) {
  const cursor = textWithCursor.indexOf("‸");
  if (cursor < 0) throw new Error("no cursor in test text");
  return completionContext(textWithCursor.replace("‸", ""), cursor);
}

describe("tokenize", () => {
  it("keeps strings with escaped quotes whole", () => {
    const toks = tokenize('up{path="a\\"b}c", x=\'it\\\'s\'}');
    expect(toks.map((t) => t.kind)).toEqual(["ident", "open", "ident", "op", "string", "comma", "ident", "op", "string", "close"]);
    expect(stringContent(toks[4])).toBe('a"b}c');
    expect(stringContent(toks[8])).toBe("it's");
  });

  it("runs an unclosed string to the end and says so", () => {
    const [, , , , s] = tokenize('up{job="ap');
    expect(s).toMatchObject({ kind: "string", closed: false, text: '"ap' });
    expect(stringContent(s)).toBe("ap");
  });

  it("reads durations, metric names with colons, comments and raw strings", () => {
    const toks = tokenize("job:rate5m:sum[1h30m:5m] # note\n`a\\d`");
    expect(toks.map((t) => `${t.kind}:${t.text}`)).toEqual([
      "ident:job:rate5m:sum", "open:[", "number:1h30m", "op::", "number:5m", "close:]", "comment:# note", "string:`a\\d`",
    ]);
    expect(stringContent(toks[7])).toBe("a\\d");
  });
});

describe("indexOfByteColumn", () => {
  it("turns the parser's byte columns into string indexes", () => {
    expect(indexOfByteColumn('up{x="b"}', 4)).toBe(3);
    // φ is two bytes: column 15 is the `x` after three of them.
    const line = 'up{a="φφφ" x="b"}';
    expect(line[indexOfByteColumn(line, 15)]).toBe("x");
    expect(indexOfByteColumn("a😀b", 6)).toBe(3); // after a 4-byte character (2 code units)
    expect(indexOfByteColumn("ab", 10)).toBe(2); // past the end: the end
  });
});

describe("completionContext", () => {
  it("offers expressions where one starts", () => {
    expect(at("http_req‸")).toEqual({ kind: "expression", from: 0, to: 8, prefix: "http_req" });
    expect(at("‸")).toMatchObject({ kind: "expression", prefix: "" });
    expect(at("sum(rat‸")).toEqual({ kind: "expression", from: 4, to: 7, prefix: "rat" });
    expect(at("rate(‸")).toMatchObject({ kind: "expression", prefix: "" });
    expect(at("a + b‸")).toMatchObject({ kind: "expression", prefix: "b" });
    expect(at("histogram_quantile(0.9, ‸")).toMatchObject({ kind: "expression", prefix: "" });
  });

  it("replaces the whole word when the cursor is in its middle", () => {
    expect(at("sum(ra‸te(x[5m]))")).toEqual({ kind: "expression", from: 4, to: 8, prefix: "ra" });
    expect(at("‸up")).toEqual({ kind: "expression", from: 0, to: 2, prefix: "" });
  });

  it("offers label names inside a selector's braces, for its metric", () => {
    expect(at("http_requests_total{‸")).toEqual({ kind: "labelName", metric: "http_requests_total", used: [], filters: [], from: 20, to: 20, prefix: "" });
    expect(at('up{job="a", inst‸')).toMatchObject({ kind: "labelName", metric: "up", used: ["job"], prefix: "inst" });
    expect(at("{‸")).toMatchObject({ kind: "labelName", metric: undefined });
    // In the middle of a selector, the labels after the cursor count as used too.
    expect(at('up{‸, job="a"}')).toMatchObject({ kind: "labelName", used: ["job"] });
    expect(at('up{ser‸vice="a"}')).toMatchObject({ kind: "labelName", from: 3, to: 10, prefix: "ser" });
  });

  it("offers label values after a matcher operator, unescaping what was typed", () => {
    expect(at('http_requests_total{service="a‸')).toEqual({
      kind: "labelValue", label: "service", op: "=", metric: "http_requests_total", filters: [], quote: '"', closed: false, from: 29, to: 30, prefix: "a",
    });
    expect(at('up{path=~"/a\\"b‸"}')).toMatchObject({ kind: "labelValue", op: "=~", prefix: '/a"b', closed: true });
    expect(at("up{job!='‸'}")).toMatchObject({ kind: "labelValue", op: "!=", quote: "'", closed: true, prefix: "" });
    // Not quoted yet: the completion adds the quotes.
    expect(at("up{job=‸")).toMatchObject({ kind: "labelValue", label: "job", quote: "", prefix: "" });
    expect(at("up{job!~ap‸")).toMatchObject({ kind: "labelValue", op: "!~", quote: "", prefix: "ap" });
    // The cursor in the middle of a closed value: the whole value is replaced.
    const ctx = at('up{job="ap‸i", x="y"}');
    expect(ctx).toMatchObject({ kind: "labelValue", label: "job", prefix: "ap", from: 8, to: 11 });
  });

  it("passes the selector's other = and != matchers on, to narrow the choices", () => {
    expect(at('up{job="api", instance!=\'x\', path=~"/a.*", env="prod", ‸')).toMatchObject({
      kind: "labelName", filters: ['job="api"', "instance!='x'", 'env="prod"'],
    });
    // Not the matcher being edited, nor an unfinished one.
    expect(at('up{job="api", instance="‸", env="pr')).toMatchObject({ kind: "labelValue", label: "instance", filters: ['job="api"'] });
    expect(at('up{job="ap‸i", env="prod"}')).toMatchObject({ kind: "labelValue", label: "job", filters: ['env="prod"'] });
    expect(at('up{job=‸, env="prod"}')).toMatchObject({ kind: "labelValue", label: "job", filters: ['env="prod"'] });
  });

  it("finds the right selector inside nested parentheses", () => {
    expect(at('sum(rate(foo{a="1"}[5m])) / sum(rate(bar{‸')).toMatchObject({ kind: "labelName", metric: "bar" });
    expect(at('max(label_replace(up{job="‸", "a", "b", "c", "d"))')).toMatchObject({ kind: "labelValue", metric: "up", label: "job" });
  });

  it("offers nothing inside other strings, comments and numbers", () => {
    expect(at('label_replace(up, "dst‸')).toEqual({ kind: "none" });
    expect(at('count_values("va‸lue", up)')).toEqual({ kind: "none" });
    expect(at("up # a comm‸ent")).toEqual({ kind: "none" });
    expect(at("topk(1‸")).toEqual({ kind: "none" });
    expect(at('up{job="a"‸}')).toEqual({ kind: "none" });
    // After a string that holds braces and quotes, the selector is still found.
    expect(at('up{path="}{\\"", ‸')).toMatchObject({ kind: "labelName", used: ["path"] });
  });

  it("offers durations inside brackets and after offset", () => {
    expect(at("rate(up[‸")).toEqual({ kind: "duration", from: 8, to: 8, prefix: "" });
    expect(at("rate(up[5‸]")).toEqual({ kind: "duration", from: 8, to: 9, prefix: "5" });
    expect(at("max_over_time(rate(up[5m])[1h:‸")).toMatchObject({ kind: "duration", prefix: "" });
    expect(at("up offset ‸")).toMatchObject({ kind: "duration" });
  });

  it("offers the @ modifier's choices after @, in a call and over a typed prefix", () => {
    expect(at("up @ ‸")).toEqual({ kind: "atModifier", from: 5, to: 5, prefix: "" });
    expect(at("up @ st‸")).toEqual({ kind: "atModifier", from: 5, to: 7, prefix: "st" });
    expect(at("rate(up[5m] @ ‸)")).toMatchObject({ kind: "atModifier", prefix: "" });
    expect(at("up @ 17‸")).toMatchObject({ kind: "atModifier", prefix: "17" });
    // Not in a matcher's value, nor after the modifier is complete.
    expect(at('up{x="@ ‸"}').kind).toBe("labelValue");
    expect(at("up @ start() ‸").kind).toBe("keyword");
  });

  it("offers label names in by/without/on clauses, for the aggregated metrics", () => {
    expect(at("sum by (‸) (rate(http_requests_total[5m]))")).toMatchObject({
      kind: "groupingLabel", metrics: ["http_requests_total"], used: [], prefix: "",
    });
    expect(at("sum(rate(a[5m])) without (job, ‸)")).toMatchObject({ kind: "groupingLabel", metrics: ["a"], used: ["job"] });
    expect(at("sum by (serv‸")).toMatchObject({ kind: "groupingLabel", prefix: "serv", metrics: [] });
    // Only the aggregation's own argument counts, not the other side of a division.
    expect(at("sum by (‸) (rate(a[5m])) / sum(b)")).toMatchObject({ metrics: ["a"] });
    expect(at("a / on(‸) b")).toMatchObject({ kind: "groupingLabel", metrics: ["a", "b"] });
    expect(at("a * on(x) group_left(‸) b")).toMatchObject({ kind: "groupingLabel", used: [] });
    expect(at("sum BY (‸) (x)")).toMatchObject({ kind: "groupingLabel", metrics: ["x"] });
  });

  it("offers keywords after an expression and after an aggregation's name", () => {
    expect(at("sum b‸")).toMatchObject({ kind: "keyword", keywords: ["by", "without"], prefix: "b" });
    const afterExpr = at("rate(a[5m]) un‸");
    expect(afterExpr).toMatchObject({ kind: "keyword", prefix: "un" });
    expect(afterExpr.kind === "keyword" && afterExpr.keywords).toContain("unless");
    expect(at('up{job="a"} o‸')).toMatchObject({ kind: "keyword", prefix: "o" });
  });
});

describe("metricNames", () => {
  it("lists selectors' names, not functions, keywords or labels", () => {
    const toks = tokenize('sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) / on(job) group_left sum(up offset 1h) and bool x');
    expect(metricNames(toks)).toEqual(["http_requests_total", "up", "x"]);
  });
});
