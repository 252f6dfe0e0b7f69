// One incident (/ui/incidents/<id>): summary, attached alerts, timeline, responder
// actions (acknowledge, state, severity, resolve, notes), and once resolved the
// post-mortem editor (markdown with the server's preview) and its action items
// (incident_postmortem.ts). Every action answers the incident, which is redrawn.
import { errorBox, h, labelChips, link, replace } from "../dom";
import type { Page } from "../main";
import { formatDateTime } from "../time";
import { humanDuration, type Incident, incidentsApi, isOpen, Latest, needsToken, SEVERITIES, severityBadge, stateBadge, STATES } from "./incident_api";
import { postmortemSection } from "./incident_postmortem";

function summary(inc: Incident, now: number): HTMLElement {
  const end = inc.resolved_ms || now;
  const row = (k: string, v: Node | string, testid?: string) => [h("dt", null, k), h("dd", testid ? { "data-testid": testid } : null, v)];
  const esc = inc.escalation;
  const last = inc.pages[inc.pages.length - 1];
  return h("dl", { class: "incident-summary" },
    row("Opened", `${formatDateTime(inc.opened_ms)} by ${inc.opened_by}`),
    row(inc.resolved_ms ? "Took" : "Open for", humanDuration(end - inc.opened_ms), "open-for"),
    row("Acknowledged", inc.acknowledged_ms ? `after ${humanDuration(inc.acknowledged_ms - inc.opened_ms)}` : "not yet"),
    row("Response time", h("span", null, humanDuration(inc.response_time_ms),
      inc.response_breached ? h("span", { class: "badge breach", "data-testid": "breach" }, "breached") : null)),
    inc.resolved_ms ? row("Resolved", formatDateTime(inc.resolved_ms)) : null,
    row("Escalation", inc.policy
      ? `${inc.policy.name}: ${last ? `level ${last.level} paged ${last.users.join(", ") || "nobody"} via ${last.receivers.join(", ") || "nobody"}${last.error ? ` (FAILED: ${last.error})` : ""}` : "not paged yet"}${esc.next_due_ms && inc.state === "triggered" ? `; next page ${formatDateTime(esc.next_due_ms)}` : ""}${esc.exhausted ? "; policy exhausted" : ""}`
      : "no escalation policy"),
    inc.group_key ? row("Alert group", h("code", null, inc.group_key)) : null);
}

// The states the server accepts next (incident.h): forward, or back to triggered from acknowledged.
function nextStates(inc: Incident): string[] {
  const at = STATES.indexOf(inc.state);
  if (inc.state === "postmortem_done") return [];
  if (inc.state === "resolved") return ["postmortem_done"];
  return STATES.filter((s, i) => (i > at && s !== "postmortem_done") || (s === "triggered" && inc.state === "acknowledged"));
}

