// One SLO over its budget window (or a picked month): the SLI per step against the
// objective and the error budget remaining as it was spent, from
// GET /api/v1/slos/<service>/<name>/history, with the state now and links to its
// generated rules and alerts.
import { errorBox, h, link, replace } from "../dom";
import type { Page } from "../main";
import { formatDateTime } from "../time";
import { params, setParams } from "../url";
import { type SloHistory, type SloStatus, sloApi } from "./slo_api";
import { SloChart, type SloSeries } from "./slo_chart";
import { budgetBar, burnRate, inTime, isMonth, objectivePct, pct } from "./slo_format";
import { monthPicker } from "./slo_month_picker";

const OBJECTIVE_COLOR = "#dc2626";
const CRITICAL_COLOR = "#7f1d1d";

function stepName(seconds: number): string {
  if (seconds === 86_400) return "day";
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  return `${seconds / 60}m`;
}

// Unix seconds of each step's start (SLI: the step it measures) or end (budget: as
// it stood then).
function series(hist: SloHistory, at: "start" | "end", name: string, value: (i: number) => number | null): SloSeries {
  return {
    name,
    x: hist.points.map((p) => Date.parse(p[at]) / 1000),
    values: hist.points.map((_, i) => value(i)),
  };
}

function chartPanel(title: string, help: string, testid: string): { el: HTMLElement; body: HTMLElement; status: HTMLElement } {
  const body = h("div", { class: "panel-body" });
  const status = h("div", { class: "panel-status" });
  const el = h("section", { class: "panel slo-chart", style: "grid-column: span 6", "data-testid": testid, "data-state": "loading" },
    h("div", { class: "panel-head" }, h("h3", { title: help }, title)), status, body);
  return { el, body, status };
}

function kv(rows: [string, string | Node, string?][]): HTMLElement {
  return h("dl", { class: "kv" }, rows.map(([k, v, id]) => [h("dt", null, k), h("dd", id ? { "data-testid": id } : null, v)]));
}

function nowCard(s: SloStatus): HTMLElement {
  const exhaustion = s.exhausted ? "exhausted" : s.exhaustionTime ? `${inTime(s.exhaustionTime)} (${formatDateTime(Date.parse(s.exhaustionTime))})` : "not burning";
  return h("div", { class: "card" },
    h("h4", null, `Now, over the ${s.window === "calendar month" ? "month so far" : `last ${s.window}`}`),
    kv([
      ["achieved", pct(s.achieved, 3), "now-achieved"],
      ["budget remaining", budgetBar(s.budgetRemaining), "now-budget"],
      ["burn rate 1h", burnRate(s.burnRate1h), "now-burn1h"],
      ["burn rate (window)", burnRate(s.burnRateWindow)],
      ["projected exhaustion", exhaustion],
      ["alerts", s.alerts.length ? h("span", null, s.alerts.map((a) => link("/ui/alerts", a.alert, { class: `badge ${a.state}` }))) : "none", "now-alerts"],
    ]));
}

function spanCard(hist: SloHistory): HTMLElement {
  return h("div", { class: "card" },
    h("h4", null, `${hist.start.slice(0, 10)} to ${hist.end.slice(0, 16).replace("T", " ")} UTC`),
    kv([
      ["achieved", pct(hist.span.achieved, 3), "span-achieved"],
      ["events", `${hist.span.goodEvents.toFixed(0)} good of ${hist.span.totalEvents.toFixed(0)}`],
      ["budget used", hist.span.totalEvents > 0 ? pct(hist.span.budgetUsed, 1) : "–", "span-used"],
      ["burn rate", burnRate(hist.span.burnRate)],
      ...(hist.storedPoints
        ? [["from history", `${hist.storedPoints} of ${hist.points.length} steps (state.db: older than the TSDB's retention)`, "span-stored"] as [string, string, string]]
        : []),
    ]));
}

function specCard(hist: SloHistory): HTMLElement {
  const explore = new URLSearchParams({
    expr: `slo:sli_error:ratio_rate1h{service="${hist.service}", slo="${hist.slo}"}`, tab: "graph", from: "now-24h", to: "now",
  });
  return h("div", { class: "card" },
    h("h4", null, "Objective"),
    kv([
      ["objective", `${objectivePct(hist.objective)} ${hist.sli === "latency" ? "of requests within the threshold" : "good events"}`],
      ["critical", objectivePct(hist.criticalObjective)],
      ["window", hist.window],
      ["rules", h("span", null,
        link(`/ui/explore?${explore}`, "error ratio in Explore"), " · ",
        link("/ui/alerts", "alerts"), " · ",
        h("a", { href: "/api/v1/rules?type=alert", title: `group ${hist.current.ruleGroup}` }, "generated rules"))],
    ]));
}

