import { describe, expect, it } from "vitest";
import { callAt, signatureHelp } from "./promql_call";

// The cursor is where `|` is written.
const at = (s: string) => callAt(s.replace("|", ""), s.indexOf("|"));

describe("callAt", () => {
  it("finds the call and the argument under the cursor", () => {
    expect(at("rate(|")).toEqual({ name: "rate", arg: 0 });
    expect(at("histogram_quantile(0.95, |")).toEqual({ name: "histogram_quantile", arg: 1 });
    expect(at("histogram_quantile(0.9|5, x)")).toEqual({ name: "histogram_quantile", arg: 0 });
    expect(at("clamp(up, 0, |1)")).toEqual({ name: "clamp", arg: 2 });
  });
  it("counts only the call's own commas, not nested calls' or selectors'", () => {
    expect(at('label_replace(clamp_max(a, 1), "dst", |')).toEqual({ name: "label_replace", arg: 2 });
    expect(at('count_values("v", up{a="1", b=~"x,y"}|)')).toEqual({ name: "count_values", arg: 1 });
  });
  it("takes the innermost call", () => {
    expect(at("sum(rate(x[5m]|))")).toEqual({ name: "rate", arg: 0 });
    expect(at("sum(rate(x[5m])|)")).toEqual({ name: "sum", arg: 0 });
    expect(at('label_replace(up{a="1", b="2"}, |')).toEqual({ name: "label_replace", arg: 1 });
  });
  it("knows aggregations, with the clause before or after, and their parameter", () => {
    expect(at("topk(5, |")).toEqual({ name: "topk", arg: 1 });
    expect(at("sum by (job) (|")).toEqual({ name: "sum", arg: 0 });
    expect(at("SUM(|")).toEqual({ name: "sum", arg: 0 });
  });
  it("is null in braces, brackets, label lists, plain parentheses and unknown names", () => {
    expect(at("rate(x{job=|")).toBeNull();
    expect(at("rate(x[5|")).toBeNull();
    expect(at("sum by (|")).toBeNull();
    expect(at("(1 + |")).toBeNull();
    expect(at("nosuch(|")).toBeNull();
    expect(at("rate(x[5m])|")).toBeNull();
  });
});

describe("signatureHelp", () => {
  it("marks the current argument", () => {
    const help = signatureHelp("histogram_quantile(0.95, ", 25)!;
    expect(help.prefix).toBe("histogram_quantile(");
    expect(help.parts.map((p) => [p.text, p.current])).toEqual([
      ["φ scalar", false],
      ["b instant-vector", true],
    ]);
    expect(help.suffix).toBe(") → instant-vector");
  });
  it("puts an aggregation's parameter first", () => {
    const help = signatureHelp("topk(", 5)!;
    expect(help.parts.map((p) => p.text)).toEqual(["k scalar", "v instant-vector"]);
    expect(help.parts[0].current).toBe(true);
  });
  it("keeps a variadic last argument current", () => {
    const src = 'label_join(up, "dst", ",", "a", "b", ';
    const help = signatureHelp(src, src.length)!;
    expect(help.parts[help.parts.length - 1].current).toBe(true);
  });
});
