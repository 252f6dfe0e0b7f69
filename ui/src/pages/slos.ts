// SLOs: every SLO's state now (achieved, error budget, burn rates, projected
// exhaustion, burn-rate alerts) and the monthly compliance review of a picked month
// (the figures of `hastewatch slo report --month`). /ui/slos/<service>/<name> opens
// one SLO's charts (slo_detail.ts).
import { errorBox, h, link, replace } from "../dom";
import type { Page } from "../main";
import { formatDateTime } from "../time";
import { params, setParams } from "../url";
import { type MonthReport, type SloStatus, sloApi } from "./slo_api";
import { sloDetailPage } from "./slo_detail";
import { budgetBar, burnRate, dataSources, inTime, isMonth, monthOf, objectivePct, pct } from "./slo_format";
import { monthPicker } from "./slo_month_picker";

const REFRESH_MS = 30_000;

export function sloHref(service: string, slo: string, month = ""): string {
  const path = `/ui/slos/${encodeURIComponent(service)}/${encodeURIComponent(slo)}`;
  return month ? `${path}?month=${month}` : path;
}

export function slosPage(): Page {
  const parts = location.pathname.replace(/^\/ui\/slos\/?/, "").split("/").filter(Boolean);
  if (parts.length === 2) return sloDetailPage(decodeURIComponent(parts[0]), decodeURIComponent(parts[1]));
  if (parts.length) return { el: errorBox(`No SLO page at ${location.pathname}: open /ui/slos/<service>/<name>.`) };
  return sloListPage();
}

function th(...names: string[]): HTMLElement {
  return h("thead", null, h("tr", null, names.map((n) => h("th", null, n))));
}

function alertBadges(s: SloStatus): HTMLElement {
  if (!s.alerts.length) return h("span", { class: "muted" }, "none");
  return h("span", null, s.alerts.map((a) =>
    link("/ui/alerts", a.alert, { class: `badge ${a.state}`, title: `${a.state} since ${formatDateTime(Date.parse(a.activeAt))} (${a.severity})` })));
}

function exhaustion(s: SloStatus): HTMLElement {
  if (s.exhausted) return h("span", { class: "badge firing" }, "exhausted");
  if (s.exhaustionTime) {
    return h("span", { title: formatDateTime(Date.parse(s.exhaustionTime)) }, inTime(s.exhaustionTime));
  }
  return h("span", { class: "muted" }, s.totalEvents > 0 ? "not burning" : "–");
}

function statusTable(slos: SloStatus[], month: string): HTMLElement {
  if (!slos.length) return h("p", { class: "empty" }, "No SLOs are configured (the `slos` files of hastewatch.yml).");
  return h("table", { class: "slos", "data-testid": "slo-table" },
    th("Service", "SLO", "Objective", "Critical", "Window", "Achieved", "Error budget remaining", "Burn rate 1h", "Burn rate (window)", "Projected exhaustion", "Alerts"),
    h("tbody", null, slos.map((s) =>
      h("tr", { "data-slo": `${s.service}/${s.slo}`, class: s.exhausted || s.belowCritical ? "slo-bad" : "" },
        h("td", null, s.service),
        h("td", null, link(sloHref(s.service, s.slo, month), s.slo), s.description ? h("div", { class: "muted small" }, s.description) : null),
        h("td", { class: "num", "data-col": "objective" }, objectivePct(s.objective)),
        h("td", { class: "num", "data-col": "critical" }, objectivePct(s.criticalObjective)),
        h("td", { "data-col": "window" }, s.window),
        h("td", { class: "num", "data-col": "achieved", title: `${s.goodEvents.toFixed(0)} good of ${s.totalEvents.toFixed(0)} events since ${formatDateTime(Date.parse(s.windowStart))}` },
          pct(s.achieved, 3)),
        h("td", { "data-col": "budget" }, budgetBar(s.budgetRemaining)),
        h("td", { class: "num", "data-col": "burn1h" }, burnRate(s.burnRate1h)),
        h("td", { class: "num", "data-col": "burnWindow" }, burnRate(s.burnRateWindow)),
        h("td", { "data-col": "exhaustion" }, exhaustion(s)),
        h("td", { "data-col": "alerts" }, alertBadges(s))))));
}

