// Health: /health/ready (open) and /health/detailed (needs a token).
import { api, getToken } from "../api";
import { errorBox, h, replace } from "../dom";
import type { Page } from "../main";
import { formatSeconds } from "../time";
import { formatValue } from "../units";

interface Check {
  name: string;
  healthy: boolean;
  latency_ms?: number;
  error?: string;
}

function checks(list: Check[] | undefined): HTMLElement {
  return h("table", { class: "checks" },
    h("thead", null, h("tr", null, ["Check", "State", "Latency", "Error"].map((x) => h("th", null, x)))),
    h("tbody", null, (list ?? []).map((c) =>
      h("tr", { "data-check": c.name },
        h("td", null, c.name),
        h("td", null, h("span", { class: `badge ${c.healthy ? "up" : "down"}` }, c.healthy ? "healthy" : "unhealthy")),
        h("td", null, c.latency_ms === undefined ? "" : formatValue(c.latency_ms / 1000, "seconds")),
        h("td", { class: "error-text" }, c.error ?? "")))));
}

function kv(obj: Record<string, unknown>, units: Record<string, "bytes" | "seconds"> = {}): HTMLElement {
  return h("dl", { class: "kv" }, Object.entries(obj).flatMap(([k, v]) => [
    h("dt", null, k),
    h("dd", null, typeof v === "number" && units[k] ? formatValue(v, units[k]) : typeof v === "object" ? JSON.stringify(v) : String(v)),
  ]));
}

export function healthPage(): Page {
  const ready = h("div", { "data-testid": "ready" });
  const detailed = h("div", { "data-testid": "detailed" });
  const load = async () => {
    try {
      const r = await api.ready();
      replace(ready,
        h("p", null, h("span", { class: `badge ${r.status === 200 ? "up" : "down"}` }, r.body?.status ?? String(r.status))),
        checks(r.body?.checks));
    } catch (err) {
      replace(ready, errorBox(err));
    }
    if (!getToken()) {
      replace(detailed, h("p", { class: "muted" }, "/health/detailed needs a token: set one in Settings."));
      return;
    }
    try {
      const d = await api.detailed();
      const bytes = { rss_bytes: "bytes", heap_bytes: "bytes", virtual_bytes: "bytes", used_bytes: "bytes", free_bytes: "bytes", total_bytes: "bytes", block_bytes: "bytes" } as const;
      replace(detailed,
        h("p", null, `version ${d.version} · up ${formatSeconds(Math.round(d.uptime ?? 0))}`),
        h("div", { class: "cards" },
          ["memory", "process", "storage", "queues"].filter((k) => d[k]).map((k) =>
            h("div", { class: "card" }, h("h4", null, k), kv(d[k], bytes)))),
        checks(d.checks));
    } catch (err) {
      replace(detailed, errorBox(err));
    }
  };
  void load();
  return {
    el: h("div", null,
      h("div", { class: "toolbar" }, h("h2", null, "Health"), h("button", { type: "button", onclick: () => void load() }, "↻ Refresh")),
      h("section", null, h("h3", null, "Readiness (/health/ready)"), ready),
      h("section", null, h("h3", null, "Details (/health/detailed)"), detailed)),
  };
}
