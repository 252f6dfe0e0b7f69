import { describe, expect, it } from "vitest";
import { applyItem, atModifierItems, durationItems, functionItems, type Item, labelItems, metricItems, quoteValue, rank } from "./completion_items";
import { completionContext } from "./promql_context";
import { AGGREGATIONS, exampleCall, FUNCTIONS, signature } from "./promql_functions";

// Accepts `label` (of `kind`) at the cursor "‸" and returns the text with the new cursor.
function accept(textWithCursor: string, label: string, kind: Item["kind"]): string {
  const cursor = textWithCursor.indexOf("‸");
  const src = textWithCursor.replace("‸", "");
  const ctx = completionContext(src, cursor);
  if (ctx.kind === "none") throw new Error(`no completion at ${textWithCursor}`);
  const { text, cursor: c } = applyItem(src, ctx, { label, kind });
  return `${text.slice(0, c)}‸${text.slice(c)}`;
}

describe("applyItem", () => {
  it("inserts a metric name over the typed prefix", () => {
    expect(accept("sum(rate(http_req‸", "http_requests_total", "metric")).toBe("sum(rate(http_requests_total‸");
    expect(accept("ra‸te(x)", "rate", "function")).toBe("rate(‸x)");
  });

  it("opens a function's parentheses", () => {
    expect(accept("histogram_q‸", "histogram_quantile", "function")).toBe("histogram_quantile(‸");
    expect(accept("su‸", "sum", "aggregation")).toBe("sum(‸");
  });

  it("quotes and escapes label values, closing the string", () => {
    expect(accept('up{service="a‸', "api", "value")).toBe('up{service="api"‸');
    expect(accept('up{service="a‸"}', "api", "value")).toBe('up{service="api"‸}');
    expect(accept("up{service=‸", 'say "hi"\\', "value")).toBe('up{service="say \\"hi\\"\\\\"‸');
    expect(accept("up{service='‸", "it's", "value")).toBe("up{service='it\\'s'‸");
    // Regex matchers get the value's metacharacters escaped.
    expect(accept('up{instance=~"‸', "api-1.example:3000", "value")).toBe('up{instance=~"api-1\\\\.example:3000"‸');
    // The cursor inside an existing value replaces all of it.
    expect(accept('up{job="ap‸i-old", x="y"}', "web", "value")).toBe('up{job="web"‸, x="y"}');
  });

  it("inserts label names and durations", () => {
    expect(accept("up{ser‸", "service", "label")).toBe("up{service‸");
    expect(accept("sum by (ser‸) (up)", "service", "label")).toBe("sum by (service‸) (up)");
    expect(accept("rate(up[5‸])", "5m", "duration")).toBe("rate(up[5m‸])");
  });

  it("inserts the @ modifier's start() and a time", () => {
    expect(accept("up @ s‸", "start()", "modifier")).toBe("up @ start()‸");
    expect(accept("rate(up[5m] @ ‸)", "1700000000", "modifier")).toBe("rate(up[5m] @ 1700000000‸)");
  });

  it("adds a space or an opening parenthesis after keywords", () => {
    expect(accept("sum b‸", "by", "keyword")).toBe("sum by (‸");
    expect(accept("sum b‸ (x)", "by", "keyword")).toBe("sum by (‸x)");
    expect(accept("a un‸", "unless", "keyword")).toBe("a unless ‸");
  });
});

describe("rank", () => {
  const items = (...labels: string[]): Item[] => labels.map((label) => ({ label, kind: "metric" }));

  it("puts prefix matches before substring matches, case-insensitively", () => {
    expect(rank(items("node_http_total", "http_requests_total", "up", "HTTP_x"), "http").map((i) => i.label))
      .toEqual(["http_requests_total", "HTTP_x", "node_http_total"]);
  });

  it("drops a lone choice equal to what is typed, and duplicates", () => {
    expect(rank(items("up", "upx"), "up").map((i) => i.label)).toEqual(["up", "upx"]);
    expect(rank(items("up"), "up")).toEqual([]);
    expect(rank(items("a", "a", "b"), "")).toHaveLength(2);
  });

  it("caps the list", () => {
    expect(rank(items(...Array.from({ length: 500 }, (_, i) => `m${i}`)), "m", 100)).toHaveLength(100);
  });
});

describe("choices", () => {
  it("shows a metric's type and help from metadata", () => {
    const [m, n] = metricItems(["a_total", "b"], { a_total: [{ type: "counter", help: "Requests." }] });
    expect(m).toEqual({ label: "a_total", kind: "metric", detail: "counter", doc: "Requests." });
    expect(n).toEqual({ label: "b", kind: "metric" });
  });

  it("leaves out labels already used", () => {
    expect(labelItems(["job", "instance"], ["job"]).map((i) => i.label)).toEqual(["instance"]);
  });

  it("offers start(), end() and now (as a Unix time, with its date) after @", () => {
    const items = atModifierItems(1_700_000_000_999);
    expect(items.map((i) => i.label)).toEqual(["start()", "end()", "1700000000"]);
    expect(items[2].detail).toBe("now: 2023-11-14T22:13:20Z");
    expect(rank(items, "e").map((i) => i.label)).toEqual(["end()"]);
  });

  it("offers units after a typed number, common durations otherwise", () => {
    expect(durationItems("15").map((i) => i.label)).toEqual(["15s", "15m", "15h", "15d", "15w"]);
    expect(durationItems("").map((i) => i.label)).toContain("5m");
  });

  it("gives every function and aggregation a signature", () => {
    const byName = new Map(functionItems().map((i) => [i.label, i]));
    expect(byName.get("rate")?.detail).toBe("rate(v range-vector) → instant-vector");
    expect(byName.get("histogram_quantile")?.detail).toBe("histogram_quantile(φ scalar, b instant-vector) → instant-vector");
    expect(byName.get("round")?.detail).toBe("round(v instant-vector, [to_nearest=1 scalar]) → instant-vector");
    expect(byName.get("label_join")?.detail).toContain("src_label string, ...");
    expect(byName.get("topk")?.detail).toBe("topk [by|without (labels)] (k scalar, v instant-vector) → instant-vector");
    expect(byName.get("time")?.detail).toBe("time() → scalar");
  });
});

describe("the function list", () => {
  it("has unique, sorted names and a description for each", () => {
    const names = FUNCTIONS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(names);
    for (const f of FUNCTIONS) expect(f.doc, f.name).not.toBe("");
    expect(AGGREGATIONS.map((a) => a.name)).toContain("count_values");
  });

  it("builds calls that fit each signature", () => {
    const fn = (n: string) => FUNCTIONS.find((f) => f.name === n)!;
    expect(exampleCall(fn("clamp"))).toBe("clamp(up, 1, 1)");
    expect(exampleCall(fn("quantile_over_time"))).toBe("quantile_over_time(1, up[5m])");
    expect(exampleCall(fn("year"))).toBe("year()");
    expect(signature(fn("year"))).toBe("year([v=vector(time()) instant-vector]) → instant-vector");
  });
});

describe("quoteValue", () => {
  it("escapes for the string and, for regex operators, the regex", () => {
    expect(quoteValue("a.b", "=", '"')).toBe("a.b");
    expect(quoteValue("a.b", "!~", '"')).toBe("a\\\\.b");
    expect(quoteValue("a`b", "=", "`")).toBe("a`b");
    expect(quoteValue("line\nnext", "=", '"')).toBe("line\\nnext");
  });
});