export function incidentDetailPage(id: number): Page {
  const el = h("div", { class: "incident-page" }, h("p", { class: "muted" }, "Loading…"));
  let current: Incident | null = null;
  // Writes and refreshes race: only the newest answer is drawn, and none once left.
  const latest = new Latest();
  let writing = 0;
  // A write's answer is newer than any refresh already on its way: those are dropped.
  const drawWritten = (inc: Incident) => {
    latest.ticket();
    if (latest.alive) render(inc);
  };
  const pm = postmortemSection(drawWritten);

  // Runs one write, then redraws with the incident it answers; errors show by the
  // control. The ticket is taken when the answer arrives: a write that fails must not
  // drop the answer of an earlier one that succeeded.
  const act = async (btn: HTMLButtonElement, call: () => Promise<Incident>, errorsEl: HTMLElement) => {
    btn.disabled = true;
    errorsEl.replaceChildren();
    writing++;
    try {
      drawWritten(await call());
    } catch (err) {
      btn.disabled = false;
      if (latest.alive) errorsEl.append(errorBox(err));
    } finally {
      writing--;
    }
  };

  const actions = (inc: Incident): HTMLElement => {
    const notice = needsToken("Acting on an incident");
    const errors = h("div", { "data-testid": "action-errors" });
    const ro = Boolean(notice);
    const states = nextStates(inc);
    const stateSel = h("select", { "aria-label": "New state", "data-testid": "state-select", disabled: ro || !states.length },
      states.map((s) => h("option", { value: s }, s.replace("_", " "))));
    const sevSel = h("select", { "aria-label": "New severity", "data-testid": "severity-select", disabled: ro },
      SEVERITIES.map((s) => h("option", { value: s }, s)));
    sevSel.value = `P${inc.severity}`;
    const note = h("textarea", { rows: 2, cols: 60, placeholder: "What you found or did", "aria-label": "Note", disabled: ro });
    const button = (label: string, testid: string, call: () => Promise<Incident>, enabled = true) => {
      const b = h("button", { type: "button", "data-testid": testid, disabled: ro || !enabled }, label);
      b.addEventListener("click", () => void act(b, call, errors));
      return b;
    };
    return h("section", { class: "incident-actions" },
      h("h3", null, "Respond"),
      notice,
      h("div", { class: "row" },
        button("Acknowledge", "acknowledge", () => incidentsApi.acknowledge(inc.id), inc.state === "triggered"),
        h("span", { class: "group" }, stateSel, button("Set state", "set-state", () => incidentsApi.setState(inc.id, stateSel.value), states.length > 0)),
        h("span", { class: "group" }, sevSel, button("Change severity", "set-severity", () => incidentsApi.setSeverity(inc.id, sevSel.value))),
        button("Resolve", "resolve", () => incidentsApi.resolve(inc.id), isOpen(inc))),
      h("div", { class: "row" },
        note,
        button("Add note", "add-note", () => {
          const text = note.value.trim();
          return text ? incidentsApi.addNote(inc.id, text) : Promise.reject(new Error("Write a note first."));
        })),
      errors);
  };

  const alerts = (inc: Incident): HTMLElement =>
    h("section", null, h("h3", null, `Alerts (${inc.alerts.length})`),
      inc.alerts.length
        ? h("table", { class: "incident-alerts" },
            h("thead", null, h("tr", null, ["Alert", "Labels", "First seen", "Status"].map((t) => h("th", null, t)))),
            h("tbody", null, inc.alerts.map((a) => h("tr", null,
              h("td", null, h("strong", null, a.labels.alertname ?? a.fingerprint)),
              h("td", null, labelChips(a.labels, ["alertname"])),
              h("td", null, formatDateTime(a.first_seen_ms)),
              h("td", null, h("span", { class: `badge ${a.resolved ? "inactive" : "firing"}` }, a.resolved ? "resolved" : "firing"))))))
        : h("p", { class: "empty" }, "Opened by hand: no alerts attached."));

  const timeline = (inc: Incident): HTMLElement =>
    h("section", null, h("h3", null, "Timeline"),
      h("table", { class: "timeline", "data-testid": "timeline" },
        h("thead", null, h("tr", null, ["Time", "Who", "Kind", "What"].map((t) => h("th", null, t)))),
        h("tbody", null, inc.timeline.map((e) => h("tr", { "data-kind": e.kind },
          h("td", { class: "when" }, formatDateTime(e.at_ms)),
          h("td", { class: "actor" }, e.actor),
          h("td", null, h("span", { class: "badge" }, e.kind.replace("_", " "))),
          h("td", { class: "text" }, e.text))))));

  function render(inc: Incident): void {
    current = inc;
    const now = Date.now();
    document.title = `#${inc.id} ${inc.title} · hastewatch`;
    replace(el,
      h("div", { class: "toolbar" },
        h("h2", { "data-testid": "incident-title" }, severityBadge(inc.severity), ` #${inc.id} ${inc.title} `, stateBadge(inc.state),
          inc.test ? h("span", { class: "badge test" }, "TEST") : null),
        h("div", null, link("/ui/incidents", "← All incidents"))),
      summary(inc, now),
      actions(inc),
      alerts(inc),
      pm.render(inc),
      timeline(inc));
  }

  const load = async () => {
    if (writing > 0) return;  // the write's answer is on its way
    const isCurrent = latest.ticket();
    try {
      const inc = await incidentsApi.get(id);
      if (isCurrent()) render(inc);
    } catch (err) {
      if (isCurrent() && !current) replace(el, h("div", { class: "toolbar" }, h("h2", null, `Incident #${id}`), link("/ui/incidents", "← All incidents")), errorBox(err));
    }
  };
  void load();
  // New pages and alerts show up on their own, unless someone is typing or choosing here.
  const timer = window.setInterval(() => {
    const busy = el.contains(document.activeElement) && document.activeElement?.matches("input, textarea, select");
    const typed = [...el.querySelectorAll<HTMLTextAreaElement | HTMLInputElement>("textarea:not(.postmortem-editor), input[type=text]")].some((f) => f.value !== "");
    if (document.visibilityState === "visible" && !busy && !typed) void load();
  }, 15_000);
  return {
    el,
    destroy: () => {
      window.clearInterval(timer);
      latest.destroy();
    },
  };
}
