// Targets: every scrape target by pool, with health, last scrape, its duration and
// last error (/api/v1/targets).
import { api, type Target } from "../api";
import { errorBox, h, labelChips, replace, safeUrl } from "../dom";
import type { Page } from "../main";
import { formatAgo } from "../time";
import { formatValue } from "../units";

export function targetsPage(): Page {
  const body = h("div", null, h("p", { class: "muted" }, "Loading…"));
  const load = async () => {
    try {
      const { activeTargets } = await api.targets();
      const pools = new Map<string, Target[]>();
      for (const t of activeTargets) pools.set(t.scrapePool, [...(pools.get(t.scrapePool) ?? []), t]);
      if (!pools.size) {
        replace(body, h("p", { class: "empty" }, "No scrape targets are configured (scrape_configs)."));
        return;
      }
      replace(body, [...pools.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([pool, ts]) => {
        const up = ts.filter((t) => t.health === "up").length;
        return h("section", { class: "pool", "data-pool": pool },
          h("h3", null, pool, h("span", { class: `muted` }, ` (${up}/${ts.length} up)`)),
          h("table", { class: "targets" },
            h("thead", null, h("tr", null, ["Endpoint", "State", "Labels", "Last scrape", "Duration", "Error"].map((x) => h("th", null, x)))),
            h("tbody", null, ts.map((t) => {
              const url = safeUrl(t.scrapeUrl);
              return h("tr", { "data-target": t.scrapeUrl, "data-health": t.health },
                h("td", null, url ? h("a", { href: url, target: "_blank", rel: "noopener" }, t.scrapeUrl) : t.scrapeUrl),
                h("td", null, h("span", { class: `badge ${t.health}` }, t.health)),
                h("td", null, labelChips(t.labels)),
                h("td", null, formatAgo(t.lastScrape)),
                h("td", null, formatValue(t.lastScrapeDuration, "seconds")),
                h("td", { class: "error-text" }, t.lastError));
            }))));
      }));
    } catch (err) {
      replace(body, errorBox(err));
    }
  };
  void load();
  const timer = window.setInterval(() => document.visibilityState === "visible" && void load(), 10_000);
  return {
    el: h("div", null, h("div", { class: "toolbar" }, h("h2", null, "Targets"), h("button", { type: "button", onclick: () => void load() }, "↻ Refresh")), body),
    destroy: () => window.clearInterval(timer),
  };
}
