// Incidents and on call against the real server: an incident's life from the UI
// (opened by hand, acknowledged, a note, a state change, a severity change, resolved,
// post-mortem edited with the server's preview, an action item added and done), the
// list with its filters and response-time breaches, what a reader without a token
// sees, and who is on call now and at a chosen time.
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test, WRITE_TOKEN } from "./fixtures";
import { ROTATION_START } from "./fixtures-incidents";

async function setToken(page: Page): Promise<void> {
  await page.getByRole("button", { name: "⚙ Settings" }).click();
  await page.getByLabel("API token").fill(WRITE_TOKEN);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("token-state")).toHaveText("a token is set");
  await page.getByRole("button", { name: "⚙ Settings" }).click();
}

async function openByApi(request: APIRequestContext, title: string, severity: string): Promise<number> {
  const resp = await request.post("/api/v1/incidents", {
    form: { title, severity },
    headers: { Authorization: `Bearer ${WRITE_TOKEN}` },
  });
  expect(resp.status(), await resp.text()).toBe(200);
  return (await resp.json()).data.id;
}

const timelineRow = (page: Page, text: string) => page.getByTestId("timeline").locator("tr", { hasText: text });

test.describe("Incidents", () => {
  test("opened by hand, acknowledged, noted, moved, re-rated, resolved, post-mortem and action items", async ({ page, consoleErrors }, info) => {
    const title = `Checkout failing ${Date.now()}`;
    await page.goto("/ui/incidents");
    await setToken(page);
    await page.getByTestId("open-incident").click();
    await expect(page).toHaveURL(/\/ui\/incidents\/new$/);
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Severity").selectOption("P2");
    await page.getByRole("button", { name: "Open incident" }).click();

    await expect(page).toHaveURL(/\/ui\/incidents\/\d+$/);
    const heading = page.getByTestId("incident-title");
    await expect(heading).toContainText(title);
    await expect(heading.locator("[data-severity]")).toHaveText("P2");
    await expect(heading.locator("[data-state]")).toHaveText("triggered");
    await expect(timelineRow(page, "P2 opened").locator(".actor")).toHaveText("ui-test");
    // The primary policy paged level 1 at once, through the "null" receiver.
    await expect(timelineRow(page, "via null").first()).toBeVisible();

    await page.getByTestId("acknowledge").click();
    await expect(heading.locator("[data-state]")).toHaveText("acknowledged");
    await expect(timelineRow(page, "triggered → acknowledged").locator(".actor")).toHaveText("ui-test");
    await expect(page.getByTestId("acknowledge")).toBeDisabled();

    await page.getByLabel("Note").fill("Rolled back deploy 4711");
    await page.getByTestId("add-note").click();
    await expect(timelineRow(page, "Rolled back deploy 4711").locator(".actor")).toHaveText("ui-test");

    await page.getByTestId("state-select").selectOption("investigating");
    await page.getByTestId("set-state").click();
    await expect(heading.locator("[data-state]")).toHaveText("investigating");

    await page.getByTestId("severity-select").selectOption("P1");
    await page.getByTestId("set-severity").click();
    await expect(heading.locator("[data-severity]")).toHaveText("P1");
    await expect(timelineRow(page, "P2 → P1")).toHaveCount(1);

    // Before resolution there is no post-mortem to edit.
    await expect(page.getByTestId("postmortem-editor")).toHaveCount(0);
    await page.getByTestId("resolve").click();
    await expect(heading.locator("[data-state]")).toHaveText("resolved");
    const editor = page.getByTestId("postmortem-editor");
    await expect(editor).toHaveValue(/# Post-mortem: incident \d+/);
    await expect(editor).toHaveValue(/Rolled back deploy 4711/);  // the draft's timeline

    await editor.fill("# Checkout outage\n\n## Root cause\n\nA **bad** deploy of the payment client.\n");
    await page.getByTestId("postmortem-preview-button").click();
    const preview = page.getByTestId("postmortem-preview");
    await expect(preview.locator("h1")).toHaveText("Checkout outage");
    await expect(preview.locator("strong")).toHaveText("bad");
    await page.getByTestId("postmortem-save").click();
    await expect(timelineRow(page, "post-mortem edited")).toHaveCount(1);

    await page.getByLabel("Action item", { exact: true }).fill("Alert on payment client errors");
    await page.getByLabel("Owner").fill("bob");
    await page.getByTestId("add-action-item").click();
    const item = page.getByTestId("action-items").locator("li[data-item]");
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute("data-done", "false");
    await expect(page.getByText("Action items (1 open of 1)")).toBeVisible();
    await item.getByRole("checkbox").check();
    await expect(item).toHaveAttribute("data-done", "true");
    await expect(page.getByText("Action items (0 open of 1)")).toBeVisible();

    // All of it was stored: a reload shows the saved post-mortem and the done item.
    await page.reload();
    await expect(page.getByTestId("postmortem-editor")).toHaveValue(/A \*\*bad\*\* deploy/);
    await expect(page.getByTestId("action-items").locator("li[data-item]")).toHaveAttribute("data-done", "true");
    await page.getByTestId("postmortem-preview-button").click();
    await expect(page.getByTestId("postmortem-preview").locator("h1")).toHaveText("Checkout outage");
    await page.screenshot({ path: info.outputPath("incident.png"), fullPage: true });

    // The list: resolved incidents only under "All", filters narrow it.
    await page.goto("/ui/incidents");
    await expect(page.getByTestId("incidents")).not.toContainText(title);
    await page.getByTestId("filter-show").selectOption("all");
    await expect(page).toHaveURL(/show=all/);
    const row = page.getByTestId("incidents").locator("tr", { hasText: title });
    await expect(row).toHaveAttribute("data-state", "resolved");
    await expect(row.locator("[data-severity]")).toHaveText("P1");
    await page.getByTestId("filter-severity").selectOption("P4");
    await expect(row).toHaveCount(0);
    await page.getByTestId("filter-severity").selectOption("P1");
    await page.getByTestId("filter-state").selectOption("resolved");
    await expect(row).toHaveCount(1);
    await page.reload();  // the filters round-trip through the URL
    await expect(page.getByTestId("filter-state")).toHaveValue("resolved");
    await expect(row).toHaveCount(1);
    await page.screenshot({ path: info.outputPath("incidents.png"), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  test("the list shows open incidents with severity, time open and response-time breaches", async ({ page, request, consoleErrors }) => {
    const title = `Search index stale ${Date.now()}`;
    const id = await openByApi(request, title, "P3");  // P3's response time is 1 s here
    await page.waitForTimeout(1500);
    await page.goto("/ui/incidents");
    const row = page.locator(`tr[data-incident="${id}"]`);
    await expect(row).toContainText(title);
    await expect(row.locator("[data-severity]")).toHaveText("P3");
    await expect(row.locator("[data-state]")).toHaveText("triggered");
    await expect(row.locator(".open-for")).toHaveText(/^\d+s$/);
    await expect(row.getByTestId("breach")).toHaveText("breached");
    await row.getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`/ui/incidents/${id}$`));
    await expect(page.getByTestId("breach")).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test("without a token the write controls are off and say why", async ({ page, request, consoleErrors }) => {
    const id = await openByApi(request, `Read-only check ${Date.now()}`, "P4");
    await page.goto(`/ui/incidents/${id}`);
    await expect(page.getByTestId("token-needed")).toContainText("needs a write token");
    await expect(page.getByTestId("acknowledge")).toBeDisabled();
    await expect(page.getByTestId("add-note")).toBeDisabled();
    await page.goto("/ui/incidents/new");
    await expect(page.getByTestId("token-needed")).toBeVisible();
    await expect(page.getByRole("button", { name: "Open incident" })).toBeDisabled();
    expect(consoleErrors).toEqual([]);
  });
});

// The first request `match` picks is fetched from the server at once (its answer is
// what the server says then) but handed to the page only after release(): what a slow
// network does to a refresh racing a click. Later requests pass straight through.
async function holdFirstAnswer(page: Page, match: (url: URL) => boolean) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let asked!: () => void;
  const fetched = new Promise<void>((r) => (asked = r));
  let done!: () => void;
  const delivered = new Promise<void>((r) => (done = r));
  let held = false;
  await page.route((url) => match(url), async (route) => {
    if (held) return route.continue();
    held = true;
    const resp = await route.fetch();
    asked();
    await gate;
    await route.fulfill({ response: resp });
    done();
  });
  return { fetched, release, delivered };
}

test.describe("Incidents: slow answers", () => {
  test("a refresh answered after Acknowledge does not put the old state back", async ({ page, request, consoleErrors }) => {
    const id = await openByApi(request, `Race ack ${Date.now()}`, "P3");
    await page.clock.install();
    await page.goto(`/ui/incidents/${id}`);
    await setToken(page);
    const state = page.getByTestId("incident-title").locator("[data-state]");
    await expect(state).toHaveText("triggered");
    const slow = await holdFirstAnswer(page, (u) => u.pathname === `/api/v1/incidents/${id}`);
    await page.clock.runFor(15_000);  // the page's refresh
    await slow.fetched;  // it saw "triggered"
    await page.getByTestId("acknowledge").click();
    await expect(state).toHaveText("acknowledged");
    slow.release();
    await slow.delivered;
    await page.waitForTimeout(300);
    // Read once, not retried: the next 15 s refresh would hide a wrong redraw.
    expect(await state.innerText()).toBe("acknowledged");
    expect(consoleErrors).toEqual([]);
  });

  test("an incident answered after leaving its page does not retitle the next page", async ({ page, request, consoleErrors }) => {
    const id = await openByApi(request, `Race title ${Date.now()}`, "P3");
    await page.goto("/ui/oncall");
    const slow = await holdFirstAnswer(page, (u) => u.pathname === `/api/v1/incidents/${id}`);
    await page.evaluate((path) => { history.pushState(null, "", path); dispatchEvent(new PopStateEvent("popstate")); }, `/ui/incidents/${id}`);
    await slow.fetched;
    await page.locator("a[data-nav]", { hasText: "On call" }).click();
    await expect(page).toHaveTitle("On call · hastewatch");
    slow.release();
    await slow.delivered;
    await page.waitForTimeout(300);
    expect(await page.title()).toBe("On call · hastewatch");
    expect(consoleErrors).toEqual([]);
  });

  test("All shows the newest incidents a page at a time, older ones on request", async ({ page, request, consoleErrors }) => {
    const tag = `Paging ${Date.now()}`;
    const ids: number[] = [];
    for (const n of [1, 2, 3]) ids.push(await openByApi(request, `${tag} #${n}`, "P4"));
    await page.goto("/ui/incidents?show=all&severity=P4&limit=2");
    const rows = page.getByTestId("incidents").locator("tr[data-incident]");
    await expect(rows).toHaveCount(2);
    await expect(page.locator(`tr[data-incident="${ids[2]}"]`)).toBeVisible();
    await expect(page.locator(`tr[data-incident="${ids[1]}"]`)).toBeVisible();
    await expect(page.locator(`tr[data-incident="${ids[0]}"]`)).toHaveCount(0);
    const older = page.getByTestId("show-older");
    await expect(older).toHaveText("Show 2 older");
    const answered = page.waitForResponse((r) => r.url().includes(`before=${ids[1]}`));
    await older.click();
    await answered;
    await expect(page.locator(`tr[data-incident="${ids[0]}"]`)).toBeVisible();
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    // The refresh keeps what was shown (it re-reads as many as are loaded).
    await page.getByRole("button", { name: "↻ Refresh" }).click();
    await expect(page.locator(`tr[data-incident="${ids[0]}"]`)).toBeVisible();
    for (const id of ids) {
      const r = await request.post(`/api/v1/incidents/${id}/resolve`, { headers: { Authorization: `Bearer ${WRITE_TOKEN}` } });
      expect(r.status()).toBe(200);
    }
    expect(consoleErrors).toEqual([]);
  });

  test("toggling Open → All → Open keeps the open list when the All answer comes last", async ({ page, request, consoleErrors }) => {
    const title = `Race list ${Date.now()}`;
    const id = await openByApi(request, title, "P3");
    const resolved = await request.post(`/api/v1/incidents/${id}/resolve`, { headers: { Authorization: `Bearer ${WRITE_TOKEN}` } });
    expect(resolved.status()).toBe(200);
    await page.goto("/ui/incidents");
    await expect(page.getByTestId("incidents")).not.toContainText("Loading");
    const slow = await holdFirstAnswer(page, (u) => u.pathname === "/api/v1/incidents" && !u.searchParams.has("open"));
    await page.getByTestId("filter-show").selectOption("all");
    await slow.fetched;
    const openAnswered = page.waitForResponse((r) => r.url().includes("/api/v1/incidents?open=true"));
    await page.getByTestId("filter-show").selectOption("open");
    await openAnswered;
    slow.release();
    await slow.delivered;
    await page.waitForTimeout(300);
    // Read once, not retried: the next 15 s refresh would hide a wrong redraw.
    expect(await page.getByTestId("incidents").innerText()).not.toContain(title);  // resolved: not in Open
    await page.getByTestId("filter-show").selectOption("all");
    await expect(page.getByTestId("incidents")).toContainText(title);
    expect(consoleErrors).toEqual([]);
  });
});

test.describe("On call", () => {
  test("who is on call now, the next handoffs, and at a chosen time", async ({ page, consoleErrors }, info) => {
    await page.goto("/ui/oncall");
    const now = page.getByTestId("oncall-now");
    const day = Math.floor((Date.now() - ROTATION_START) / 86400_000);
    await expect(now.locator('tr[data-schedule="primary"] .user')).toHaveText(day % 2 === 0 ? "alice" : "bob");
    await expect(now.locator('tr[data-schedule="secondary"] .user')).toHaveText("carol");  // the override
    // The daily rotation hands off within a day.
    await expect(now.locator('tr[data-schedule="primary"] .handoffs li').first()).toContainText(day % 2 === 0 ? "bob" : "alice");

    // 2 January 2024, 10:00 UTC: the rotation's second day, bob's.
    const local = await page.evaluate(() => {
      const d = new Date(Date.UTC(2024, 0, 2, 10, 0));
      const p = (n: number) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    });
    await page.getByTestId("oncall-time").fill(local);
    await page.getByTestId("oncall-show").click();
    const at = page.getByTestId("oncall-at");
    await expect(at.locator('tr[data-schedule="primary"] .user')).toHaveText("bob");
    await expect(at.locator('tr[data-schedule="secondary"] .user')).toHaveText("bob");  // before the override
    await expect(page).toHaveURL(/at=2024-01-0/);
    await page.screenshot({ path: info.outputPath("oncall.png"), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });
  test("Show pressed for two times: the later time's answer stays when the earlier one comes last", async ({ page, consoleErrors }) => {
    await page.goto("/ui/oncall");
    await expect(page.getByTestId("oncall-now").locator("tr[data-schedule]").first()).toBeVisible();
    // 2 and 3 January 2024, 10:00 UTC: bob's and then alice's day on the daily rotation.
    const [jan2, jan3] = await page.evaluate(() => [2, 3].map((day) => {
      const d = new Date(Date.UTC(2024, 0, day, 10, 0));
      const p = (n: number) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    }));
    const slow = await holdFirstAnswer(page, (u) => u.pathname === "/api/v1/oncall" && u.searchParams.has("time"));
    await page.getByTestId("oncall-time").fill(jan2);
    await page.getByTestId("oncall-show").click();
    await slow.fetched;
    await page.getByTestId("oncall-time").fill(jan3);
    await page.getByTestId("oncall-show").click();
    const at = page.getByTestId("oncall-at").locator('tr[data-schedule="primary"] .user');
    await expect(at).toHaveText("alice");
    slow.release();
    await slow.delivered;
    await page.waitForTimeout(300);
    expect(await at.innerText()).toBe("alice");  // not bob from the earlier, slower answer
    expect(consoleErrors).toEqual([]);
  });
});
