import { describe, expect, it } from "vitest";
import {
  formatDuration, formatMatchers, formatWhen, matcherMatches, matchersFromLabels, parseMatchers, parseWhen, resolveTimes,
  silenceMatches, unescapeValue,
} from "./silence_model";

const alert = { alertname: "HighErrorRate", service: "api", severity: "critical" };

describe("parseMatchers", () => {
  it("reads all four operators, with or without braces, escapes resolved", () => {
    expect(parseMatchers('{alertname="A", service!="web", severity=~"crit.*", team!~"db|ops", path="a\\"b"}')).toEqual([
      { name: "alertname", value: "A", isRegex: false, isEqual: true },
      { name: "service", value: "web", isRegex: false, isEqual: false },
      { name: "severity", value: "crit.*", isRegex: true, isEqual: true },
      { name: "team", value: "db|ops", isRegex: true, isEqual: false },
      { name: "path", value: 'a"b', isRegex: false, isEqual: true },
    ]);
    expect(parseMatchers('a="1",')).toHaveLength(1);
  });

  it("says where the text stops making sense", () => {
    expect(() => parseMatchers('alertname="A", service=web')).toThrow(/at character 16 \("service=web"\)/);
    expect(() => parseMatchers('{a="1" b="2"}')).toThrow(/at character 8: expected "," between matchers/);
    expect(() => parseMatchers("  ")).toThrow(/at least one matcher/);
    // A regex is judged by the server (RE2) on save; only the preview reads it.
    const bad = parseMatchers('job=~"(unclosed"');
    expect(() => silenceMatches(bad, { job: "x" })).toThrow(/invalid regex in matcher job=~"\(unclosed"/);
  });

  it("round-trips through formatMatchers", () => {
    const text = 'alertname="A", service!="web", severity=~"crit.*", team!~"db|ops", path="a\\"b"';
    expect(formatMatchers(parseMatchers(text))).toBe(text);
    expect(parseMatchers(matchersFromLabels({ b: "2", a: 'x"y' }))).toEqual([
      { name: "a", value: 'x"y', isRegex: false, isEqual: true },
      { name: "b", value: "2", isRegex: false, isEqual: true },
    ]);
  });
});

describe("matching alerts as Alertmanager does", () => {
  const m = (text: string) => parseMatchers(text)[0];

  it("compares equality and inequality", () => {
    expect(matcherMatches(m('service="api"'), alert)).toBe(true);
    expect(matcherMatches(m('service="ap"'), alert)).toBe(false);
    expect(matcherMatches(m('service!="web"'), alert)).toBe(true);
    expect(matcherMatches(m('service!="api"'), alert)).toBe(false);
  });

  it("anchors regexes at both ends", () => {
    expect(matcherMatches(m('severity=~"crit"'), alert)).toBe(false);
    expect(matcherMatches(m('severity=~"crit.*"'), alert)).toBe(true);
    expect(matcherMatches(m('service=~"api|web"'), alert)).toBe(true);
    expect(matcherMatches(m('service!~"ap.*"'), alert)).toBe(false);
    expect(matcherMatches(m('service!~"web"'), alert)).toBe(true);
  });

  it("treats a missing label as the empty string", () => {
    expect(matcherMatches(m('team=""'), alert)).toBe(true);
    expect(matcherMatches(m('team!=""'), alert)).toBe(false);
    expect(matcherMatches(m('team=~".*"'), alert)).toBe(true);
    expect(matcherMatches(m('team=~".+"'), alert)).toBe(false);
    expect(matcherMatches(m('team!~"db"'), alert)).toBe(true);
  });

  it("needs every matcher to match", () => {
    expect(silenceMatches(parseMatchers('alertname="HighErrorRate", service="api"'), alert)).toBe(true);
    expect(silenceMatches(parseMatchers('alertname="HighErrorRate", service="web"'), alert)).toBe(false);
  });
});

