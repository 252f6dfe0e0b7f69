import { describe, expect, it } from "vitest";
import { ALL, initialValue, panelQueries, readVariable, substitute, thresholdsOf, writeVariables } from "./dashboards";
import { stackValues, toChartData } from "./chart";
import { gaugeRange } from "./panels/gauge";
import type { InstantRow } from "./panels/query";
import { sortRows, tableColumns } from "./panels/table";
import { thresholdColor } from "./panels/thresholds";

describe("substitute", () => {
  const values = new Map([["service", "api"], ["endpoint", ALL], ["odd", 'a"b\\c']]);
  it("replaces $name and ${name}, All as .*", () => {
    expect(substitute('rate(x{service=~"$service", endpoint=~"${endpoint}"}[5m])', values)).toBe(
      'rate(x{service=~"api", endpoint=~".*"}[5m])',
    );
  });
  it("escapes a value for a double-quoted string, so it cannot break the query", () => {
    expect(substitute('x{a=~"$odd"}', values)).toBe('x{a=~"a\\"b\\\\c"}');
  });
  it("leaves unknown names, longer names and label_replace's $1 alone", () => {
    expect(substitute('label_replace(up, "x", "$1", "y", "(.*)") $services $other', values)).toBe(
      'label_replace(up, "x", "$1", "y", "(.*)") $services $other',
    );
  });
});

describe("variables in the URL", () => {
  it("round-trips as var-<name>", () => {
    const p = new URLSearchParams("from=now-1h");
    writeVariables(p, new Map([["service", "web"], ["endpoint", ALL]]));
    expect(p.toString()).toBe("from=now-1h&var-service=web&var-endpoint=%24__all");
    const back = new URLSearchParams(p.toString());
    expect(readVariable(back, { name: "service" })).toBe("web");
    expect(readVariable(back, { name: "endpoint" })).toBe(ALL);
    expect(readVariable(back, { name: "other" })).toBeNull();
  });
  it("starts from the URL, else the default, else All, else the first option", () => {
    expect(initialValue({ name: "s" }, "web", ["api"])).toBe("web");
    expect(initialValue({ name: "s", default: "api" }, null, ["api", "web"])).toBe("api");
    expect(initialValue({ name: "s" }, null, ["api", "web"])).toBe(ALL);
    expect(initialValue({ name: "s", all: false }, null, ["api", "web"])).toBe("api");
  });
});

describe("panel fields", () => {
  it("reads query with legend, or queries", () => {
    expect(panelQueries({ title: "a", query: "up", legend: "{{job}}" })).toEqual([{ expr: "up", legend: "{{job}}" }]);
    expect(panelQueries({ title: "a", queries: [{ expr: "x" }, { expr: "y" }] }).map((q) => q.expr)).toEqual(["x", "y"]);
  });
  it("accepts thresholds as numbers or {value, color}", () => {
    expect(thresholdsOf({ title: "a", thresholds: [80, { value: 90, color: "#f00" }, { value: 95 }] })).toEqual([
      { value: 80, color: "#d97706" }, { value: 90, color: "#f00" }, { value: 95, color: "#d97706" },
    ]);
  });
  it("colours a value by the highest threshold it reaches", () => {
    const t = [{ value: 0.995, color: "amber" }, { value: 0.999, color: "green" }];
    expect(thresholdColor(0.98, t)).toBeNull();
    expect(thresholdColor(0.996, t)).toBe("amber");
    expect(thresholdColor(1, t)).toBe("green");
    expect(thresholdColor(null, t)).toBeNull();
  });
});

describe("chart data", () => {
  it("lays samples on the step grid; NaN and Inf become gaps (they would blank the chart)", () => {
    const d = toChartData([{ series: [{ metric: { a: "1" }, values: [[10, "1"], [20, "NaN"], [30, "+Inf"], [40, "2"]] }], legend: "{{a}}" }], 10, 50, 10);
    expect(d.x).toEqual([10, 20, 30, 40, 50]);
    expect(d.series).toEqual([{ name: "1", values: [1, null, null, 2, null] }]);
  });
});

describe("stacking", () => {
  it("sums series point by point; a gap under nothing stays a gap", () => {
    expect(stackValues([[1, null, 3], [10, 20, null], [null, null, null]])).toEqual([
      [1, null, 3], [11, 20, 3], [11, 20, 3],
    ]);
  });
});

describe("gauge scale", () => {
  it("uses min/max, else the unit's range, else room above values and thresholds", () => {
    expect(gaugeRange({ title: "g", min: 0.9, max: 1 }, [0.98])).toEqual([0.9, 1]);
    expect(gaugeRange({ title: "g", unit: "percent" }, [42])).toEqual([0, 100]);
    expect(gaugeRange({ title: "g", unit: "percentunit" }, [0.4])).toEqual([0, 1]);
    expect(gaugeRange({ title: "g", thresholds: [500] }, [120])).toEqual([0, 600]);
  });
});

describe("table", () => {
  const rows: InstantRow[] = [
    { metric: { __name__: "x", endpoint: "/b", service: "api" }, value: 0.2 },
    { metric: { endpoint: "/a", service: "web" }, value: 0.9 },
    { metric: { endpoint: "/c", region: "eu" }, value: NaN },
  ];
  it("has a column per label in first-seen order, without __name__, then the value", () => {
    expect(tableColumns(rows)).toEqual(["endpoint", "service", "region", "Value"]);
  });
  it("sorts by value (NaN last when descending) or by a label", () => {
    expect(sortRows(rows, "Value", true).map((r) => r.metric.endpoint)).toEqual(["/a", "/b", "/c"]);
    expect(sortRows(rows, "endpoint", false).map((r) => r.metric.endpoint)).toEqual(["/a", "/b", "/c"]);
    expect(sortRows(rows, "endpoint", true).map((r) => r.metric.endpoint)).toEqual(["/c", "/b", "/a"]);
  });
});
