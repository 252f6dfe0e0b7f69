// Alerts: firing and pending alerts from the rules (/api/v1/alerts) joined with the
// notifier's view (/api/v2/alerts: silenced, inhibited), silences (list; create,
// prefilled from an alert; edit; recreate; expire: silence_form.ts) and the rule
// groups (/api/v1/rules).
import { type AmAlert, api, type Labels, type RuleAlert, type Silence } from "../api";
import { errorBox, h, labelChips, replace, safeUrl } from "../dom";
import type { Page } from "../main";
import { silenceForm } from "../silence_form";
import { formatMatchers, silenceMatches } from "../silence_model";
import { formatAgo, formatDateTime } from "../time";

// Identity of an alert across both APIs: its sorted label set.
// The alert's value with 6 significant digits (0.19999999999999996 -> 0.2); the
// exact value stays in the tooltip.
function alertValue(v: string | number): string {
  const n = Number(v);
  return Number.isFinite(n) ? String(Number(n.toPrecision(6))) : String(v);
}

export function labelsKey(l: Labels): string {
  return JSON.stringify(Object.keys(l).sort().map((k) => [k, l[k]]));
}

function annotationsBlock(a: Labels): HTMLElement {
  const runbook = a.runbook_url ? safeUrl(a.runbook_url) : null;
  return h("div", { class: "annotations" },
    a.summary ? h("div", { class: "summary" }, a.summary) : null,
    a.description ? h("div", { class: "muted" }, a.description) : null,
    runbook ? h("a", { href: runbook, target: "_blank", rel: "noopener", class: "runbook" }, "Runbook ↗") : null,
    Object.entries(a)
      .filter(([k]) => !["summary", "description", "runbook_url"].includes(k))
      .map(([k, v]) => h("div", { class: "muted" }, `${k}: ${v}`)));
}

interface Row {
  labels: Labels;
  annotations: Labels;
  state: string; // firing | pending | (notifier only) active
  since?: string;
  value?: string;
  am?: AmAlert;
}

function joinAlerts(rules: RuleAlert[], am: AmAlert[]): Row[] {
  const byKey = new Map(am.map((a) => [labelsKey(a.labels), a]));
  const rows: Row[] = rules
    .filter((a) => a.state !== "inactive")
    .map((a) => {
      const k = labelsKey(a.labels);
      const m = byKey.get(k);
      byKey.delete(k);
      return { labels: a.labels, annotations: a.annotations, state: a.state, since: a.activeAt, value: a.value, am: m };
    });
  for (const a of byKey.values()) rows.push({ labels: a.labels, annotations: a.annotations, state: "firing", since: a.startsAt, am: a });
  const order = (s: string) => (s === "firing" ? 0 : 1);
  rows.sort((a, b) => order(a.state) - order(b.state) || (a.labels.alertname ?? "").localeCompare(b.labels.alertname ?? ""));
  return rows;
}

