// On call (/ui/oncall): for each schedule, who is on call now and the next handoffs,
// and who is (or was) on call at a chosen time (?at=<local datetime>).
import { errorBox, h, replace } from "../dom";
import type { Page } from "../main";
import { formatDateTime, fromLocalInput, toLocalInput } from "../time";
import { params, setParams } from "../url";
import { incidentsApi, Latest, type OnCall } from "./incident_api";

const who = (user: string) => user || h("span", { class: "muted" }, "nobody");

export function onCallPage(): Page {
  const nowEl = h("div", { "data-testid": "oncall-now" }, h("p", { class: "muted" }, "Loading…"));
  const atEl = h("div", { "data-testid": "oncall-at" });
  const at = h("input", { type: "datetime-local", "aria-label": "At time", "data-testid": "oncall-time", step: 60 });
  const initial = params().get("at");
  at.value = initial ?? toLocalInput(Date.now());

  // "Show" pressed for several times, or Refresh twice: only the newest answer is drawn.
  const latestNow = new Latest();
  const latestAt = new Latest();

  const loadNow = async () => {
    const isCurrent = latestNow.ticket();
    try {
      const list = await incidentsApi.onCall();
      if (!isCurrent()) return;
      replace(nowEl, list.length
        ? h("table", { class: "oncall" },
            h("thead", null, h("tr", null, ["Schedule", "On call now", "Next handoffs"].map((t) => h("th", null, t)))),
            h("tbody", null, list.map((s) => h("tr", { "data-schedule": s.schedule },
              h("td", null, h("strong", null, s.schedule)),
              h("td", { class: "user" }, who(s.user)),
              h("td", { class: "handoffs" }, s.handoffs.length
                ? h("ul", null, s.handoffs.map((x) => h("li", null, `${formatDateTime(Date.parse(x.time))} → `, who(x.user))))
                : h("span", { class: "muted" }, "none in the next 14 days"))))))
        : h("p", { class: "empty" }, "No on-call schedules are configured (incidents.schedules)."));
    } catch (err) {
      if (isCurrent()) replace(nowEl, errorBox(err));
    }
  };

  const loadAt = async () => {
    const isCurrent = latestAt.ticket();
    const t = fromLocalInput(at.value);
    if (!at.value || Number.isNaN(t)) {
      replace(atEl, errorBox("Pick a date and time."));
      return;
    }
    const q = params();
    q.set("at", at.value);
    setParams(q);
    try {
      const list: OnCall[] = await incidentsApi.onCall(new Date(t).toISOString());
      if (!isCurrent()) return;
      replace(atEl, h("table", { class: "oncall" },
        h("thead", null, h("tr", null, h("th", null, "Schedule"), h("th", null, `On call at ${formatDateTime(t)}`))),
        h("tbody", null, list.map((s) => h("tr", { "data-schedule": s.schedule },
          h("td", null, h("strong", null, s.schedule)),
          h("td", { class: "user" }, who(s.user)))))));
    } catch (err) {
      if (isCurrent()) replace(atEl, errorBox(err));
    }
  };

  void loadNow();
  if (initial) void loadAt();
  const show = h("button", { type: "button", "data-testid": "oncall-show", onclick: () => void loadAt() }, "Show");
  const el = h("div", { class: "oncall-page" },
    h("div", { class: "toolbar" }, h("h2", null, "On call"), h("button", { type: "button", onclick: () => void loadNow() }, "↻ Refresh")),
    h("section", null, h("h3", null, "Now"), nowEl),
    h("section", null, h("h3", null, "At a time"), h("div", { class: "row" }, at, show), atEl));
  return {
    el,
    destroy: () => {
      latestNow.destroy();
      latestAt.destroy();
    },
  };
}
