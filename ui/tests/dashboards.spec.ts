// Dashboards loaded from files: the list, the pack's API Performance dashboard with
// its variables, a panel whose query does not parse, and how smoothly a 100-series
// panel draws and follows the cursor.
import { expect, test } from "./fixtures";
import {
  ERRORS_DASHBOARD, packDashboard, seriesPixels, SMOOTH_POINTS, SMOOTH_SERIES, SMOOTH_STEP_MS, smoothEnd, VAR_SERVICES,
} from "./fixtures-dashboards";

const API_PERFORMANCE = packDashboard("api-performance");

test.describe("Dashboards", () => {
  test("the list shows every configured dashboard and opens one", async ({ page, consoleErrors }, info) => {
    await page.goto("/ui/dashboards");
    const rows = page.locator("tr[data-dashboard]");
    await expect(rows).toHaveCount(5);
    await expect(page.locator('tr[data-dashboard="system-overview"]')).toContainText("hasteCRM System Overview");
    await expect(page.locator('tr[data-dashboard="system-overview"]')).toContainText("10");
    await expect(page.locator('tr[data-dashboard="api-performance"]')).toContainText("API Performance");
    await expect(page.locator('tr[data-dashboard="api-performance"]')).toContainText("examples/hastecrm/dashboards/api-performance.json");
    await page.screenshot({ path: info.outputPath("dashboards-list.png") });
    await page.getByRole("link", { name: "API Performance" }).click();
    await expect(page).toHaveURL(/\/ui\/d\/api-performance/);
    await expect(page.locator("h2")).toHaveText("API Performance");
    expect(consoleErrors).toEqual([]);
  });

  test("API Performance: every panel draws data; a variable re-queries with its value, kept in the URL", async ({ page, consoleErrors }, info) => {
    await page.goto("/ui/d/api-performance?from=now-1h&to=now&refresh=off");
    for (const p of API_PERFORMANCE.panels) {
      await expect(page.locator(`[data-panel="${p.title}"]`), p.title).toHaveAttribute("data-state", "ok");
    }
    for (const p of API_PERFORMANCE.panels.filter((x) => (x.type ?? "timeseries") === "timeseries")) {
      expect(await seriesPixels(page, p.title), `${p.title} canvas`).toBeGreaterThan(300);
    }
    // Table: a row per endpoint, values in the panel's unit; sortable.
    const table = page.locator('[data-panel="Slowest Endpoints"] table');
    await expect(table.locator("tbody tr").first()).toBeVisible();
    await expect(table.locator("thead")).toContainText("endpoint");
    await expect(table.locator("tbody tr td.num").first()).toHaveText(/\d+(\.\d+)? (ms|s)$/);
    await table.getByRole("columnheader", { name: /endpoint/ }).click();
    await expect(table.getByRole("columnheader", { name: /endpoint/ })).toHaveAttribute("aria-sort", "ascending");
    // Bar: one bar per status; gauge: the success rate as a percentage.
    await expect(page.locator('[data-panel="Requests by Status"] .bar-row[data-series="200"]')).toBeVisible();
    await expect(page.locator('[data-panel="Requests by Status"] .bar-row[data-series="500"] .bar-value')).toContainText("req/s");
    await expect(page.locator('[data-panel="Success Rate"] .gauge-value')).toHaveText(/^\d+(\.\d)?%$/);
    // Stacked: the legend keeps each series' own value.
    await expect(page.locator('[data-panel="Requests by Endpoint"] .legend-item')).not.toHaveCount(0);
    await page.screenshot({ path: info.outputPath("api-performance.png"), fullPage: true });

    // $service = web: the endpoint options narrow to web's, and the panels re-query
    // with service=~"web" substituted.
    const service = page.locator('select[data-variable="service"]');
    await expect(service.locator("option")).toContainText(["All", "api", "web"]);
    const requery = page.waitForRequest(
      (r) => r.url().endsWith("/api/v1/query_range") && (new URLSearchParams(r.postData() ?? "").get("query") ?? "").includes('service=~"web"'),
    );
    await service.selectOption("web");
    await requery;
    await expect(page).toHaveURL(/var-service=web/);
    const endpoint = page.locator('select[data-variable="endpoint"]');
    await expect(endpoint.locator('option[value="/api/contacts"]')).toHaveCount(1);
    await expect(endpoint.locator('option[value="/graphql"]')).toHaveCount(0);
    await expect(page.locator('[data-panel="Requests by Endpoint"]')).toHaveAttribute("data-state", "ok");
    await expect(page.locator('[data-panel="Requests by Endpoint"] .legend-name')).not.toContainText(["/graphql"]);
    const explore = await page.locator('[data-panel="Requests by Endpoint"] a.panel-link').getAttribute("href");
    expect(new URL(explore!, "http://x").searchParams.get("expr")).toContain('endpoint=~".*"');
    expect(new URL(explore!, "http://x").searchParams.get("expr")).toContain('service=~"web"');

    await endpoint.selectOption("/api/contacts");
    await expect(page).toHaveURL(/var-endpoint=%2Fapi%2Fcontacts/);
    await expect(page.locator('[data-panel="Requests by Endpoint"] .legend-item')).toHaveCount(1);
    await expect(page.locator('[data-panel="Requests by Endpoint"] .legend-name')).toHaveText("/api/contacts");
    // The link shares the selection.
    await page.reload();
    await expect(page.locator('select[data-variable="service"]')).toHaveValue("web");
    await expect(page.locator('select[data-variable="endpoint"]')).toHaveValue("/api/contacts");
    await expect(page.locator('[data-panel="Requests by Endpoint"] .legend-name')).toHaveText("/api/contacts");
    await page.screenshot({ path: info.outputPath("api-performance-web.png"), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  test("a multi-value variable re-queries with a regex alternation, survives a reload, options follow the time range", async ({ page, consoleErrors }, info) => {
    // The option lists are asked for the picked range (the server narrows them to it
    // by block, as Prometheus does: series still in the in-memory head all count).
    const optionsFor = (hours: number) => page.waitForRequest((r) => {
      const u = new URL(r.url());
      if (u.pathname !== "/api/v1/label/service/values") return false;
      const start = Number(u.searchParams.get("start"));
      const end = Number(u.searchParams.get("end"));
      return Math.abs(end - Date.now() / 1000) < 120 && Math.abs(end - start - hours * 3600) < 2;
    });
    const firstOptions = optionsFor(1);
    await page.goto("/ui/d/ui-test-variables?from=now-1h&to=now&refresh=off");
    await firstOptions;
    const panel = page.locator('[data-panel="Requests by service"]');
    await expect(panel).toHaveAttribute("data-state", "ok");
    await expect(panel.locator(".legend-name")).toHaveText(VAR_SERVICES);
    const service = page.locator('details[data-variable="service"]');
    await expect(service.locator("summary")).toHaveText("All");
    await service.locator("summary").click();
    const menu = service.getByRole("group", { name: "Service" });
    await expect(menu.getByRole("checkbox")).toHaveCount(1 + VAR_SERVICES.length);
    await expect(menu.getByRole("checkbox", { name: "All" })).toBeChecked();

    // Two values: one query with both, as an alternation of regex-escaped values
    // ("auth.v2" must not also match "authXv2").
    const requery = page.waitForRequest(
      (r) => r.url().endsWith("/api/v1/query_range") &&
        (new URLSearchParams(r.postData() ?? "").get("query") ?? "").includes('service=~"(auth\\\\.v2|billing)"'),
    );
    await menu.getByRole("checkbox", { name: "auth.v2" }).check();
    await menu.getByRole("checkbox", { name: "billing" }).check();
    await requery;
    await expect(menu.getByRole("checkbox", { name: "All" })).not.toBeChecked();
    await expect(service.locator("summary")).toHaveText("auth.v2 + billing");
    await expect(panel.locator(".legend-name")).toHaveText(["auth.v2", "billing"]);
    await expect(page).toHaveURL(/var-service=auth\.v2&var-service=billing/);
    await page.screenshot({ path: info.outputPath("variables-multi.png") });
    await page.keyboard.press("Escape");
    await expect(service).not.toHaveAttribute("open");

    // The link shares the selection.
    await page.reload();
    await expect(service.locator("summary")).toHaveText("auth.v2 + billing");
    await expect(panel).toHaveAttribute("data-state", "ok");
    await expect(panel.locator(".legend-name")).toHaveText(["auth.v2", "billing"]);
    await service.locator("summary").click();
    await expect(menu.getByRole("checkbox", { name: "billing" })).toBeChecked();
    await expect(menu.getByRole("checkbox", { name: "search" })).not.toBeChecked();

    // A new range reloads the options for it, keeping the selection; so does the
    // refresh button (as an auto-refresh tick does).
    const sixHours = optionsFor(6);
    await page.getByTestId("range").selectOption("now-6h");
    await sixHours;
    await expect(menu.getByRole("checkbox", { name: "billing" })).toBeChecked();
    await expect(service.locator("summary")).toHaveText("auth.v2 + billing");
    await expect(page).toHaveURL(/from=now-6h.*var-service=auth\.v2&var-service=billing/);
    const again = optionsFor(6);
    await page.getByRole("button", { name: "↻ Refresh" }).click();
    await again;
    await expect(panel.locator(".legend-name")).toHaveText(["auth.v2", "billing"]);

    // Auto-refresh ticks reload the options too, without closing a list being ticked in.
    await page.goto(page.url().replace("refresh=off", "refresh=1s"));
    await expect(panel).toHaveAttribute("data-state", "ok");
    await service.locator("summary").click();
    let asked = 0;
    page.on("request", (r) => new URL(r.url()).pathname === "/api/v1/label/service/values" && asked++);
    await expect.poll(() => asked, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect(service).toHaveAttribute("open");
    await expect(menu.getByRole("checkbox", { name: "billing" })).toBeChecked();
    expect(consoleErrors).toEqual([]);
  });

  test.describe("errors", () => {
    test.use({ allowedHttpErrors: [400, 404] });

    test("a panel whose query does not parse shows the parser's message; the others draw", async ({ page, consoleErrors }, info) => {
      await page.goto("/ui/d/ui-test-errors");
      await expect(page.locator("h2")).toHaveText(ERRORS_DASHBOARD.title);
      const broken = page.locator('[data-panel="Broken query"]');
      await expect(broken).toHaveAttribute("data-state", "error");
      await expect(broken.getByRole("alert")).toContainText("parse error");
      await expect(broken.getByRole("alert")).toContainText("unclosed left parenthesis");
      await expect(page.locator('[data-panel="Working query"]')).toHaveAttribute("data-state", "ok");
      // The list's API also reports the broken query as a warning, with its panel.
      const list = await (await page.request.get("/api/v1/dashboards")).json();
      expect(list.warnings.join("\n")).toContain('ui-test-errors.json: panels[0] "Broken query": query: ');
      await page.screenshot({ path: info.outputPath("query-error.png") });
      expect(consoleErrors).toEqual([]);
    });

    test("an unknown dashboard id says so", async ({ page, consoleErrors }) => {
      await page.goto("/ui/d/nope");
      await expect(page.getByRole("alert")).toHaveText('no dashboard "nope"');
      await expect(page.getByRole("link", { name: "All dashboards" })).toBeVisible();
      expect(consoleErrors).toEqual([]);
    });
  });

  test("a panel opens full screen and in Explore with its query", async ({ page, consoleErrors }) => {
    await page.goto("/ui/d/system-overview?from=now-1h&to=now&refresh=off");
    const panel = page.locator('[data-panel="Request Rate"]');
    await expect(panel).toHaveAttribute("data-state", "ok");
    const height = async () => (await panel.locator("canvas").boundingBox())!.height;
    const small = await height();
    await panel.getByRole("button", { name: "full screen" }).click();
    await expect(panel).toHaveClass(/fullscreen/);
    await expect.poll(height).toBeGreaterThan(small * 2);
    await page.keyboard.press("Escape");
    await expect(panel).not.toHaveClass(/fullscreen/);
    await expect.poll(height).toBe(small);
    await panel.getByRole("link", { name: "Explore" }).click();
    await expect(page).toHaveURL(/\/ui\/explore\?/);
    await expect(page.getByLabel("PromQL expression")).toHaveValue("sum by (service) (rate(http_requests_total[5m]))");
    expect(consoleErrors).toEqual([]);
  });

  test("smoothness: 100 series x 1,000 points draw, and the tooltip follows the cursor", async ({ page, consoleErrors }, info) => {
    const end = smoothEnd();
    const start = end - SMOOTH_POINTS * SMOOTH_STEP_MS;
    const t0 = Date.now();
    await page.goto(`/ui/d/ui-test-smooth?from=${start}&to=${end}&refresh=off`);
    const panel = page.locator('[data-panel="100 series"]');
    await expect(panel).toHaveAttribute("data-state", "ok", { timeout: 30_000 });
    const loadMs = Date.now() - t0;
    // All 100 series drawn: one legend entry each, each with a value.
    await expect(panel.locator(".legend-item")).toHaveCount(SMOOTH_SERIES);
    await expect(panel).toHaveAttribute("data-series", String(SMOOTH_SERIES));
    const points = await panel.getAttribute("data-points");
    const drawMs = Number(await panel.getAttribute("data-draw-ms"));
    expect(await seriesPixels(page, "100 series")).toBeGreaterThan(5000);

    // Frame times while the cursor sweeps the chart (each move updates the tooltip).
    const box = (await panel.locator(".u-over").boundingBox())!;
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean };
      w.__frames = [];
      w.__stop = false;
      const tick = (t: number) => {
        w.__frames.push(t);
        if (!w.__stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    for (let i = 1; i < 60; i++) {
      await page.mouse.move(box.x + (box.width * i) / 60, box.y + box.height * (0.3 + 0.4 * ((i % 10) / 10)));
    }
    const frames = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean };
      w.__stop = true;
      const d = w.__frames.slice(1).map((t, i) => t - w.__frames[i]);
      return d;
    });
    // The tooltip lists the 12 series nearest the cursor and counts the rest: the low
    // ones at the bottom of the chart, the high ones at the top; the nearest is marked.
    const tip = panel.locator(".tooltip");
    const rows = tip.locator(".tip-row:not([hidden])");
    const names = async () => (await rows.locator(".tip-name").allTextContents()).map(Number);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.95);
    await expect(tip).toContainText(`+${SMOOTH_SERIES - 12} more`);
    await expect(rows).toHaveCount(12);
    await expect.poll(async () => Math.max(...(await names()))).toBeLessThan(SMOOTH_SERIES / 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.05);
    await expect.poll(async () => Math.min(...(await names()))).toBeGreaterThanOrEqual(SMOOTH_SERIES / 2);
    await expect(rows).toHaveCount(12);
    await expect(tip.locator(".tip-row.near")).toHaveCount(1);
    await expect(tip).toBeInViewport();
    frames.sort((a, b) => a - b);
    const p95 = frames[Math.floor(frames.length * 0.95)] ?? NaN;
    const longest = frames[frames.length - 1] ?? NaN;
    console.log(
      `smoothness: ${SMOOTH_SERIES} series x ${points} points; page load to drawn ${loadMs} ms, uPlot setData ${drawMs.toFixed(1)} ms; ` +
        `cursor sweep over ${frames.length} frames: longest ${longest.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
    );
    info.annotations.push({ type: "smoothness", description: `load ${loadMs} ms, draw ${drawMs.toFixed(1)} ms, longest frame ${longest.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms` });
    await page.screenshot({ path: info.outputPath("smoothness.png") });
    expect(consoleErrors).toEqual([]);
  });
});
