import { describe, expect, it } from "vitest";
import { humanDuration, type Incident, isOpen, listQuery } from "./incident_api";

describe("humanDuration", () => {
  it("writes durations as the server's timeline does", () => {
    expect(humanDuration(0)).toBe("0s");
    expect(humanDuration(999)).toBe("0s");
    expect(humanDuration(42_000)).toBe("42s");
    expect(humanDuration(15 * 60_000)).toBe("15m");
    expect(humanDuration(3600_000 + 5 * 60_000)).toBe("1h 5m");
    expect(humanDuration(86400_000 + 1000)).toBe("1d 1s");
    expect(humanDuration(-5000)).toBe("0s");
  });
});

describe("isOpen", () => {
  it("is true until the incident is resolved", () => {
    const at = (state: Incident["state"]) => isOpen({ state } as Incident);
    expect(["triggered", "acknowledged", "investigating", "mitigated"].map((s) => at(s as Incident["state"]))).toEqual([true, true, true, true]);
    expect(at("resolved")).toBe(false);
    expect(at("postmortem_done")).toBe(false);
  });
});

describe("listQuery", () => {
  it("puts open first and leaves out what is not set", () => {
    expect(listQuery({ open: false })).toBe("");
    expect(listQuery({ open: true })).toBe("?open=true");
    expect(listQuery({ open: true, severity: "P1", state: "", limit: 0 })).toBe("?open=true&severity=P1");
    expect(listQuery({ open: false, state: "resolved", limit: 100, before: 42 })).toBe("?state=resolved&limit=100&before=42");
  });
});