describe("times", () => {
  const now = new Date(2026, 10, 27, 10, 0, 0).getTime();

  it("parses now, local and ISO times, and rejects the rest", () => {
    expect(parseWhen("now", now)).toBe(now);
    expect(parseWhen("2026-11-27 12:30", now)).toBe(new Date(2026, 10, 27, 12, 30).getTime());
    expect(parseWhen("2026-11-27T12:30:15", now)).toBe(new Date(2026, 10, 27, 12, 30, 15).getTime());
    expect(parseWhen("2026-11-27T12:30:00Z", now)).toBe(Date.UTC(2026, 10, 27, 12, 30));
    expect(parseWhen("2026-02-31 10:00", now)).toBeNaN();
    expect(parseWhen("tomorrow", now)).toBeNaN();
    expect(parseWhen(formatWhen(now + 90_000), now)).toBe(now + 90_000);
  });

  it("formats durations for the duration field", () => {
    expect(formatDuration(2 * 3600_000)).toBe("2h");
    expect(formatDuration(90 * 60_000)).toBe("1h30m");
    expect(formatDuration(86400_000 + 45_000)).toBe("1d45s");
  });

  it("takes the end from the duration or from the end field", () => {
    expect(resolveTimes({ starts: "now", ends: "", duration: "2h" }, "duration", now)).toEqual({
      startsAt: new Date(now).toISOString(), endsAt: new Date(now + 2 * 3600_000).toISOString(),
    });
    expect(resolveTimes({ starts: "now", ends: "2026-11-27 13:00", duration: "2h" }, "ends", now).endsAt)
      .toBe(new Date(2026, 10, 27, 13, 0).toISOString());
  });

  it("keeps an edited silence's start to the millisecond while its field is unchanged", () => {
    const keep = new Date(now - 61_234).toISOString();
    const shown = formatWhen(Date.parse(keep));
    expect(resolveTimes({ starts: shown, ends: "", duration: "1h" }, "duration", now, keep).startsAt).toBe(keep);
    // Changed: the new start is used.
    expect(resolveTimes({ starts: "now", ends: "", duration: "1h" }, "duration", now, keep).startsAt).toBe(new Date(now).toISOString());
  });

  it("names the field that is wrong", () => {
    expect(() => resolveTimes({ starts: "soon", ends: "", duration: "1h" }, "duration", now)).toThrow(/cannot parse start "soon"/);
    expect(() => resolveTimes({ starts: "now", ends: "", duration: "2x" }, "duration", now)).toThrow(/cannot parse duration "2x"/);
    expect(() => resolveTimes({ starts: "now", ends: "later", duration: "" }, "ends", now)).toThrow(/cannot parse end "later"/);
    expect(() => resolveTimes({ starts: "now", ends: "2026-11-27 09:00", duration: "" }, "ends", now)).toThrow(/end must be after the start/);
  });
});

describe("values and regexes as Alertmanager reads them", () => {
  it("keeps a backslash that is not an escape, and resolves \\n, \\\" and \\\\", () => {
    expect(parseMatchers('path=~"/a\\.b"')[0].value).toBe("/a\\.b");
    expect(parseMatchers('x="a\\nb\\"c\\\\d"')[0].value).toBe('a\nb"c\\d');
    expect(unescapeValue("a\\-b")).toBe("a\\-b");
  });
  it("previews regexes RE2 takes: escapes like \\- and a leading (?i)", () => {
    expect(silenceMatches(parseMatchers('team=~"a\\-b"'), { team: "a-b" })).toBe(true);
    expect(silenceMatches(parseMatchers('path=~"/a\\.b"'), { path: "/a.b" })).toBe(true);
    expect(silenceMatches(parseMatchers('path=~"/a\\.b"'), { path: "/axb" })).toBe(false);
    expect(silenceMatches(parseMatchers('severity=~"(?i)CRIT.*"'), { severity: "critical" })).toBe(true);
  });
});
