import { describe, expect, it } from "vitest";
import { selector } from "./completion_source";

describe("selector (the match[] that scopes label names and values)", () => {
  it("names the metric by __name__ and keeps the other matchers", () => {
    expect(selector("http_requests_total", [])).toBe('{__name__="http_requests_total"}');
    expect(selector("a:b", ['job="api"', "env!='x'"])).toBe(`{__name__="a:b", job="api", env!='x'}`);
  });

  it("needs a metric or an = matcher on a non-empty value, else matches everything", () => {
    expect(selector(undefined, ['job="api"'])).toBe('{job="api"}');
    expect(selector(undefined, ['job!="api"'])).toBeUndefined();
    expect(selector(undefined, ['job=""'])).toBeUndefined();
    expect(selector(undefined, [])).toBeUndefined();
  });
});
