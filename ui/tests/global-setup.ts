// Starts hastewatch (HASTEWATCH_BIN, default ../build/hastewatch) on HW_UI_PORT with
// a temp config (a rule that fires, a scrape target, a write token) and this dist/ as
// its UI (HASTEWATCH_UI_DIR), and remote-writes the overview's data: the browser talks
// to hastewatch alone, as users do.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { config, overviewData, RULES, WRITE_TOKEN } from "./fixtures";
import { dashboardData, writeTestDashboards } from "./fixtures-dashboards";
import { writeSloData } from "./fixtures-slo";
import { remoteWrite } from "./remote-write";

const uiDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(uiDir, "..");

async function waitReady(url: string, proc: ChildProcess, stderr: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`hastewatch exited ${proc.exitCode}: ${readFileSync(stderr, "utf8")}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`hastewatch did not become ready: ${readFileSync(stderr, "utf8")}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bin = resolve(repo, process.env.HASTEWATCH_BIN ?? "build/hastewatch");
  if (!existsSync(bin)) throw new Error(`no hastewatch binary at ${bin}: build it or set HASTEWATCH_BIN`);
  // HW_UI_DIST lets several people test their own builds side by side (vite build --outDir).
  const dist = resolve(uiDir, process.env.HW_UI_DIST ?? "dist");
  if (!existsSync(join(dist, "index.html"))) throw new Error(`${dist} is not built: run npm run build`);
  const tmp = mkdtempSync(join(tmpdir(), "hw-ui-test-"));
  const port = Number(process.env.HW_UI_PORT);
  writeFileSync(join(tmp, "hastewatch.yml"), config(port));
  writeFileSync(join(tmp, "rules.yml"), RULES);
  writeTestDashboards(tmp);
  const stderr = join(tmp, "stderr.log");
  const proc = spawn(bin, ["serve", "--config", join(tmp, "hastewatch.yml"), "--data", join(tmp, "data"), "--listen", `127.0.0.1:${port}`], {
    stdio: ["ignore", openSync(join(tmp, "stdout.log"), "w"), openSync(stderr, "w")],
    env: { ...process.env, HASTEWATCH_UI_DIR: dist },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, proc, stderr);
  await remoteWrite(url, overviewData(), WRITE_TOKEN);
  await remoteWrite(url, dashboardData(), WRITE_TOKEN);
  await writeSloData(url, WRITE_TOKEN);

  process.env.HASTEWATCH_URL = url;
  console.log(`hastewatch ${url} (logs in ${tmp}); UI on ${url}/ui/`);

  return async () => {
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (proc.exitCode === null) proc.kill("SIGKILL");
    if (!process.env.KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
  };
}