function reportTable(r: MonthReport, month: string): HTMLElement {
  if (!r.slos.length) return h("p", { class: "empty" }, "No SLOs are configured.");
  return h("table", { class: "slos", "data-testid": "report-table" },
    th("Service", "SLO", "Objective", "Achieved", "Budget used", "Breaches", "Worst day", "Status", "Data"),
    h("tbody", null, r.slos.map((s) =>
      h("tr", { "data-report-slo": `${s.service}/${s.slo}`, "data-status": s.status },
        h("td", null, s.service),
        h("td", null, link(sloHref(s.service, s.slo, month), s.slo)),
        h("td", { class: "num" }, objectivePct(s.objective)),
        h("td", { class: "num", "data-col": "achieved" }, pct(s.achieved, 3)),
        h("td", { class: "num", "data-col": "used" }, s.totalEvents > 0 ? pct(s.budgetUsed, 1) : "–"),
        h("td", { class: "num", "data-col": "breaches", title: s.breachDays.join(" ") }, String(s.breaches)),
        h("td", { class: "num", "data-col": "worst" }, s.worstDay ? `${s.worstDay.date} (${pct(s.worstDay.achieved, 3)})` : "–"),
        h("td", { "data-col": "status" }, h("span", { class: `badge slo-${s.status.replace(" ", "-")}` }, s.status)),
        h("td", { class: "muted", "data-col": "data", title: s.noDataDays.join(" ") }, dataSources(s))))));
}

function sloListPage(): Page {
  const p = params();
  let month = isMonth(p.get("month")) ? p.get("month")! : monthOf(Date.now());
  const now = h("div", { "data-testid": "slo-status", "data-state": "loading" }, h("p", { class: "muted" }, "Loading…"));
  const reportBody = h("div", { "data-testid": "slo-report", "data-state": "loading" });
  const pickerSlot = h("span");
  const reportInfo = h("span", { class: "muted", "data-testid": "report-info" });
  const jsonLink = h("a", { class: "panel-link", title: "the review as JSON (also: hastewatch slo report --month)" }, "JSON");
  let controller: AbortController | null = null;

  const loadStatus = async () => {
    try {
      const { slos } = await sloApi.list();
      replace(now, statusTable(slos, ""));
      now.dataset.state = "ok";
    } catch (err) {
      replace(now, errorBox(err));
      now.dataset.state = "error";
    }
  };
  const loadReport = async () => {
    controller?.abort();
    controller = new AbortController();
    reportBody.dataset.state = "loading";
    reportBody.classList.add("loading");
    jsonLink.href = `/api/v1/slos/report?month=${month}`;
    try {
      const r = await sloApi.report(month, controller.signal);
      reportInfo.textContent = `${r.start.slice(0, 10)} to ${r.end.slice(0, 10)} UTC` +
        (r.complete ? "" : `, in progress at ${formatDateTime(Date.parse(r.evaluatedAt))}`);
      replace(reportBody, reportTable(r, month));
      reportBody.dataset.state = "ok";
      reportBody.dataset.month = r.month;
    } catch (err) {
      if ((err as Error).name === "AbortError") return;
      replace(reportBody, errorBox(err));
      reportBody.dataset.state = "error";
    } finally {
      reportBody.classList.remove("loading");
    }
  };
  const pick = (m: string) => {
    month = m;
    const q = params();
    q.set("month", m);
    setParams(q);
    replace(pickerSlot, monthPicker(month, pick));
    void loadReport();
  };
  replace(pickerSlot, monthPicker(month, pick));
  void loadStatus();
  void loadReport();
  const timer = window.setInterval(() => document.visibilityState === "visible" && void loadStatus(), REFRESH_MS);

  const el = h("div", { class: "slo-page" },
    h("div", { class: "toolbar" }, h("h2", null, "SLOs"),
      h("span", { class: "muted" }, "now, over each SLO's window; burn rate 1× spends the budget in exactly the window"),
      h("button", { type: "button", onclick: () => void loadStatus() }, "↻ Refresh")),
    now,
    h("section", { class: "slo-review" },
      h("div", { class: "toolbar" }, h("h3", null, "Monthly compliance review"), pickerSlot, reportInfo,
        jsonLink),
      reportBody));
  return { el, destroy: () => { window.clearInterval(timer); controller?.abort(); } };
}
