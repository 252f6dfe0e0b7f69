// The silence form of the Alerts page: create (blank, or prefilled from an alert's
// labels), edit and recreate. Saving POSTs the silence to Alertmanager's API v2 with
// its id when editing; the server applies Alertmanager's rule (updated in place
// while its matchers and start stay the same, otherwise the old one expires and a new
// one is created) and the form says which happened. Before saving, a preview lists
// the notifier's alerts that the matchers match.
import { type AmAlert, ApiError, getToken, type Labels, request, type Silence } from "./api";
import { errorBox, h, labelChips, replace } from "./dom";
import {
  formatDuration, formatMatchers, formatWhen, matchersFromLabels, parseMatchers, parseWhen, resolveTimes, silenceMatches,
} from "./silence_model";
import { parseDuration } from "./time";

const DEFAULT_DURATION = "2h";
const PREVIEW_MAX = 20;

export interface SilenceForm {
  el: HTMLElement;
  newFrom: (labels: Labels) => void;
  edit: (s: Silence) => void;
  refreshPreview: () => void;
}

// Alertmanager answers errors as a bare JSON string: show it without the quotes.
function unquoted(err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  const m = /^("(?:[^"\\]|\\.)*")(.*)$/s.exec(err.message);
  if (!m) return err;
  try {
    return new ApiError(JSON.parse(m[1]) + m[2], err.status, err.errorType);
  } catch {
    return err;
  }
}

async function postSilence(body: Omit<Silence, "id" | "status" | "updatedAt"> & { id?: string }): Promise<string> {
  try {
    const { silenceID } = await request<{ silenceID: string }>("/api/v2/silences", {
      method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" },
    });
    return silenceID;
  } catch (err) {
    throw unquoted(err);
  }
}

