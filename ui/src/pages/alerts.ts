// Alerts: firing and pending alerts from the rules (/api/v1/alerts) joined with the
// notifier's view (/api/v2/alerts: silenced, inhibited), silences (list, create
// prefilled from an alert, expire) and the rule groups (/api/v1/rules).
import { type AmAlert, api, getToken, type Labels, type Matcher, type RuleAlert, type Silence } from "../api";
import { errorBox, h, labelChips, replace, safeUrl } from "../dom";
import type { Page } from "../main";
import { formatAgo, formatDateTime, parseDuration } from "../time";

// Identity of an alert across both APIs: its sorted label set.
export function labelsKey(l: Labels): string {
  return JSON.stringify(Object.keys(l).sort().map((k) => [k, l[k]]));
}

const MATCHER_RE = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

// `alertname="X", severity=~"crit.*"` -> Alertmanager v2 matchers.
export function parseMatchers(text: string): Matcher[] {
  const out: Matcher[] = [];
  let s = text.trim();
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1);
  MATCHER_RE.lastIndex = 0;
  while (MATCHER_RE.lastIndex < s.length) {
    const start = MATCHER_RE.lastIndex;
    const m = MATCHER_RE.exec(s);
    if (!m) throw new Error(`cannot parse matchers at character ${start + 1}: expected name="value", name!="value", name=~"regex" or name!~"regex"`);
    const op = m[2];
    out.push({ name: m[1], value: JSON.parse(`"${m[3]}"`), isRegex: op.includes("~"), isEqual: !op.startsWith("!") });
  }
  if (!out.length) throw new Error("a silence needs at least one matcher");
  return out;
}

export function formatMatchers(ms: Matcher[]): string {
  const op = (m: Matcher) => (m.isRegex ? (m.isEqual === false ? "!~" : "=~") : m.isEqual === false ? "!=" : "=");
  return ms.map((m) => `${m.name}${op(m)}${JSON.stringify(m.value)}`).join(", ");
}

function matchersFromLabels(l: Labels): string {
  return Object.keys(l).sort().map((k) => `${k}=${JSON.stringify(l[k])}`).join(", ");
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
  const formMsg = h("div");
  const matchersIn = h("input", { class: "wide", "aria-label": "matchers", placeholder: 'alertname="HighErrorRate", service="api"' });
  const durationIn = h("input", { "aria-label": "duration", value: "2h", size: 6 });
  const creatorIn = h("input", { "aria-label": "created by", value: "hastewatch UI" });
  const commentIn = h("input", { class: "wide", "aria-label": "comment", placeholder: "why (required)" });
  const form = h("form", { class: "silence-form", "data-testid": "silence-form" },
    h("h3", null, "New silence"),
    h("label", null, "Matchers ", matchersIn),
    h("div", { class: "row" },
      h("label", null, "Duration ", durationIn),
      h("label", null, "Created by ", creatorIn)),
    h("label", null, "Comment ", commentIn),
    h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, "Create silence"), formMsg));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const matchers = parseMatchers(matchersIn.value);
      const ms = parseDuration(durationIn.value.trim());
      if (!(ms > 0)) throw new Error(`cannot parse duration "${durationIn.value}": use e.g. 30m, 2h, 1d`);
      if (!commentIn.value.trim()) throw new Error("a comment is required");
      if (!getToken()) throw new Error("creating a silence needs a write token: set one in Settings");
      const now = Date.now();
      const { silenceID } = await api.createSilence({
        matchers,
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + ms).toISOString(),
        createdBy: creatorIn.value.trim() || "hastewatch UI",
        comment: commentIn.value.trim(),
      });
      replace(formMsg, h("span", { class: "ok" }, `created silence ${silenceID}`));
      commentIn.value = "";
      await load();
    } catch (err) {
      replace(formMsg, errorBox(err));
    }
  });

  const silenceFrom = (labels: Labels) => {
    matchersIn.value = matchersFromLabels(labels);
    replace(formMsg);
    form.scrollIntoView({ block: "center" });
    commentIn.focus();
  };

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
          h("td", null, annotationsBlock(r.annotations), r.value !== undefined ? h("div", { class: "muted" }, `value ${r.value}`) : null),
          h("td", { title: r.since ? formatDateTime(Date.parse(r.since)) : "" }, formatAgo(r.since)),
          h("td", null, h("button", { type: "button", onclick: () => silenceFrom(r.labels) }, "Silence…")));
      }))));
  };

  const renderSilences = (silences: Silence[]) => {
    const order = { active: 0, pending: 1, expired: 2 } as const;
    silences.sort((a, b) => order[a.status.state] - order[b.status.state] || b.endsAt.localeCompare(a.endsAt));
    replace(silencesEl, silences.length
      ? h("table", { class: "silences" },
          h("thead", null, h("tr", null, ["State", "Matchers", "Ends", "Created by", "Comment", ""].map((t) => h("th", null, t)))),
          h("tbody", null, silences.map((s) =>
            h("tr", { "data-silence": s.id, "data-state": s.status.state },
              h("td", null, h("span", { class: `badge ${s.status.state}` }, s.status.state)),
              h("td", null, h("code", null, formatMatchers(s.matchers))),
              h("td", { title: formatDateTime(Date.parse(s.endsAt)) }, formatAgo(s.endsAt)),
              h("td", null, s.createdBy),
              h("td", null, s.comment),
              h("td", null, s.status.state === "expired" ? null : h("button", {
                type: "button",
                onclick: async (e: Event) => {
                  const btn = e.target as HTMLButtonElement;
                  btn.disabled = true;
                  try {
                    await api.expireSilence(s.id);
                    await load();
                  } catch (err) {
                    btn.disabled = false;
                    btn.after(errorBox(err));
                  }
                },
              }, "Expire"))))))
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
    if (rules.status === "fulfilled") {
      renderAlerts(joinAlerts(rules.value.alerts, am.status === "fulfilled" ? am.value : []));
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
    h("section", null, h("h3", null, "Silences"), form, silencesEl),
    h("section", null, h("h3", null, "Rules"), rulesEl));
  return { el, destroy: () => window.clearInterval(timer) };
}
