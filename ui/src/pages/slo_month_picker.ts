// The month control of the SLO pages: ◀ [month] ▶, never past the current month
// (the report refuses months that have not begun), plus an optional extra button.
import { h } from "../dom";
import { isMonth, monthOf, shiftMonth } from "./slo_format";

export function monthPicker(month: string, onChange: (m: string) => void, extra?: HTMLElement): HTMLElement {
  const thisMonth = monthOf(Date.now());
  // Without a month (the SLO's own budget window) the field shows the current month
  // greyed out rather than Chromium's blank "--------- ----".
  const input = h("input", { type: "month", value: month || thisMonth, max: thisMonth, class: month ? "" : "inactive", title: month ? "" : "showing the budget window: pick a month for its compliance review", "aria-label": "month", "data-testid": "month" });
  // A typed month past the current one would only get the server's "has not begun".
  input.addEventListener("change", () => isMonth(input.value) && input.value <= thisMonth && onChange(input.value));
  return h("span", { class: "picker" },
    h("button", { type: "button", title: "previous month", "aria-label": "previous month", onclick: () => onChange(shiftMonth(month || thisMonth, -1)) }, "◀"),
    input,
    h("button", { type: "button", title: "next month", "aria-label": "next month", disabled: !month || month >= thisMonth, onclick: () => onChange(shiftMonth(month, 1)) }, "▶"),
    extra ?? null);
}