export function silenceForm(alerts: () => AmAlert[], onSaved: () => Promise<void>): SilenceForm {
  const input = (label: string, attrs: Record<string, unknown> = {}) => h("input", { "aria-label": label, ...attrs });
  const matchersIn = input("matchers", { class: "wide", placeholder: 'alertname="HighErrorRate", service="api", severity=~"crit.*"' });
  const startsIn = input("starts", { value: "now", size: 18, placeholder: "now or YYYY-MM-DD HH:MM" });
  const durationIn = input("duration", { value: DEFAULT_DURATION, size: 8 });
  const endsIn = input("ends", { size: 18, placeholder: "YYYY-MM-DD HH:MM" });
  const creatorIn = input("created by", { value: "hastewatch UI" });
  const commentIn = input("comment", { class: "wide", placeholder: "why (required)" });
  const title = h("h3");
  const submit = h("button", { type: "submit", class: "primary" });
  const cancel = h("button", { type: "button", onclick: () => reset() }, "Cancel");
  const msg = h("div", { "data-testid": "silence-result" });
  const preview = h("div", { class: "silence-preview", "data-testid": "silence-preview" });

  let editing: Silence | null = null; // the silence being edited or recreated
  let keepStart: string | undefined; // its start as the API gave it (see resolveTimes)
  let endsFrom: "ends" | "duration" = "duration";
  let creator = "hastewatch UI"; // what the user last typed there, not an edited silence's author
  creatorIn.addEventListener("input", () => (creator = creatorIn.value));

  // The end follows the start and duration, the duration follows an end typed in.
  const syncEnds = () => {
    const start = parseWhen(startsIn.value, Date.now());
    const d = parseDuration(durationIn.value.trim());
    if (!Number.isNaN(start) && d > 0) endsIn.value = formatWhen(start + d);
  };
  const syncDuration = () => {
    const now = Date.now();
    const start = parseWhen(startsIn.value, now);
    const end = parseWhen(endsIn.value, now);
    if (!Number.isNaN(start) && end > start) durationIn.value = formatDuration(end - start);
  };
  durationIn.addEventListener("input", () => { endsFrom = "duration"; syncEnds(); });
  startsIn.addEventListener("input", () => (endsFrom === "duration" ? syncEnds() : syncDuration()));
  endsIn.addEventListener("input", () => { endsFrom = "ends"; syncDuration(); });

  const refreshPreview = () => {
    if (!matchersIn.value.trim()) {
      replace(preview, h("span", { class: "muted" }, "Type matchers to see which alerts they silence."));
      return;
    }
    let matched: AmAlert[];
    try {
      const ms = parseMatchers(matchersIn.value);
      matched = alerts().filter((a) => silenceMatches(ms, a.labels));
    } catch (err) {
      replace(preview, h("span", { class: "error-text" }, (err as Error).message));
      return;
    }
    replace(preview,
      h("div", { class: "muted" }, matched.length
        ? `Matches ${matched.length} of the notifier's ${alerts().length} alerts now:`
        : `Matches none of the notifier's ${alerts().length} alerts now.`),
      matched.length ? h("ul", null, matched.slice(0, PREVIEW_MAX).map((a) =>
        h("li", { "data-alert": a.labels.alertname ?? "" }, h("strong", null, a.labels.alertname ?? "(no alertname)"), " ",
          labelChips(a.labels, ["alertname"])))) : null,
      matched.length > PREVIEW_MAX ? h("div", { class: "muted" }, `and ${matched.length - PREVIEW_MAX} more`) : null);
  };
  // Matching a few hundred alerts per key press is cheap: no debounce, so the
  // preview never shows the previous text's result.
  matchersIn.addEventListener("input", refreshPreview);

  const setMode = (s: Silence | null, recreate = false) => {
    editing = s;
    replace(title, !s ? "New silence" : recreate ? "Recreate silence " : "Edit silence ", s ? h("code", null, s.id) : null);
    submit.textContent = !s ? "Create silence" : recreate ? "Recreate silence" : "Save silence";
    cancel.hidden = !s;
  };

  const reset = () => {
    setMode(null);
    keepStart = undefined;
    endsFrom = "duration";
    matchersIn.value = "";
    creatorIn.value = creator;
    startsIn.value = "now";
    durationIn.value = DEFAULT_DURATION;
    commentIn.value = "";
    syncEnds();
    refreshPreview();
  };

  const focusForm = () => {
    replace(msg);
    refreshPreview();
    el.scrollIntoView({ block: "center" });
    commentIn.focus();
  };

  const newFrom = (labels: Labels) => {
    reset();
    matchersIn.value = matchersFromLabels(labels);
    focusForm();
  };

  const edit = (s: Silence) => {
    const recreate = s.status.state === "expired";
    setMode(s, recreate);
    matchersIn.value = formatMatchers(s.matchers);
    creatorIn.value = s.createdBy;
    commentIn.value = s.comment;
    const start = Date.parse(s.startsAt);
    const end = Date.parse(s.endsAt);
    if (recreate) {
      // Same length, from now.
      keepStart = undefined;
      startsIn.value = "now";
      durationIn.value = formatDuration(end - start);
      endsFrom = "duration";
      syncEnds();
    } else {
      keepStart = s.startsAt;
      startsIn.value = formatWhen(start);
      endsIn.value = formatWhen(end);
      durationIn.value = formatDuration(end - start);
      endsFrom = "ends";
    }
    focusForm();
  };

  const el = h("form", { class: "silence-form", "data-testid": "silence-form" },
    title,
    h("label", null, "Matchers ", matchersIn),
    h("div", { class: "row" },
      h("label", null, "Starts ", startsIn),
      h("label", null, "Duration ", durationIn),
      h("label", null, "Ends ", endsIn),
      h("label", null, "Created by ", creatorIn)),
    h("label", null, "Comment ", commentIn),
    preview,
    h("div", { class: "row" }, submit, cancel, msg));

  el.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      const matchers = parseMatchers(matchersIn.value);
      const times = resolveTimes({ starts: startsIn.value, ends: endsIn.value, duration: durationIn.value }, endsFrom, Date.now(), keepStart);
      if (!commentIn.value.trim()) throw new Error("a comment is required");
      if (!getToken()) throw new Error("creating a silence needs a write token: set one in Settings");
      const old = editing;
      const id = await postSilence({
        ...(old ? { id: old.id } : {}),
        matchers,
        ...times,
        createdBy: creatorIn.value.trim() || "hastewatch UI",
        comment: commentIn.value.trim(),
      });
      reset();
      const text = !old ? `created silence ${id}`
        : id === old.id ? `updated silence ${id} in place`
        : old.status.state === "expired" ? `recreated as silence ${id}`
        : `saved as new silence ${id}; silence ${old.id} expired (its matchers or start changed)`;
      replace(msg, h("span", { class: "ok", "data-silence-id": id }, text));
      await onSaved();
    } catch (err) {
      replace(msg, errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });

  reset();
  return { el, newFrom, edit, refreshPreview };
}
