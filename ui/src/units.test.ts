import { describe, expect, it } from "vitest";
import { formatValue, seriesName } from "./units";
import { align, isValidRange, parseDuration, parseTime, readRange, stepFor, writeRange } from "./time";
import { parsePosition } from "./api";

describe("formatValue", () => {
  it.each([
    [0.0421, "seconds", "42.1 ms"],
    [1.5, "seconds", "1.5 s"],
    [0.00002, "seconds", "20 µs"],
    [1536, "bytes", "1.5 KiB"],
    [8 * 1024 ** 3, "bytes", "8 GiB"],
    [42.123, "percent", "42.1%"],
    [0.987, "percentunit", "98.7%"],
    [1234, "req/s", "1.23k req/s"],
    [12, "", "12"],
    [NaN, "", "NaN"],
    [null, "seconds", "–"],
  ] as const)("%s %s -> %s", (v, unit, want) => {
    expect(formatValue(v, unit)).toBe(want);
  });
});

describe("seriesName", () => {
  it("fills templates and falls back to labels", () => {
    expect(seriesName({ service: "api" }, "p95 {{service}}")).toBe("p95 api");
    expect(seriesName({ __name__: "up", job: "x" })).toBe('up{job="x"}');
    expect(seriesName({})).toBe("{}");
  });
});

describe("time ranges", () => {
  const now = 1_700_000_000_000;
  it("parses durations and relative times", () => {
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("5x")).toBeNaN();
    expect(parseTime("now-15m", now)).toBe(now - 900_000);
    expect(parseTime(String(now), now)).toBe(now);
    expect(parseTime("yesterday", now)).toBeNaN();
  });
  it("picks nice steps and aligns", () => {
    expect(stepFor(0, 3600)).toBe(10);
    expect(stepFor(0, 7 * 86400)).toBe(1800);
    expect(align(1001, 2009, 10)).toEqual({ start: 1000, end: 2000 });
  });
  it("round-trips through the URL and rejects bad ranges", () => {
    const p = new URLSearchParams();
    writeRange(p, { from: "now-6h", to: "now" });
    expect(readRange(new URLSearchParams(p.toString()), { from: "now-1h", to: "now" })).toEqual({ from: "now-6h", to: "now" });
    expect(isValidRange({ from: "now", to: "now-1h" })).toBe(false);
    expect(readRange(new URLSearchParams("from=bad&to=now"), { from: "now-1h", to: "now" }).from).toBe("now-1h");
  });
});

describe("parsePosition", () => {
  it("finds line and column in the server's message", () => {
    expect(parsePosition('invalid parameter "query": 1:17: parse error: unclosed left parenthesis')).toEqual({ line: 1, column: 17 });
    expect(parsePosition("something else")).toBeUndefined();
  });
});
