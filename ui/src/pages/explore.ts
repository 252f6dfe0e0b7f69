// Explore: a PromQL editor with completion (completion.ts) run as an instant query
// (table) or a range query (graph). A parse error shows the server's message and a
// caret under its position.
import { ApiError, type MatrixSeries, type QueryData, queryInstant, queryRange } from "../api";
import { TimeChart, toChartData } from "../chart";
import { promqlEditor } from "../completion";
import { CompletionSource } from "../completion_source";
import { h, replace } from "../dom";
import type { Page } from "../main";
import { indexOfByteColumn } from "../promql_lexer";
import { align, formatDateTime, resolve, stepFor } from "../time";
import { type PickerState, readPicker, timePicker, writePicker } from "../timepicker";
import { seriesName } from "../units";
import { params, setParams } from "../url";

const MAX_ROWS = 1000;

// `goTo` (when given) puts the editor's cursor at the error: offset into `expr`.
export function errorWithPosition(err: unknown, expr: string, goTo?: (offset: number) => void): HTMLElement {
  const msg = err instanceof Error ? err.message : String(err);
  const box = h("div", { class: "error", role: "alert", "data-testid": "query-error" }, h("div", null, msg));
  const pos = err instanceof ApiError ? err.position : undefined;
  if (pos) {
    const lines = expr.split("\n");
    const line = lines[pos.line - 1] ?? "";
    const index = indexOfByteColumn(line, pos.column);
    box.append(
      h("pre", { class: "caret", "data-testid": "error-position" },
        `${line}\n${" ".repeat(Array.from(line.slice(0, index)).length)}^ line ${pos.line}, column ${pos.column}`),
    );
    const offset = lines.slice(0, pos.line - 1).reduce((n, l) => n + l.length + 1, 0) + index;
    if (goTo) box.append(h("button", { type: "button", class: "link", onclick: () => goTo(offset) }, "Show in editor"));
  }
  return box;
}

function table(data: QueryData): HTMLElement {
  if (data.resultType === "scalar" || data.resultType === "string") {
    return h("table", { class: "results" }, h("tbody", null,
      h("tr", null, h("td", null, data.resultType), h("td", { class: "num" }, String(data.result[1])))));
  }
  const rows =
    data.resultType === "vector"
      ? data.result.map((s) => [seriesName(s.metric), s.value[1]])
      : (data.result as MatrixSeries[]).map((s) => [
          seriesName(s.metric),
          s.values.map(([t, v]) => `${v} @${t}`).join("\n"),
        ]);
  return h("div", null,
    rows.length > MAX_ROWS ? h("p", { class: "muted" }, `Showing ${MAX_ROWS} of ${rows.length} series.`) : null,
    h("table", { class: "results" },
      h("thead", null, h("tr", null, h("th", null, "Series"), h("th", null, "Value"))),
      h("tbody", null, rows.slice(0, MAX_ROWS).map(([name, v]) =>
        h("tr", null, h("td", { class: "series" }, name), h("td", { class: "num" }, v))))),
    rows.length === 0 ? h("p", { class: "empty" }, "Empty result: no series match.") : null);
}

export function explorePage(): Page {
  const p0 = params();
  let tab = p0.get("tab") === "table" ? "table" : "graph";
  let picker: PickerState = readPicker(p0, { range: { from: "now-1h", to: "now" }, refresh: "off" });
  const input = h("textarea", {
    class: "promql", rows: 3, spellcheck: "false", "aria-label": "PromQL expression",
    placeholder: "PromQL, e.g. sum by (service) (rate(http_requests_total[5m]))  (Ctrl+Space completes, Ctrl+Enter runs)",
  }, p0.get("expr") ?? "");
  const out = h("div", { class: "explore-out" });
  const info = h("span", { class: "muted", "data-testid": "query-info" });
  const chartBox = h("div", { class: "panel-body" });
  let chart: TimeChart | null = null;
  let controller: AbortController | null = null;
  const pickerSlot = h("div");

  const tabs = h("div", { class: "tabs" });
  const renderTabs = () =>
    replace(tabs, (["graph", "table"] as const).map((t) =>
      h("button", { type: "button", class: t === tab ? "active" : "", "aria-pressed": String(t === tab), onclick: () => { tab = t; renderTabs(); void run(); } },
        t === "graph" ? "Graph (range)" : "Table (instant)")));

  const run = async () => {
    const expr = input.value.trim();
    const p = params();
    p.set("expr", expr);
    p.set("tab", tab);
    writePicker(p, picker);
    setParams(p);
    if (!expr) {
      replace(out);
      return;
    }
    controller?.abort();
    controller = new AbortController();
    const t0 = performance.now();
    info.textContent = "running…";
    const { start: s, end: e } = resolve(picker.range);
    try {
      if (tab === "table") {
        const data = await queryInstant(expr, e, controller.signal);
        replace(out, table(data));
        const n = Array.isArray(data.result) && data.resultType !== "scalar" && data.resultType !== "string" ? data.result.length : 1;
        info.textContent = `${n} result${n === 1 ? "" : "s"} at ${formatDateTime(e * 1000)} in ${Math.round(performance.now() - t0)} ms`;
      } else {
        const step = stepFor(s, e, 1000);
        const { start, end } = align(s, e, step);
        const data = await queryRange(expr, start, end, step, controller.signal);
        if (data.resultType !== "matrix") throw new ApiError(`expected a range vector, got ${data.resultType}`, 200);
        const cd = toChartData([{ series: data.result as MatrixSeries[] }], start, end, step);
        replace(out, chartBox, cd.series.length ? null : h("p", { class: "empty" }, "Empty result: no series match."));
        chart ??= new TimeChart(chartBox, "", [], 360);
        chart.setData(cd);
        info.textContent = `${cd.series.length} series, step ${step}s, in ${Math.round(performance.now() - t0)} ms`;
      }
    } catch (err) {
      if ((err as Error).name === "AbortError") return;
      info.textContent = "";
      // The server saw the trimmed text: offsets count from its first character.
      const lead = input.value.length - input.value.trimStart().length;
      replace(out, errorWithPosition(err, input.value.trim(), (offset) => {
        input.focus();
        input.setSelectionRange(lead + offset, Math.min(input.value.length, lead + offset + 1));
      }));
    }
  };

  const editor = promqlEditor(input, new CompletionSource(), () => void run());
  const apply = (next: PickerState) => {
    picker = next;
    replace(pickerSlot, timePicker(picker, apply, run));
    void run();
  };
  replace(pickerSlot, timePicker(picker, apply, run));
  renderTabs();
  const el = h("div", { class: "explore" },
    h("div", { class: "toolbar" }, h("h2", null, "Explore"), pickerSlot),
    editor.el,
    h("div", { class: "row" }, h("button", { type: "button", class: "primary", onclick: () => void run() }, "Run query"), tabs, info),
    out);
  if (input.value) requestAnimationFrame(() => void run());
  return { el, destroy: () => { controller?.abort(); chart?.destroy(); editor.destroy(); } };
}
