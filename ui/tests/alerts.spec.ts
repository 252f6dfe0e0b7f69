// Alerts: rule alerts with their runbook, and a silence's life from the UI: created
// from the firing alert, previewed, edited (in place, then replaced), rejected by the
// server with its reason on the form, and expired.
import type { Page } from "@playwright/test";
import { expect, RUNBOOK, test, WRITE_TOKEN } from "./fixtures";

async function setToken(page: Page): Promise<void> {
  await page.getByRole("button", { name: "⚙ Settings" }).click();
  await page.getByLabel("API token").fill(WRITE_TOKEN);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("token-state")).toHaveText("a token is set");
  await page.getByRole("button", { name: "⚙ Settings" }).click();
}

// A local "YYYY-MM-DD HH:MM" `minutes` from now, rounded to the minute, as the
// browser formats it.
async function localTimeIn(page: Page, minutes: number): Promise<string> {
  return page.evaluate((m) => {
    const d = new Date(Date.now() + m * 60_000);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  }, minutes);
}

test.describe("Alerts", () => {
  test.use({ allowedHttpErrors: [400] }); // the server's answer to an invalid silence

  test("lists rule alerts with their runbook; a silence is created from an alert, edited and expired", async ({ page, consoleErrors }, info) => {
    await page.goto("/ui/alerts");
    const firing = page.locator('tr[data-alert="UiTestFiring"]');
    await expect(firing).toHaveAttribute("data-state", "firing");
    await expect(firing.getByRole("link", { name: /Runbook/ })).toHaveAttribute("href", RUNBOOK);
    await expect(page.locator('tr[data-alert="UiTestPending"]')).toHaveAttribute("data-state", "pending");
    await expect(firing).toHaveAttribute("data-silenced", "false");
    const form = page.getByTestId("silence-form");
    const result = page.getByTestId("silence-result");

    // Without a token the form says what is missing.
    await firing.getByRole("button", { name: "Silence…" }).click();
    await expect(page.getByLabel("matchers")).toHaveValue(/alertname="UiTestFiring"/);
    await page.getByLabel("comment").fill("browser test");
    await page.getByRole("button", { name: "Create silence" }).click();
    await expect(form).toContainText("needs a write token");

    await setToken(page);

    await page.locator('tr[data-alert="UiTestFiring"]').getByRole("button", { name: "Silence…" }).click();
    await expect(page.getByLabel("matchers")).toHaveValue('alertname="UiTestFiring", service="api", severity="critical"');
    // The preview shows the alert the matchers match, before saving.
    await expect(page.getByTestId("silence-preview").locator('li[data-alert="UiTestFiring"]')).toHaveCount(1);
    await page.getByLabel("comment").fill("browser test");
    await page.getByRole("button", { name: "Create silence" }).click();
    await expect(result).toContainText("created silence");
    const id = (await result.locator("[data-silence-id]").getAttribute("data-silence-id"))!;
    const silence = page.locator(`tr[data-silence="${id}"]`);
    await expect(silence).toHaveAttribute("data-state", "active");
    await expect(silence).toContainText('alertname="UiTestFiring"');
    await expect(silence.locator("td.matches")).toHaveText("1 alert");
    await expect(page.locator('tr[data-silence][data-state="active"]')).toHaveCount(1);
    // The notifier marks the alert silenced (at its next evaluation).
    await expect(async () => {
      await page.getByRole("button", { name: "↻ Refresh" }).click();
      await expect(page.locator('tr[data-alert="UiTestFiring"]')).toHaveAttribute("data-silenced", "true", { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await page.screenshot({ path: info.outputPath("alerts-silenced.png"), fullPage: true });

    // Edit: the form is prefilled; a new comment and end time keep the matchers and
    // start, so the server updates the silence in place (same id).
    await silence.getByRole("button", { name: "Edit…" }).click();
    await expect(form.locator("h3")).toContainText(`Edit silence ${id}`);
    await expect(page.getByLabel("matchers")).toHaveValue('alertname="UiTestFiring", service="api", severity="critical"');
    await expect(page.getByLabel("comment")).toHaveValue("browser test");
    await expect(page.getByLabel("created by")).toHaveValue("hastewatch UI");
    await expect(page.getByLabel("duration")).toHaveValue(/^(1h59m\d*s?|2h)$/);
    const newEnd = await localTimeIn(page, 3 * 60 + 7);
    await page.getByLabel("ends").fill(newEnd);
    await expect(page.getByLabel("duration")).toHaveValue(/^3h\d+m/); // follows the end typed in
    await page.getByLabel("comment").fill("edited by the browser test");
    await page.screenshot({ path: info.outputPath("silence-edit.png"), fullPage: true });
    await page.getByRole("button", { name: "Save silence" }).click();
    await expect(result).toContainText(`updated silence ${id} in place`);
    await expect(silence).toHaveAttribute("data-state", "active");
    await expect(silence.locator("td.comment")).toHaveText("edited by the browser test");
    await expect(silence.locator("td.ends")).toContainText(`${newEnd}:00`);
    await expect(form.locator("h3")).toHaveText("New silence");

    // Changing the matchers replaces it: the old one expires, a new one is made.
    await silence.getByRole("button", { name: "Edit…" }).click();
    await page.getByLabel("matchers").fill('alertname="UiTestFiring", severity=~"crit.*"');
    await expect(page.getByTestId("silence-preview").locator('li[data-alert="UiTestFiring"]')).toHaveCount(1);
    await page.getByRole("button", { name: "Save silence" }).click();
    await expect(result).toContainText(`silence ${id} expired`);
    const newId = (await result.locator("[data-silence-id]").getAttribute("data-silence-id"))!;
    expect(newId).not.toBe(id);
    await expect(silence).toHaveAttribute("data-state", "expired");
    const replaced = page.locator(`tr[data-silence="${newId}"]`);
    await expect(replaced).toHaveAttribute("data-state", "active");
    await expect(replaced.locator("td.matchers")).toHaveText('alertname="UiTestFiring", severity=~"crit.*"');
    await expect(replaced.locator("td.comment")).toHaveText("edited by the browser test");
    await expect(replaced.locator("td.ends")).toContainText(`${newEnd}:00`);
    // The notifier now names the new silence as the one holding the alert.
    await expect(async () => {
      await page.getByRole("button", { name: "↻ Refresh" }).click();
      await expect(page.locator('tr[data-alert="UiTestFiring"] .badge.silenced')).toHaveAttribute("title", `silenced by ${newId}`, { timeout: 1000 });
    }).toPass({ timeout: 20_000 });

    await replaced.getByRole("button", { name: "Expire" }).click();
    await expect(replaced).toHaveAttribute("data-state", "expired");
    await expect(replaced.getByRole("button", { name: "Expire" })).toHaveCount(0);

    // An expired silence can be recreated: same matchers and comment, from now.
    await silence.getByRole("button", { name: "Recreate…" }).click();
    await expect(form.locator("h3")).toContainText(`Recreate silence ${id}`);
    await expect(page.getByLabel("starts")).toHaveValue("now");
    await page.getByLabel("duration").fill("45m");
    await page.getByRole("button", { name: "Recreate silence" }).click();
    await expect(result).toContainText("recreated as silence");
    const thirdId = (await result.locator("[data-silence-id]").getAttribute("data-silence-id"))!;
    const recreated = page.locator(`tr[data-silence="${thirdId}"]`);
    await expect(recreated).toHaveAttribute("data-state", "active");
    await expect(recreated.locator("td.matchers")).toHaveText('alertname="UiTestFiring", service="api", severity="critical"');
    await expect(recreated.locator("td.ends")).toContainText("in 45m");
    await recreated.getByRole("button", { name: "Expire" }).click();
    await expect(recreated).toHaveAttribute("data-state", "expired");
    await expect(page.locator('tr[data-silence][data-state="active"]')).toHaveCount(0);
    await expect(async () => {
      await page.getByRole("button", { name: "↻ Refresh" }).click();
      await expect(page.locator('tr[data-alert="UiTestFiring"]')).toHaveAttribute("data-silenced", "false", { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await page.screenshot({ path: info.outputPath("alerts-expired.png"), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  test("the preview follows the matchers, and the server's validation errors show on the form", async ({ page, consoleErrors }, info) => {
    await page.goto("/ui/alerts");
    await page.evaluate((t) => localStorage.setItem("hastewatch.token", t), WRITE_TOKEN);
    await page.reload();
    await expect(page.locator('tr[data-alert="UiTestFiring"]')).toHaveAttribute("data-state", "firing");
    const matchers = page.getByLabel("matchers");
    const preview = page.getByTestId("silence-preview");
    const active = await page.locator('tr[data-silence][data-state="active"]').count();

    await matchers.fill('alertname="NoSuchAlert"');
    await expect(preview).toContainText("Matches none");
    await matchers.fill('alertname="UiTestFiring", service="web"'); // every matcher must match
    await expect(preview).toContainText("Matches none");
    await matchers.fill('severity!~"warn.*", service="api"');
    await expect(preview.locator('li[data-alert="UiTestFiring"]')).toHaveCount(1);
    await matchers.fill('service="api" severity="critical"');
    await expect(preview).toContainText('at character 15: expected "," between matchers');
    await matchers.fill('alertname=~"(UiTest"');
    await expect(preview).toContainText("invalid regex");

    // Valid to the UI, refused by the server: its reason is shown on the form.
    await matchers.fill('alertname=~".*"');
    await page.getByLabel("comment").fill("matches everything");
    await page.getByRole("button", { name: "Create silence" }).click();
    await expect(page.getByTestId("silence-result")).toContainText("at least one matcher must not match the empty string");
    await expect(page.getByTestId("silence-result")).not.toContainText('"silence'); // the JSON string's quotes are gone
    // The UI's own checks name the field.
    await matchers.fill('alertname="UiTestFiring"');
    await page.getByLabel("duration").fill("2x");
    await page.getByRole("button", { name: "Create silence" }).click();
    await expect(page.getByTestId("silence-result")).toContainText('cannot parse duration "2x"');
    await page.screenshot({ path: info.outputPath("silence-errors.png"), fullPage: true });
    await expect(page.locator('tr[data-silence][data-state="active"]')).toHaveCount(active);
    expect(consoleErrors).toEqual([]);
  });
});
