// Explore: queries as a table and a graph, the parse error at its position, and the
// editor's completion against the fixture's remote-written data.
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { AGGREGATIONS, exampleCall, FUNCTIONS } from "../src/promql_functions";

const editor = (page: Page) => page.getByLabel("PromQL expression");
// The completion choice named exactly `name`.
const exactly = (name: string) => new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
const option = (page: Page, name: string) =>
  page.getByRole("listbox", { name: "Completions" }).locator("li[role=option]")
    .filter({ has: page.locator(".name", { hasText: exactly(name) }) });

async function cursorAt(input: Locator, pos: number): Promise<void> {
  await input.evaluate((el: HTMLTextAreaElement, p) => { el.focus(); el.setSelectionRange(p, p); }, pos);
}

async function names(page: Page): Promise<string[]> {
  return page.locator("ul.completions li .name").allTextContents();
}

test.describe("Explore", () => {
  test.use({ allowedHttpErrors: [400] });

  test("runs a query as a table and a graph, and shows a parse error at its position", async ({ page, consoleErrors }, info) => {
    await page.goto("/ui/explore");
    const input = editor(page);
    // The fixture's hastewatch also scrapes itself (service="hastewatch"): only the two
    // remote-written services.
    await input.fill('sum by (service) (rate(http_requests_total{service=~"api|web"}[5m]))');
    await page.getByRole("button", { name: "Table (instant)" }).click();
    await expect(page.locator("table.results")).toContainText('{service="api"}');
    await expect(page.locator("table.results")).toContainText('{service="web"}');
    await expect(page).toHaveURL(/tab=table/);
    await page.getByRole("button", { name: "Graph (range)" }).click();
    await expect(page.locator(".explore-out .legend-item")).toHaveCount(2);
    await expect(page.getByTestId("query-info")).toContainText("2 series");

    await input.fill("sum(rate(http_requests_total[5m])");
    await page.getByRole("button", { name: "Run query" }).click();
    const err = page.getByTestId("query-error");
    await expect(err).toContainText("parse error");
    await expect(err).toContainText("unclosed left parenthesis");
    await expect(page.getByTestId("error-position")).toContainText("line 1, column");

    // The caret sits under the character the parser names: here the stray `x`, after
    // characters of two bytes (the parser counts columns in bytes).
    const bad = 'up{job="ünï" x="b"}';
    const x = bad.indexOf(" x=") + 1;
    await input.fill(bad);
    await input.press("Control+Enter");
    await expect(err).toContainText('unexpected identifier "x"');
    const caret = (await page.getByTestId("error-position").textContent())!.split("\n");
    expect(caret[0]).toBe(bad);
    expect(caret[1].indexOf("^")).toBe(x);
    expect(caret[1]).toContain(`line 1, column ${Buffer.byteLength(bad.slice(0, x)) + 1}`);
    // "Show in editor" puts the cursor there.
    await page.getByRole("button", { name: "Show in editor" }).click();
    await expect(input).toBeFocused();
    expect(await input.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe(x);
    await page.screenshot({ path: info.outputPath("explore-error.png") });
    expect(consoleErrors).toEqual([]);
  });

  test("completes metric names, label names and values from the data, and runs with Ctrl+Enter", async ({ page, consoleErrors }, info) => {
    await page.goto("/ui/explore?tab=table");
    const input = editor(page);
    await input.click();
    await input.pressSequentially("http_re");
    // From a key press to the list redrawn (names fetched at the first letter, then cached;
    // includes Playwright's polling).
    const t0 = Date.now();
    await input.press("q");
    await expect(option(page, "http_requests_total")).toBeVisible();
    const firstMs = Date.now() - t0;
    const shown = await names(page);
    expect(shown.every((n) => n.toLowerCase().includes("http_req")), shown.join(", ")).toBe(true);
    // Down to it with the keyboard, accept with Tab.
    const index = shown.indexOf("http_requests_total");
    for (let i = 0; i < index; i++) await input.press("ArrowDown");
    await expect(option(page, "http_requests_total")).toHaveAttribute("aria-selected", "true");
    await input.press("Tab");
    await expect(input).toHaveValue("http_requests_total");
    await expect(page.getByRole("listbox", { name: "Completions" })).toBeHidden();

    // `{` offers the labels of that metric only.
    await input.pressSequentially("{");
    await expect(option(page, "service")).toBeVisible();
    const labels = await names(page);
    expect(labels).toEqual(expect.arrayContaining(["service", "method", "endpoint", "status", "job", "instance"]));
    expect(labels).not.toContain("workspace"); // active_users_total's label
    expect(labels).not.toContain("__name__");
    await page.screenshot({ path: info.outputPath("explore-label-names.png") });
    await input.pressSequentially("serv");
    await input.press("Enter");
    await expect(input).toHaveValue("http_requests_total{service");

    // `="` offers the label's values for that metric; the quote is closed on accept.
    await input.pressSequentially('="');
    await expect(option(page, "web")).toBeVisible();
    const values = await names(page);
    console.log(`completion: list redrawn ${firstMs} ms after a key press (${shown.length} choices)`);
    info.annotations.push({ type: "completion-keypress-to-list-ms", description: String(firstMs) });
    expect(values).toEqual(expect.arrayContaining(["api", "web"]));
    expect(values).not.toContain("node"); // a job value, not a service
    await page.screenshot({ path: info.outputPath("explore-label-values.png") });
    await option(page, "web").click();
    await expect(input).toHaveValue('http_requests_total{service="web"');
    await input.pressSequentially("}");
    await input.press("Control+Enter");
    await expect(page.locator("table.results tbody tr")).toHaveCount(1);
    await expect(page.locator("table.results")).toContainText('service="web"');
    await expect(page).toHaveURL(/expr=http_requests_total/);

    // Esc closes the list; Ctrl+Space opens it where nothing was typed.
    await input.fill("");
    await input.pressSequentially("rat");
    await expect(option(page, "rate")).toBeVisible();
    // Up from the first choice wraps to the last.
    const last = (await names(page)).at(-1)!;
    await input.press("ArrowUp");
    await expect(option(page, last)).toHaveAttribute("aria-selected", "true");
    await input.press("Escape");
    await expect(page.getByRole("listbox", { name: "Completions" })).toBeHidden();
    await input.fill("rate()");
    await cursorAt(input, 5);
    await input.press("Control+Space");
    const list = page.getByRole("listbox", { name: "Completions" });
    await expect(list).toBeVisible();
    await expect(list.locator('li[data-kind="metric"]').first()).toBeVisible();
    await expect(list.locator('li[data-kind="function"]').first()).toBeAttached();
    await list.locator('li[data-kind="metric"]').first().click();
    await expect(input).toHaveValue(/^rate\([a-z_:]+\)$/);
    expect(consoleErrors).toEqual([]);
  });

  test("offers functions with their signatures, durations, grouping labels and metric help", async ({ page, request, consoleErrors }, info) => {
    await page.goto("/ui/explore");
    const input = editor(page);
    await input.click();
    await input.pressSequentially("histogram_qua");
    await expect(option(page, "histogram_quantile")).toHaveAttribute("aria-selected", "true");
    await expect(page.getByTestId("completion-doc")).toContainText("histogram_quantile(φ scalar, b instant-vector) → instant-vector");
    await page.screenshot({ path: info.outputPath("explore-function.png") });
    await input.press("Enter");
    await expect(input).toHaveValue("histogram_quantile(");
    // Inside the call, the signature shows with the current argument in bold.
    const help = page.getByTestId("signature-help");
    await expect(help).toContainText("histogram_quantile(φ scalar, b instant-vector) → instant-vector");
    await expect(help.locator("[data-current]")).toHaveText("φ scalar");
    await input.pressSequentially("0.95, ");
    await expect(help.locator("[data-current]")).toHaveText("b instant-vector");
    await input.press("Escape");
    await input.fill("histogram_quantile(");

    // Durations inside a range selector's brackets.
    await input.fill("");
    await input.pressSequentially("rate(http_requests_total[");
    await expect(option(page, "5m")).toBeVisible();
    await input.pressSequentially("15");
    await expect(option(page, "15m")).toBeVisible();
    await option(page, "15m").click();
    await expect(input).toHaveValue("rate(http_requests_total[15m");

    // After @: start(), end() or now as a Unix time; the query then runs.
    await input.fill("");
    await input.pressSequentially("sum(http_requests_total @ ");
    await expect(option(page, "end()")).toBeVisible();
    expect((await names(page)).filter((n) => /^\d{10}$/.test(n))).toHaveLength(1);
    await option(page, "end()").click();
    await input.pressSequentially(")");
    await expect(input).toHaveValue("sum(http_requests_total @ end())");
    await page.getByRole("button", { name: "Table (instant)" }).click();
    await expect(page.locator("table.results tbody tr")).toHaveCount(1);

    // by (...) offers the aggregated metric's labels.
    await input.fill("sum by () (rate(http_requests_total[5m]))");
    await cursorAt(input, "sum by (".length);
    await input.press("Control+Space");
    await expect(option(page, "endpoint")).toBeVisible();
    expect(await names(page)).not.toContain("queue_name");

    // The selector's other matchers narrow the values: instances of job="node" only.
    await input.fill("");
    await input.pressSequentially('{job="node", instance="');
    await expect(option(page, "node-1:9100")).toBeVisible();
    expect((await names(page)).sort()).toEqual(["node-1:9100", "node-2:9100"]);
    await input.press("Escape");

    // A scraped metric shows its type and help from /api/v1/metadata.
    const meta = (await (await request.get("/api/v1/metadata?metric=hastewatch_http_connections")).json()).data;
    const m = meta.hastewatch_http_connections?.[0];
    expect(m, "the fixture's self-scrape has metadata").toBeTruthy();
    await input.fill("");
    await input.pressSequentially("hastewatch_http_conn");
    await expect(option(page, "hastewatch_http_connections")).toContainText(m.type);
    await expect(page.getByTestId("completion-doc")).toContainText(m.help);
    expect(consoleErrors).toEqual([]);
  });

  test("every function and aggregation the editor offers parses on the server", async ({ request }) => {
    const calls = [
      ...FUNCTIONS.map(exampleCall),
      ...AGGREGATIONS.map((a) => (a.param ? `${a.name}(${a.param.type === "string" ? '"a"' : "1"}, up)` : `${a.name}(up)`)),
    ];
    const rejected: string[] = [];
    for (const query of calls) {
      const resp = await request.post("/api/v1/format_query", { form: { query } });
      if (!resp.ok()) rejected.push(`${query}: ${(await resp.json()).error}`);
    }
    expect(rejected).toEqual([]);
    expect(calls.length).toBe(FUNCTIONS.length + AGGREGATIONS.length);
    // And the check can fail: a name the server does not know is rejected.
    expect((await request.post("/api/v1/format_query", { form: { query: "no_such_function(up)" } })).status()).toBe(400);
  });
});
