import { describe, expect, it } from "vitest";
import {
  ALL, initialValue, keepSelection, panelQueries, readVariable, selectionLabel, selectionText, substitute, thresholdsOf,
  toggleValue, type VariableSpec, variableTexts, writeVariables,
} from "./dashboards";
import { stackValues, toChartData } from "./chart";
import { nearestSeries } from "./chart_tooltip";
import { gaugeRange } from "./panels/gauge";
import type { InstantRow } from "./panels/query";
import { sortRows, tableColumns } from "./panels/table";
import { thresholdColor } from "./panels/thresholds";

describe("substitute", () => {
  const texts = new Map([["service", "api"], ["endpoint", ".*"], ["odd", 'a"b\\c']]);
  it("replaces $name and ${name}", () => {
    expect(substitute('rate(x{service=~"$service", endpoint=~"${endpoint}"}[5m])', texts)).toBe(
      'rate(x{service=~"api", endpoint=~".*"}[5m])',
    );
  });
  it("escapes a value for a double-quoted string, so it cannot break the query", () => {
    expect(substitute('x{a=~"$odd"}', texts)).toBe('x{a=~"a\\"b\\\\c"}');
    expect(substitute('x{a="$v"}', new Map([["v", "line1\nline2\ttab\r"]]))).toBe('x{a="line1\\nline2\\ttab\\r"}');
  });
  it("leaves unknown names, longer names and label_replace's $1 alone", () => {
    expect(substitute('label_replace(up, "x", "$1", "y", "(.*)") $services $other', texts)).toBe(
      'label_replace(up, "x", "$1", "y", "(.*)") $services $other',
    );
  });
});

describe("a selection's text in a query", () => {
  const multi: VariableSpec = { name: "service", multi: true };
  it("is .* for All", () => {
    expect(selectionText(multi, [ALL])).toBe(".*");
    expect(selectionText({ name: "s", all: false }, [ALL])).toBe(".*");
  });
  it("joins several values as a regex alternation, each value regex-escaped", () => {
    expect(selectionText(multi, ["api", "web"])).toBe("(api|web)");
    expect(selectionText(multi, ["auth.v2", "a+b", "(x)|[y]", "^$*?{1}\\"])).toBe(
      "(auth\\.v2|a\\+b|\\(x\\)\\|\\[y\\]|\\^\\$\\*\\?\\{1\\}\\\\)",
    );
  });
  it("regex-escapes a single value of a variable offering All (meant for =~)", () => {
    expect(selectionText({ name: "e" }, ["/api/v1.0"])).toBe("/api/v1\\.0");
  });
  it("inserts the value as it is for a single-value variable without All (usable with =)", () => {
    expect(selectionText({ name: "e", all: false }, ["10.0.0.1:9100"])).toBe("10.0.0.1:9100");
  });
  it("survives the string escaping into a valid PromQL regex string", () => {
    const texts = variableTexts([multi], new Map([["service", ["auth.v2", "a\"b"]]]));
    expect(substitute('x{service=~"$service"}', texts)).toBe('x{service=~"(auth\\\\.v2|a\\"b)"}');
  });
});

describe("variables in the URL", () => {
  it("round-trips as var-<name>, one parameter per value", () => {
    const p = new URLSearchParams("from=now-1h&var-service=old");
    writeVariables(p, new Map([["service", ["api", "web"]], ["endpoint", [ALL]]]));
    expect(p.toString()).toBe("from=now-1h&var-service=api&var-service=web&var-endpoint=%24__all");
    const back = new URLSearchParams(p.toString());
    expect(readVariable(back, { name: "service", multi: true })).toEqual(["api", "web"]);
    expect(readVariable(back, { name: "service" })).toEqual(["api"]);
    expect(readVariable(back, { name: "endpoint" })).toEqual([ALL]);
    expect(readVariable(back, { name: "other" })).toBeNull();
    expect(readVariable(new URLSearchParams("var-s=a&var-s=$__all"), { name: "s", multi: true })).toEqual([ALL]);
  });
  it("starts from the URL, else the default, else All, else the first option", () => {
    expect(initialValue({ name: "s" }, ["web"], ["api"])).toEqual(["web"]);
    expect(initialValue({ name: "s", default: "api" }, null, ["api", "web"])).toEqual(["api"]);
    expect(initialValue({ name: "s", multi: true, default: ["api", "web"] }, null, [])).toEqual(["api", "web"]);
    expect(initialValue({ name: "s" }, null, ["api", "web"])).toEqual([ALL]);
    expect(initialValue({ name: "s", all: false }, null, ["api", "web"])).toEqual(["api"]);
  });
});

describe("options reloaded (new range, refresh)", () => {
  const v: VariableSpec = { name: "s", multi: true };
  it("keeps the chosen values still offered", () => {
    expect(keepSelection(v, ["api", "gone", "web"], ["api", "web", "new"])).toEqual(["api", "web"]);
    expect(keepSelection(v, [ALL], ["api"])).toEqual([ALL]);
  });
  it("starts over when none is offered any more", () => {
    expect(keepSelection(v, ["gone"], ["api"])).toEqual([ALL]);
    expect(keepSelection({ name: "s", all: false }, ["gone"], ["api", "web"])).toEqual(["api"]);
    expect(keepSelection({ name: "s", all: false }, [ALL], ["api"])).toEqual(["api"]);
  });
});

describe("ticking a multi-value variable", () => {
  const v: VariableSpec = { name: "s", multi: true };
  const opts = ["api", "web", "worker"];
  it("replaces All by the value, and a value by All", () => {
    expect(toggleValue(v, [ALL], "web", true, opts)).toEqual(["web"]);
    expect(toggleValue(v, ["web", "api"], ALL, true, opts)).toEqual([ALL]);
  });
  it("adds and removes values in the options' order; the last one off starts over", () => {
    expect(toggleValue(v, ["worker"], "api", true, opts)).toEqual(["api", "worker"]);
    expect(toggleValue(v, ["api", "worker"], "api", false, opts)).toEqual(["worker"]);
    expect(toggleValue(v, ["worker"], "worker", false, opts)).toEqual([ALL]);
  });
  it("reads as All or the values joined", () => {
    expect(selectionLabel([ALL])).toBe("All");
    expect(selectionLabel(["api", "web"])).toBe("api + web");
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

describe("tooltip rows", () => {
  it("are every series with a value, highest first, when they fit", () => {
    expect(nearestSeries([1, null, 3, 2], [1, null, 3, 2], 0, 12)).toEqual([2, 3, 0]);
  });
  it("are the series nearest the cursor's value when they do not, highest first", () => {
    const v = [10, 20, 30, 40, 50, 60];
    expect(nearestSeries(v, v, 38, 3)).toEqual([4, 3, 2]);
    expect(nearestSeries(v, v, 0, 2)).toEqual([1, 0]);
  });
  it("measure nearness on the drawn (stacked) value, and skip series without their own value", () => {
    expect(nearestSeries([5, 15, 25], [5, 10, null], 14, 1)).toEqual([1]);
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