function breachTable(hist: SloHistory): HTMLElement | null {
  const below = hist.points.filter((p) => p.sli !== null && p.sli < hist.objective);
  if (!below.length) return h("p", { class: "muted", "data-testid": "breaches" }, `No ${stepName(hist.step)} below the objective.`);
  return h("table", { class: "slos", "data-testid": "breaches" },
    h("thead", null, h("tr", null, ["Below the objective", "SLI", "Events"].map((x) => h("th", null, x)))),
    h("tbody", null, below.map((p) =>
      h("tr", null,
        h("td", null, hist.step === 86_400 ? p.start.slice(0, 10) : formatDateTime(Date.parse(p.start))),
        h("td", { class: "num" }, pct(p.sli, 3)),
        h("td", { class: "num" }, `${(p.totalEvents - p.goodEvents).toFixed(0)} bad of ${p.totalEvents.toFixed(0)}`)))));
}

export function sloDetailPage(service: string, slo: string): Page {
  let month = isMonth(params().get("month")) ? params().get("month")! : "";
  const title = h("h2", null, `${service} / ${slo}`);
  const description = h("p", { class: "muted" });
  const cards = h("div", { class: "cards", "data-testid": "slo-cards" });
  const sli = chartPanel("SLI per step", "good events / events in each step; the dashed line is the objective", "sli-chart");
  const budget = chartPanel("Error budget remaining", "1 − bad events / allowed bad events, counted from the start of the span; below 0 the budget is overspent", "budget-chart");
  const breaches = h("div");
  const pickerSlot = h("span");
  const state = h("div", { "data-testid": "slo-detail", "data-state": "loading" });
  let sliChart: SloChart | null = null;
  let budgetChart: SloChart | null = null;
  let controller: AbortController | null = null;
  let destroyed = false;
  const back = link("/ui/slos", "← SLOs");
  const setBack = () => (back.href = `/ui/slos${month ? `?month=${month}` : ""}`);
  setBack();

  const load = async () => {
    if (destroyed) return; // the first load waits a frame: the page may be gone by then
    controller?.abort();
    controller = new AbortController();
    state.dataset.state = "loading";
    try {
      const hist = await sloApi.history(service, slo, month, controller.signal);
      if (destroyed) return;
      description.textContent = hist.description;
      replace(cards, specCard(hist), spanCard(hist), nowCard(hist.current));
      // The objective lines are fixed per SLO: build the charts once.
      sliChart ??= new SloChart(sli.body, 3, [
        { value: hist.objective, color: OBJECTIVE_COLOR },
        ...(hist.criticalObjective ? [{ value: hist.criticalObjective, color: CRITICAL_COLOR }] : []),
      ], [1]);
      // From a full budget (100%) to empty (0, the line) and below.
      budgetChart ??= new SloChart(budget.body, 1, [{ value: 0, color: OBJECTIVE_COLOR }], [1]);
      sli.el.querySelector("h3")!.textContent = `SLI per ${stepName(hist.step)} (objective ${objectivePct(hist.objective)})`;
      sliChart.setData(series(hist, "start", "SLI", (i) => hist.points[i].sli));
      budgetChart.setData(series(hist, "end", "budget remaining", (i) => hist.points[i].budgetRemaining));
      const events = hist.points.some((p) => p.totalEvents > 0);
      for (const p of [sli, budget]) {
        replace(p.status, events ? null : h("div", { class: "empty" }, "No events in this span."));
        p.el.dataset.state = events ? "ok" : "empty";
      }
      replace(breaches, breachTable(hist));
      replace(state); // an earlier failure's message goes
      state.dataset.state = "ok";
    } catch (err) {
      if ((err as Error).name === "AbortError") return;
      replace(state, errorBox(err));
      state.dataset.state = "error";
    }
  };
  const windowButton = h("button", { type: "button", title: "the SLO's own budget window, up to now" }, "Budget window");
  const pick = (m: string) => {
    month = m;
    const q = params();
    if (m) q.set("month", m);
    else q.delete("month");
    // setParams would leave a bare "?" behind.
    if ([...q.keys()].length) setParams(q);
    else history.replaceState(null, "", location.pathname);
    replace(pickerSlot, monthPicker(month, pick, windowButton));
    windowButton.classList.toggle("active", !month);
    setBack();
    void load();
  };
  windowButton.addEventListener("click", () => pick(""));
  replace(pickerSlot, monthPicker(month, pick, windowButton));
  windowButton.classList.toggle("active", !month);

  const el = h("div", { class: "slo-detail" },
    h("div", { class: "toolbar" }, back, title, pickerSlot),
    description, state, cards,
    h("div", { class: "grid" },
      sli.el, budget.el),
    breaches);
  // After the first layout, so the charts know their width.
  requestAnimationFrame(() => void load());
  return {
    el,
    destroy: () => {
      destroyed = true;
      controller?.abort();
      sliChart?.destroy();
      budgetChart?.destroy();
    },
  };
}
