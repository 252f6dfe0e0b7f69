import { describe, expect, it } from "vitest";
import { tickLabels, yRange } from "./slo_chart";
import { burnRate, dataSources, inTime, isMonth, objectivePct, pct, shiftMonth } from "./slo_format";

describe("SLO figures", () => {
  it("writes percentages as the report does", () => {
    expect(pct(1 - 345.6 / 835_200, 3)).toBe("99.959%");
    expect(pct(345.6 / 835.2, 1)).toBe("41.4%");
    expect(pct(-19, 1)).toBe("-1900.0%");
    expect(pct(null, 3)).toBe("–");
    expect(pct(NaN, 3)).toBe("–");
    expect(objectivePct(0.999)).toBe("99.9%");
    expect(objectivePct(0.95)).toBe("95%");
    expect(objectivePct(0.9995)).toBe("99.95%");
  });

  it("writes burn rates and projections", () => {
    expect(burnRate(0.5)).toBe("0.50×");
    expect(burnRate(14.4)).toBe("14.4×");
    expect(burnRate(144)).toBe("144×");
    expect(burnRate(null)).toBe("–");
    const now = Date.UTC(2024, 1, 1);
    expect(inTime(new Date(now + 10.5 * 86_400_000).toISOString(), now)).toBe("in 10.5 d");
    expect(inTime(new Date(now + 90 * 60_000).toISOString(), now)).toBe("in 1.5 h");
    expect(inTime(new Date(now + 5 * 60_000).toISOString(), now)).toBe("in 5 min");
    expect(inTime(new Date(now - 1).toISOString(), now)).toBe("now");
  });

  it("steps months across years", () => {
    expect(shiftMonth("2024-01", -1)).toBe("2023-12");
    expect(shiftMonth("2024-12", 1)).toBe("2025-01");
    expect(shiftMonth("2024-03", -1)).toBe("2024-02");
    expect(isMonth("2024-02")).toBe(true);
    expect(isMonth("2024-13")).toBe(false);
    expect(isMonth("2024-2")).toBe(false);
  });
});

describe("SLO chart scales", () => {
  it("spans the data and the objective lines, padded", () => {
    const [lo, hi] = yRange([0.995, 0.996, null], [0.99]);
    expect(lo).toBeCloseTo(0.989, 9); // 10% of 0.006 is under the 0.1% minimum pad
    expect(hi).toBeCloseTo(0.997, 9);
    expect(yRange([], [])).toEqual([0, 1]);
  });

  it("labels ticks with the decimals their spacing needs", () => {
    expect(tickLabels([0.998, 0.9985, 0.999])).toEqual(["99.80%", "99.85%", "99.90%"]);
    expect(tickLabels([0.5, 0.75, 1])).toEqual(["50%", "75%", "100%"]);
    expect(tickLabels([-1, 0, 1])).toEqual(["-100%", "0%", "100%"]);
  });
});

describe("dataSources", () => {
  it("says which days came from the SLO history and which had no data", () => {
    expect(dataSources({ storedDays: 0, noDataDays: [] })).toBe("TSDB");
    expect(dataSources({ storedDays: 28, noDataDays: [] })).toBe("28 d from SLO history");
    expect(dataSources({ storedDays: 3, noDataDays: ["2024-02-01", "2024-02-02"] })).toBe("3 d from SLO history, 2 d without data");
  });
});