export function alertsPage(): Page {
  const alertsEl = h("div", { "data-testid": "alerts" }, h("p", { class: "muted" }, "Loading…"));
  const silencesEl = h("div", { "data-testid": "silences" });
  const rulesEl = h("div", { "data-testid": "rules" });
  let amAlerts: AmAlert[] = [];
  const form = silenceForm(() => amAlerts, () => load());
  const renderAlerts = (rows: Row[]) => {
    if (!rows.length) {
      replace(alertsEl, h("p", { class: "empty" }, "No alerts are firing or pending."));
      return;
    }
    replace(alertsEl, h("table", { class: "alerts" },
      h("thead", null, h("tr", null, ["State", "Alert", "Details", "Since", ""].map((t) => h("th", null, t)))),
      h("tbody", null, rows.map((r) => {
        const silenced = r.am?.status.silencedBy ?? [];
        const inhibited = r.am?.status.inhibitedBy ?? [];
        return h("tr", { "data-alert": r.labels.alertname ?? "", "data-state": r.state, "data-silenced": silenced.length ? "true" : "false" },
          h("td", null,
            h("span", { class: `badge ${r.state}` }, r.state),
            silenced.length ? h("span", { class: "badge silenced", title: `silenced by ${silenced.join(", ")}` }, "silenced") : null,
            inhibited.length ? h("span", { class: "badge inhibited", title: `inhibited by ${inhibited.join(", ")}` }, "inhibited") : null),
          h("td", null, h("strong", null, r.labels.alertname ?? "(no alertname)"), h("div", null, labelChips(r.labels, ["alertname"]))),
          h("td", null, annotationsBlock(r.annotations), r.value !== undefined ? h("div", { class: "muted", title: String(r.value) }, `value ${alertValue(r.value)}`) : null),
          h("td", { title: r.since ? formatDateTime(Date.parse(r.since)) : "" }, formatAgo(r.since)),
          h("td", null, h("button", { type: "button", onclick: () => form.newFrom(r.labels) }, "Silence…")));
      }))));
  };

  const expire = async (e: Event, s: Silence) => {
    const btn = e.target as HTMLButtonElement;
    btn.disabled = true;
    try {
      await api.expireSilence(s.id);
      await load();
    } catch (err) {
      btn.disabled = false;
      btn.after(errorBox(err));
    }
  };

  // The alerts a silence matches now, by Alertmanager's rules (silence_model.ts).
  const matchesCell = (s: Silence) => {
    if (s.status.state === "expired") return h("td", { class: "muted matches" }, "–");
    let names: string[];
    try {
      names = amAlerts.filter((a) => silenceMatches(s.matchers, a.labels)).map((a) => a.labels.alertname ?? "(no alertname)");
    } catch (err) {
      return h("td", { class: "matches muted", title: (err as Error).message }, "?"); // a regex JavaScript cannot read
    }
    return h("td", { class: "matches", title: names.join("\n") }, names.length ? `${names.length} alert${names.length === 1 ? "" : "s"}` : "none");
  };

  const when = (iso: string, cls: string) =>
    h("td", { class: cls }, formatDateTime(Date.parse(iso)), h("div", { class: "muted" }, formatAgo(iso)));

  const renderSilences = (silences: Silence[]) => {
    const order = { active: 0, pending: 1, expired: 2 } as const;
    silences.sort((a, b) => order[a.status.state] - order[b.status.state] || b.endsAt.localeCompare(a.endsAt));
    replace(silencesEl, silences.length
      ? h("table", { class: "silences" },
          h("thead", null, h("tr", null, ["State", "Matchers", "Starts", "Ends", "Matches", "Created by", "Comment", ""].map((t) => h("th", null, t)))),
          h("tbody", null, silences.map((s) =>
            h("tr", { "data-silence": s.id, "data-state": s.status.state },
              h("td", null, h("span", { class: `badge ${s.status.state}` }, s.status.state)),
              h("td", { class: "matchers" }, h("code", null, formatMatchers(s.matchers))),
              when(s.startsAt, "starts"),
              when(s.endsAt, "ends"),
              matchesCell(s),
              h("td", { class: "created-by" }, s.createdBy),
              h("td", { class: "comment" }, s.comment),
              h("td", { class: "actions" },
                h("button", { type: "button", onclick: () => form.edit(s) }, s.status.state === "expired" ? "Recreate…" : "Edit…"),
                s.status.state === "expired" ? null : h("button", { type: "button", onclick: (e: Event) => expire(e, s) }, "Expire"))))))
      : h("p", { class: "empty" }, "No silences."));
  };

  const renderRules = (groups: Awaited<ReturnType<typeof api.rules>>["groups"]) => {
    replace(rulesEl, groups.length ? groups.map((g) =>
      h("details", { class: "rule-group", open: groups.length <= 3 },
        h("summary", null, h("strong", null, g.name), h("span", { class: "muted" }, ` ${g.file} · every ${g.interval}s · ${g.rules.length} rules`)),
        h("table", null, h("tbody", null, g.rules.map((r) =>
          h("tr", null,
            h("td", null, r.type === "alerting" ? h("span", { class: `badge ${r.state ?? "inactive"}` }, r.state ?? "inactive") : h("span", { class: "badge recording" }, "record")),
            h("td", null, h("strong", null, r.name), h("pre", { class: "expr" }, r.query)),
            h("td", null, r.health === "ok" ? h("span", { class: "ok" }, "ok") : h("span", { class: "error-text" }, `${r.health}${r.lastError ? `: ${r.lastError}` : ""}`)),
            h("td", { class: "muted" }, `evaluated ${formatAgo(r.lastEvaluation)}`))))))) : h("p", { class: "empty" }, "No rules loaded."));
  };

  const load = async () => {
    const [rules, am, silences, groups] = await Promise.allSettled([api.alerts(), api.amAlerts(), api.silences(), api.rules()]);
    amAlerts = am.status === "fulfilled" ? am.value : [];
    form.refreshPreview();
    if (rules.status === "fulfilled") {
      renderAlerts(joinAlerts(rules.value.alerts, amAlerts));
    } else replace(alertsEl, errorBox(rules.reason));
    if (am.status === "rejected") alertsEl.append(errorBox(`notifier: ${(am.reason as Error).message}`));
    if (silences.status === "fulfilled") renderSilences(silences.value);
    else replace(silencesEl, errorBox(silences.reason));
    if (groups.status === "fulfilled") renderRules(groups.value.groups);
    else replace(rulesEl, errorBox(groups.reason));
  };

  void load();
  const timer = window.setInterval(() => {
    if (document.visibilityState === "visible") void load();
  }, 15_000);
  const el = h("div", { class: "alerts-page" },
    h("div", { class: "toolbar" }, h("h2", null, "Alerts"), h("button", { type: "button", onclick: () => void load() }, "↻ Refresh")),
    h("section", null, h("h3", null, "Firing and pending"), alertsEl),
    h("section", null, h("h3", null, "Silences"), form.el, silencesEl),
    h("section", null, h("h3", null, "Rules"), rulesEl));
  return { el, destroy: () => window.clearInterval(timer) };
}
