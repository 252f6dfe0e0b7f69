// The time range picker (presets and a custom absolute range) and the auto-refresh
// choice, both kept in the URL (?from=&to=&refresh=).
import { h } from "./dom";
import {
  PRESETS, REFRESH_CHOICES, type TimeRange, fromLocalInput, isValidRange, parseDuration, parseTime,
  rangeLabel, toLocalInput,
} from "./time";

export interface PickerState {
  range: TimeRange;
  refresh: string; // "off" | duration
}

export function timePicker(state: PickerState, onChange: (s: PickerState) => void, onRefresh: () => void): HTMLElement {
  const now = Date.now();
  const isPreset = state.range.to === "now" && PRESETS.some((p) => p.from === state.range.from);
  const select = h(
    "select",
    { "aria-label": "time range", "data-testid": "range" },
    PRESETS.map((p) => h("option", { value: p.from, selected: isPreset && p.from === state.range.from }, p.label)),
    h("option", { value: "custom", selected: !isPreset }, isPreset ? "Custom…" : rangeLabel(state.range)),
  );
  const fromIn = h("input", { type: "datetime-local", "aria-label": "from", value: toLocalInput(parseTime(state.range.from, now)) });
  const toIn = h("input", { type: "datetime-local", "aria-label": "to", value: toLocalInput(parseTime(state.range.to, now)) });
  const msg = h("span", { class: "picker-error" });
  const custom = h(
    "span",
    { class: "custom-range", hidden: isPreset },
    fromIn, " to ", toIn,
    h("button", {
      type: "button",
      onclick: () => {
        const range = { from: String(fromLocalInput(fromIn.value)), to: String(fromLocalInput(toIn.value)) };
        if (!isValidRange(range)) {
          msg.textContent = "the start must be before the end";
          return;
        }
        msg.textContent = "";
        onChange({ ...state, range });
      },
    }, "Apply"),
    msg,
  );
  select.addEventListener("change", () => {
    if (select.value === "custom") {
      custom.hidden = false;
      return;
    }
    custom.hidden = true;
    onChange({ ...state, range: { from: select.value, to: "now" } });
  });
  const refresh = h(
    "select",
    {
      "aria-label": "auto-refresh",
      "data-testid": "refresh",
      onchange: (e: Event) => onChange({ ...state, refresh: (e.target as HTMLSelectElement).value }),
    },
    REFRESH_CHOICES.map((r) => h("option", { value: r, selected: r === state.refresh }, r === "off" ? "Auto-refresh off" : `Every ${r}`)),
  );
  return h("div", { class: "picker" }, select, custom, refresh,
    h("button", { type: "button", title: "refresh now", onclick: onRefresh }, "↻ Refresh"));
}

export function readPicker(params: URLSearchParams, fallback: PickerState): PickerState {
  const range = { from: params.get("from") ?? fallback.range.from, to: params.get("to") ?? fallback.range.to };
  const refresh = params.get("refresh") ?? fallback.refresh;
  return {
    range: isValidRange(range) ? range : fallback.range,
    refresh: refresh === "off" || parseDuration(refresh) >= 1000 ? refresh : fallback.refresh,
  };
}

export function writePicker(params: URLSearchParams, s: PickerState): void {
  params.set("from", s.range.from);
  params.set("to", s.range.to);
  params.set("refresh", s.refresh);
}

// Calls `fn` every `refresh` while the page is visible; returns a stop function.
export function autoRefresh(refresh: string, fn: () => void): () => void {
  const ms = refresh === "off" ? NaN : parseDuration(refresh);
  if (!(ms >= 1000)) return () => {};
  const id = window.setInterval(() => {
    if (document.visibilityState === "visible") fn();
  }, ms);
  return () => window.clearInterval(id);
}
