import { expect, test, WRITE_TOKEN } from "./fixtures";
import { packDashboard, seriesPixels } from "./fixtures-dashboards";

// The home page shows the first configured dashboard: the pack's System Overview.
const SYSTEM_OVERVIEW = packDashboard("system-overview");

test.describe("System Overview", () => {
  test("every panel draws data, with legend values in units; page load is measured", async ({ page, consoleErrors }, info) => {
    const t0 = Date.now();
    await page.goto("/ui/?from=now-1h&to=now&refresh=off");
    const panels = page.locator("[data-panel]");
    await expect(panels).toHaveCount(SYSTEM_OVERVIEW.panels.length);
    for (const p of SYSTEM_OVERVIEW.panels) {
      await expect(page.locator(`[data-panel="${p.title}"]`), p.title).toHaveAttribute("data-state", "ok");
    }
    const loadMs = Date.now() - t0;
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return Math.round(n.loadEventEnd - n.startTime);
    });
    console.log(`overview page load: ${loadMs} ms until every panel drew its data (navigation load event ${nav} ms); Web SLO < 2000 ms`);
    // A figure, printed and annotated, never a timed assertion: CI machines are noisy.
    info.annotations.push({ type: "page-load-ms", description: String(loadMs) });

    for (const p of SYSTEM_OVERVIEW.panels.filter((x) => x.type !== "stat")) {
      const panel = page.locator(`[data-panel="${p.title}"]`);
      // Lines were drawn, not only the grid and axes.
      expect(await seriesPixels(page, p.title), `${p.title} canvas`).toBeGreaterThan(300);
      const values = await panel.locator(".legend-value").allTextContents();
      expect(values.length, `${p.title} legend`).toBeGreaterThan(0);
      for (const v of values) expect(v, `${p.title} legend value`).toMatch(/\d/);
    }
    await expect(page.locator('[data-panel="Request Rate"] .legend-value').first()).toContainText("req/s");
    await expect(page.locator('[data-panel="Latency p50 / p95 / p99"] .legend-value').first()).toHaveText(/\d+(\.\d+)? (ms|s)$/);
    await expect(page.locator('[data-panel="CPU Usage"] .legend-value').first()).toHaveText(/%$/);
    await expect(page.locator('[data-panel="Active Users"] .stat-value')).toHaveText(/^\d+$/);

    // The tooltip shows values with units at the cursor.
    const plot = page.locator('[data-panel="Request Rate"] .u-over');
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
    await expect(page.locator('[data-panel="Request Rate"] .tooltip')).toContainText("req/s");
    await page.screenshot({ path: info.outputPath("overview.png"), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  test("the time range round-trips through the URL", async ({ page, consoleErrors }) => {
    await page.goto("/ui/");
    await expect(page.locator('[data-panel="Request Rate"]')).toHaveAttribute("data-state", "ok");
    await page.getByTestId("range").selectOption("now-6h");
    await expect(page).toHaveURL(/from=now-6h/);
    await page.getByTestId("refresh").selectOption("10s");
    await expect(page).toHaveURL(/refresh=10s/);
    await page.reload();
    await expect(page.getByTestId("range")).toHaveValue("now-6h");
    await expect(page.getByTestId("refresh")).toHaveValue("10s");
    await expect(page.locator('[data-panel="Request Rate"]')).toHaveAttribute("data-state", "ok");
    // An absolute range.
    const end = Date.now();
    await page.goto(`/ui/?from=${end - 30 * 60_000}&to=${end}`);
    await expect(page.getByTestId("range")).toHaveValue("custom");
    await expect(page.locator('[data-panel="Queue Depth"]')).toHaveAttribute("data-state", "ok");
    expect(consoleErrors).toEqual([]);
  });
});

test.describe("Targets and health", () => {
  test("targets show the up scrape target", async ({ page, consoleErrors }, info) => {
    await page.goto("/ui/targets");
    await expect(async () => {
      await page.getByRole("button", { name: "↻ Refresh" }).click();
      await expect(page.locator('[data-pool="hastewatch"] tr[data-health="up"]')).toHaveCount(1, { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.locator('[data-pool="hastewatch"]')).toContainText("1/1 up");
    await page.screenshot({ path: info.outputPath("targets.png") });
    expect(consoleErrors).toEqual([]);
  });

  test("health shows readiness, and the details with a token", async ({ page, consoleErrors }) => {
    await page.goto("/ui/health");
    await expect(page.getByTestId("ready")).toContainText("ready");
    await expect(page.locator('[data-testid="ready"] tr[data-check="storage"]')).toContainText("healthy");
    await expect(page.getByTestId("detailed")).toContainText("needs a token");
    await page.evaluate((t) => localStorage.setItem("hastewatch.token", t), WRITE_TOKEN);
    await page.reload();
    await expect(page.getByTestId("detailed")).toContainText("storage");
    await expect(page.getByTestId("detailed")).toContainText("rss_bytes");
    expect(consoleErrors).toEqual([]);
  });
});
