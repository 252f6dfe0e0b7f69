// Browser tests against a real hastewatch serving this UI (tests/global-setup.ts
// starts it with remote-written data). Chromium is Debian's (/usr/bin/chromium, or CHROMIUM_PATH): Playwright never
// downloads a browser.
import { defineConfig } from "@playwright/test";

// Chosen here so that the runner and its workers agree on it (workers inherit env).
process.env.HW_UI_PORT ??= String(20000 + Math.floor(Math.random() * 20000));

export default defineConfig({
  testDir: "tests",
  testMatch: "*.spec.ts",
  globalSetup: "./tests/global-setup.ts",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1, // a 2-core machine shared with the server under test
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${process.env.HW_UI_PORT}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-dev-shm-usage"],
    },
    viewport: { width: 1440, height: 900 },
    screenshot: "only-on-failure",
    trace: "off",
  },
});
