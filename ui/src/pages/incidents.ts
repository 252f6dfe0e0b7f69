// Incidents: the list (/ui/incidents, filters in the URL: ?show=all&severity=P1&state=
// triggered; "All" loads the newest ?limit= (100) and pages back on "Show older"), one incident (/ui/incidents/<id>: incident_detail.ts) and the form to
// open one by hand (/ui/incidents/new: incident_new.ts).
import { errorBox, h, link, replace } from "../dom";
import type { Page } from "../main";
import { formatDateTime } from "../time";
import { params, setParams } from "../url";
import { incidentDetailPage } from "./incident_detail";
import { humanDuration, type Incident, incidentsApi, isOpen, Latest, SEVERITIES, severityBadge, stateBadge, STATES } from "./incident_api";
import { incidentNewPage } from "./incident_new";

export function incidentsPage(): Page {
  const rest = location.pathname.replace(/^\/ui\/incidents\/?/, "");
  if (rest === "new") return incidentNewPage();
  if (/^\d+$/.test(rest)) return incidentDetailPage(Number(rest));
  return incidentListPage();
}

function select(testid: string, value: string, options: [string, string][], onchange: (v: string) => void): HTMLSelectElement {
  const el = h("select", { "data-testid": testid, "aria-label": testid.replace("filter-", "") },
    options.map(([v, label]) => h("option", { value: v }, label)));
  el.value = value;
  el.addEventListener("change", () => onchange(el.value));
  return el;
}

// Time to acknowledge against the severity's response time.
function responseCell(inc: Incident, now: number): HTMLElement {
  const limit = humanDuration(inc.response_time_ms);
  const took = inc.acknowledged_ms ? humanDuration(inc.acknowledged_ms - inc.opened_ms) : "";
  return h("td", { class: "response", title: `response time ${limit}` },
    inc.response_breached ? h("span", { class: "badge breach", "data-testid": "breach" }, "breached") : null,
    took ? `ack after ${took}` : inc.state === "triggered" && !inc.resolved_ms ? `unacknowledged ${humanDuration(now - inc.opened_ms)}` : "–",
    h("div", { class: "muted" }, `limit ${limit}`));
}

const PAGE = 100;

function incidentListPage(): Page {
  const p = params();
  const filter = { show: p.get("show") ?? "open", severity: p.get("severity") ?? "", state: p.get("state") ?? "" };
  const pageSize = Math.min(1000, Math.max(1, Number(p.get("limit")) || PAGE));
  const listEl = h("div", { "data-testid": "incidents" }, h("p", { class: "muted" }, "Loading…"));
  // "All": what has been loaded so far (newest first), and whether older ones remain.
  let loaded: Incident[] = [];
  let more = false;
  const update = (key: keyof typeof filter, v: string) => {
    filter[key] = v;
    loaded = [];
    const q = params();
    for (const [k, val] of Object.entries(filter)) {
      if (val && !(k === "show" && val === "open")) q.set(k, val);
      else q.delete(k);
    }
    setParams(q);
    void load();
  };
  const olderButton = () => more
    ? h("p", null, h("button", { type: "button", "data-testid": "show-older", onclick: () => void loadOlder() },
      `Show ${pageSize} older`))
    : null;
  const render = (all: Incident[]) => {
    const now = Date.now();
    const rows = [...all]
      .sort((a, b) => Number(isOpen(b)) - Number(isOpen(a)) || a.severity - b.severity || b.opened_ms - a.opened_ms);
    if (!rows.length) {
      replace(listEl, h("p", { class: "empty" }, filter.show === "open" ? "No open incidents." : "No incidents."));
      return;
    }
    replace(listEl, h("table", { class: "incidents" },
      h("thead", null, h("tr", null, ["Severity", "Incident", "State", "Opened", "Open for", "Response"].map((t) => h("th", null, t)))),
      h("tbody", null, rows.map((i) => {
        const end = i.resolved_ms || now;
        return h("tr", { "data-incident": String(i.id), "data-state": i.state },
          h("td", null, severityBadge(i.severity)),
          h("td", null, link(`/ui/incidents/${i.id}`, `#${i.id} ${i.title}`), i.test ? h("span", { class: "badge test" }, "TEST") : null,
            i.alerts.length ? h("div", { class: "muted" }, `${i.alerts.length} alert${i.alerts.length === 1 ? "" : "s"}`) : null),
          h("td", null, stateBadge(i.state)),
          h("td", { title: formatDateTime(i.opened_ms) }, formatDateTime(i.opened_ms), h("div", { class: "muted" }, `by ${i.opened_by}`)),
          h("td", { class: "open-for" }, i.resolved_ms ? `${humanDuration(end - i.opened_ms)} (resolved)` : humanDuration(end - i.opened_ms)),
          responseCell(i, now));
      }))), olderButton());
  };
  // Open/All toggled quickly: only the newest answer is drawn (an older, slower one
  // would show the other filter's list), and none once the page is left.
  const latest = new Latest();
  const query = () => ({ open: filter.show !== "all", severity: filter.severity, state: filter.state });
  // A refresh re-reads as many as are shown (at least a page), so "Show older" sticks.
  const load = async () => {
    const isCurrent = latest.ticket();
    try {
      if (filter.show !== "all") {
        const list = await incidentsApi.list(query());
        if (isCurrent()) render(list);
        return;
      }
      const limit = Math.min(1000, Math.max(pageSize, loaded.length));
      const list = await incidentsApi.list({ ...query(), limit });
      if (!isCurrent()) return;
      loaded = list;
      more = list.length === limit;
      render(loaded);
    } catch (err) {
      if (isCurrent()) replace(listEl, errorBox(err));
    }
  };
  const loadOlder = async () => {
    const isCurrent = latest.ticket();
    try {
      const before = Math.min(...loaded.map((i) => i.id));
      const list = await incidentsApi.list({ ...query(), limit: pageSize, before });
      if (!isCurrent()) return;
      loaded = [...loaded, ...list];
      more = list.length === pageSize;
      render(loaded);
    } catch (err) {
      if (isCurrent()) replace(listEl, errorBox(err));
    }
  };
  void load();
  const timer = window.setInterval(() => {
    if (document.visibilityState === "visible") void load();
  }, 15_000);
  const el = h("div", { class: "incidents-page" },
    h("div", { class: "toolbar" },
      h("h2", null, "Incidents"),
      select("filter-show", filter.show, [["open", "Open"], ["all", "All"]], (v) => update("show", v)),
      select("filter-severity", filter.severity, [["", "Any severity"], ...SEVERITIES.map((s): [string, string] => [s, s])], (v) => update("severity", v)),
      select("filter-state", filter.state, [["", "Any state"], ...STATES.map((s): [string, string] => [s, s.replace("_", " ")])], (v) => update("state", v)),
      h("div", null,
        link("/ui/incidents/new", "Open incident…", { class: "button", "data-testid": "open-incident" }),
        " ",
        h("button", { type: "button", onclick: () => void load() }, "↻ Refresh"))),
    listEl);
  return {
    el,
    destroy: () => {
      window.clearInterval(timer);
      latest.destroy();
    },
  };
}
