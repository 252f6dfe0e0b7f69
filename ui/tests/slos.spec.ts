// The SLO page against the real server, over tests/fixtures-slo.ts's series. Every
// expected figure is computed here from the data's shape (see fixtures-slo.ts):
//   checkout  0.5% failed this month, 2% last month; objective 99%, calendar month
//   search    98% within 300ms; objective 95% over 7d
//   payments  80% ok; objective 99% over 7d: 20x burn, budget long gone
import { expect, test } from "./fixtures";
import { DAY_MS, monthStart, sloDataStart } from "./fixtures-slo";
import type { Locator, Page } from "@playwright/test";

const month = (t: number) => new Date(t).toISOString().slice(0, 7);

function cell(page: Page, slo: string, col: string): Locator {
  return page.locator(`tr[data-slo="shop/${slo}"] td[data-col="${col}"]`);
}

function reportCell(page: Page, slo: string, col: string): Locator {
  return page.locator(`tr[data-report-slo="shop/${slo}"] td[data-col="${col}"]`);
}

async function painted(panel: Locator): Promise<number> {
  return panel.locator("canvas").evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
}

test.describe("SLOs", () => {
  test("the table shows each SLO's achieved SLI, budget, burn rates, exhaustion and alerts", async ({ page, consoleErrors }, info) => {
    const now = Date.now();
    await page.goto("/ui/slos");
    await expect(page.locator("nav a.active")).toHaveText("SLOs");
    await expect(page.getByTestId("slo-status")).toHaveAttribute("data-state", "ok");

    // checkout: 1 failed of 200 = 99.5% against 99% allowed: half the budget left,
    // burning at 0.5x, so the rest lasts 0.5 x (the month) / 0.5 = one month's length.
    await expect(cell(page, "checkout-availability", "objective")).toHaveText("99%");
    await expect(cell(page, "checkout-availability", "critical")).toHaveText("95%");
    await expect(cell(page, "checkout-availability", "window")).toHaveText("calendar month");
    await expect(cell(page, "checkout-availability", "achieved")).toHaveText("99.500%");
    await expect(cell(page, "checkout-availability", "budget")).toHaveText("50.0%");
    await expect(cell(page, "checkout-availability", "burn1h")).toHaveText("0.50×");
    await expect(cell(page, "checkout-availability", "burnWindow")).toHaveText("0.50×");
    const monthDays = (monthStart(now, 1) - monthStart(now)) / DAY_MS;
    await expect(cell(page, "checkout-availability", "exhaustion")).toHaveText(`in ${monthDays.toFixed(1)} d`);
    await expect(cell(page, "checkout-availability", "alerts")).toHaveText("none");

    // search: 98 of 100 fast against 95%: 2% of 5% spent, 60% left; 0.4x burns the
    // rest in 0.6 x 7d / 0.4 = 10.5 days.
    await expect(cell(page, "search-latency", "critical")).toHaveText("–");
    await expect(cell(page, "search-latency", "window")).toHaveText("7d");
    await expect(cell(page, "search-latency", "achieved")).toHaveText("98.000%");
    await expect(cell(page, "search-latency", "budget")).toHaveText("60.0%");
    await expect(cell(page, "search-latency", "burn1h")).toHaveText("0.40×");
    await expect(cell(page, "search-latency", "exhaustion")).toHaveText("in 10.5 d");

    // payments: 80% ok against 99%: 20% failed where 1% is allowed, 20x the budget.
    await expect(cell(page, "payments-availability", "achieved")).toHaveText("80.000%");
    await expect(cell(page, "payments-availability", "budget")).toHaveText("-1900.0%");
    await expect(cell(page, "payments-availability", "burn1h")).toHaveText("20.0×");
    await expect(cell(page, "payments-availability", "exhaustion")).toHaveText("exhausted");
    await expect(page.locator('tr[data-slo="shop/payments-availability"]')).toHaveClass(/slo-bad/);
    // Its page alert for 6x over 6h and 30m is pending or firing, and links to Alerts.
    // (The 1h alert's 5m short window sees too few of the 5-minute samples to fire.)
    const alert = cell(page, "payments-availability", "alerts").getByRole("link", { name: "SLOBurnRate6h" });
    await expect(async () => {
      await page.getByRole("button", { name: "↻ Refresh" }).click();
      await expect(alert).toHaveClass(/pending|firing/, { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await expect(alert).toHaveAttribute("href", "/ui/alerts");

    await page.screenshot({ path: info.outputPath("slos.png"), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  test("the month picker changes the compliance review", async ({ page, consoleErrors }, info) => {
    const now = Date.now();
    const thisMonth = month(now);
    const lastMonth = month(monthStart(now, -1));
    await page.goto("/ui/slos");
    const review = page.getByTestId("slo-report");
    await expect(review).toHaveAttribute("data-month", thisMonth);
    await expect(page.getByTestId("month")).toHaveValue(thisMonth);
    await expect(reportCell(page, "checkout-availability", "achieved")).toHaveText("99.500%");
    await expect(reportCell(page, "checkout-availability", "used")).toHaveText("50.0%");
    await expect(reportCell(page, "checkout-availability", "breaches")).toHaveText("0");
    await expect(reportCell(page, "checkout-availability", "status")).toHaveText("met");
    await expect(reportCell(page, "payments-availability", "used")).toHaveText("2000.0%");
    await expect(reportCell(page, "payments-availability", "status")).toHaveText("missed");
    // Every day is still in the TSDB (retention 90d): none comes from the SLO history.
    await expect(reportCell(page, "checkout-availability", "data")).toHaveText("TSDB");
    if (new Date(now).getUTCDate() > 1) {
      // Every full day so far at 99.5%.
      await expect(reportCell(page, "checkout-availability", "worst")).toContainText("(99.500%)");
    }

    // Last month: 2% failed, twice the budget; every day with data (from the 21st)
    // below 99%.
    await page.getByRole("button", { name: "previous month" }).click();
    await expect(review).toHaveAttribute("data-month", lastMonth);
    await expect(page).toHaveURL(new RegExp(`month=${lastMonth}`));
    await expect(page.getByTestId("month")).toHaveValue(lastMonth);
    const days = (monthStart(now) - sloDataStart(now)) / DAY_MS;
    await expect(reportCell(page, "checkout-availability", "achieved")).toHaveText("98.000%");
    await expect(reportCell(page, "checkout-availability", "used")).toHaveText("200.0%");
    await expect(reportCell(page, "checkout-availability", "breaches")).toHaveText(String(days));
    await expect(reportCell(page, "checkout-availability", "worst")).toContainText("(98.000%)");
    await expect(reportCell(page, "checkout-availability", "status")).toHaveText("missed");
    await expect(reportCell(page, "search-latency", "achieved")).toHaveText("98.000%");
    await expect(reportCell(page, "search-latency", "used")).toHaveText("40.0%");
    await expect(reportCell(page, "search-latency", "status")).toHaveText("met");
    await expect(page.getByTestId("report-info")).toHaveText(`${lastMonth}-01 to ${thisMonth}-01 UTC`);
    await page.screenshot({ path: info.outputPath("slos-last-month.png"), fullPage: true });

    // The month before has no data at all.
    await page.getByRole("button", { name: "previous month" }).click();
    await expect(review).toHaveAttribute("data-month", month(monthStart(now, -2)));
    await expect(reportCell(page, "checkout-availability", "status")).toHaveText("no data");
    await expect(reportCell(page, "checkout-availability", "achieved")).toHaveText("–");

    // Typing a month, and the URL keeps it across a reload.
    await page.getByTestId("month").fill(thisMonth);
    await expect(review).toHaveAttribute("data-month", thisMonth);
    await expect(reportCell(page, "checkout-availability", "achieved")).toHaveText("99.500%");
    await page.goto(`/ui/slos?month=${lastMonth}`);
    await expect(review).toHaveAttribute("data-month", lastMonth);
    await expect(reportCell(page, "checkout-availability", "used")).toHaveText("200.0%");
    expect(consoleErrors).toEqual([]);
  });

  test("one SLO's page charts the SLI per day and the budget over its window or a month", async ({ page, consoleErrors }, info) => {
    const now = Date.now();
    await page.goto("/ui/slos");
    await page.locator('tr[data-slo="shop/checkout-availability"]').getByRole("link", { name: "checkout-availability" }).click();
    await expect(page).toHaveURL(/\/ui\/slos\/shop\/checkout-availability$/);
    const sli = page.getByTestId("sli-chart");
    const budget = page.getByTestId("budget-chart");
    await expect(sli).toHaveAttribute("data-state", "ok");
    await expect(budget).toHaveAttribute("data-state", "ok");
    await expect(sli.locator("h3")).toHaveText("SLI per day (objective 99%)");
    expect(await painted(sli), "SLI canvas").toBeGreaterThan(500);
    expect(await painted(budget), "budget canvas").toBeGreaterThan(500);
    // The last step's values.
    await expect(sli.locator(".legend-value")).toHaveText("99.500%");
    await expect(budget.locator(".legend-value")).toHaveText("50.0%");
    await expect(page.getByTestId("span-achieved")).toHaveText("99.500%");
    await expect(page.getByTestId("span-used")).toHaveText("50.0%");
    await expect(page.getByTestId("now-achieved")).toHaveText("99.500%");
    await expect(page.getByTestId("breaches")).toHaveText("No day below the objective.");
    await page.screenshot({ path: info.outputPath("slo-detail.png"), fullPage: true });

    // Last month: every day at 98%, the budget at 1 − 2%/1% = −100% from the first day.
    await page.getByRole("button", { name: "previous month" }).click();
    await expect(page).toHaveURL(new RegExp(`month=${month(monthStart(now, -1))}`));
    await expect(sli.locator(".legend-value")).toHaveText("98.000%");
    await expect(budget.locator(".legend-value")).toHaveText("-100.0%");
    await expect(page.getByTestId("span-used")).toHaveText("200.0%");
    const days = (monthStart(now) - sloDataStart(now)) / DAY_MS;
    await expect(page.locator('[data-testid="breaches"] tbody tr')).toHaveCount(days);
    await expect(page.locator('[data-testid="breaches"] tbody tr').first()).toContainText("98.000%");
    await page.screenshot({ path: info.outputPath("slo-detail-last-month.png"), fullPage: true });

    // Back to the budget window; then the burning SLO shows its alerts.
    await page.getByRole("button", { name: "Budget window" }).click();
    await expect(page).toHaveURL(/\/ui\/slos\/shop\/checkout-availability$/);
    await expect(sli.locator(".legend-value")).toHaveText("99.500%");
    await page.goto("/ui/slos/shop/payments-availability");
    await expect(page.getByTestId("budget-chart")).toHaveAttribute("data-state", "ok");
    await expect(page.getByTestId("now-alerts").getByRole("link", { name: "SLOBurnRate6h" })).toBeVisible();
    await expect(page.getByTestId("now-budget")).toHaveText("-1900.0%");
    expect(consoleErrors).toEqual([]);
  });

});

test.describe("SLOs: a bad address", () => {
  test.use({ allowedHttpErrors: [404] });

  test("an unknown SLO says so", async ({ page, consoleErrors }) => {
    await page.goto("/ui/slos/shop/nope");
    await expect(page.getByTestId("slo-detail")).toHaveAttribute("data-state", "error");
    await expect(page.getByRole("alert")).toContainText('no SLO "nope" of service "shop"');
    expect(consoleErrors).toEqual([]);
  });
});
