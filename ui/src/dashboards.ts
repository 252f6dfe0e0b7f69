// Dashboards as the server serves them (GET /api/v1/dashboards[/<id>]): the guide's
// JSON shape (title, panels: [{title, query}]) with hastewatch's optional fields —
// panel type, unit, legend, thresholds, stack, description, width in twelfths, and
// dashboard variables, refresh and time. The server validates each file at load
// (src/dashboards/validate.cc); this module only reads it.
import { request } from "./api";
import type { Threshold } from "./chart";
import type { Unit } from "./units";

export interface PanelQuery {
  expr: string;
  legend?: string;
}

export type PanelType = "timeseries" | "stat" | "gauge" | "table" | "bar";

export interface PanelSpec {
  title: string;
  query?: string;
  queries?: PanelQuery[];
  type?: PanelType;
  unit?: Unit;
  legend?: string;
  // Plain numbers are drawn in the default threshold colour.
  thresholds?: ({ value: number; color?: string } | number)[];
  stack?: boolean;
  description?: string;
  width?: number;
  min?: number;
  max?: number;
}

// A label-values variable: its options are the values of `label` (default: `name`)
// on the series `match` selects in the picked time range; `$name` / `${name}` in
// queries take the selection.
export interface VariableSpec {
  name: string;
  label?: string;
  match?: string;
  title?: string;
  all?: boolean; // offer "All" (default true)
  multi?: boolean; // several values at once, as (a|b) for =~
  default?: string | string[]; // a list only when multi
}

export interface DashboardSpec {
  title: string;
  description?: string;
  time?: { from: string; to: string };
  refresh?: string;
  variables?: VariableSpec[];
  panels: PanelSpec[];
}

export interface DashboardSummary {
  id: string;
  title: string;
  panels: number;
  file: string;
}

export const listDashboards = () =>
  request<{ dashboards: DashboardSummary[] }>("/api/v1/dashboards").then((d) => d.dashboards);

export const getDashboard = (id: string) => request<DashboardSpec>(`/api/v1/dashboards/${encodeURIComponent(id)}`);

export function panelQueries(p: PanelSpec): PanelQuery[] {
  if (p.queries?.length) return p.queries;
  return p.query ? [{ expr: p.query, legend: p.legend }] : [];
}

const DEFAULT_THRESHOLD_COLOR = "#d97706";

export function thresholdsOf(p: PanelSpec): Threshold[] {
  return (p.thresholds ?? []).map((t) =>
    typeof t === "number" ? { value: t, color: DEFAULT_THRESHOLD_COLOR } : { value: t.value, color: t.color ?? DEFAULT_THRESHOLD_COLOR });
}

// The selection that means every value: a regex matching anything (variables are
// meant for =~ matchers, as in Grafana).
export const ALL = "$__all";

// A variable's chosen values, [ALL] for All; never empty.
export type Selection = string[];
export type VariableValues = Map<string, Selection>; // name -> selection

// RE2's metacharacters, backslashed: a value matches itself under =~.
export function regexEscape(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

// The text a selection puts into a query, before string escaping. As in Grafana, a
// variable that offers All or several values is meant for =~ matchers, so its values
// are regex-escaped and several become (a|b); a single-value variable without All
// inserts its value as it is (usable with =). All is ".*".
export function selectionText(v: VariableSpec, selection: Selection): string {
  if (selection.includes(ALL)) return ".*";
  if (v.all === false && v.multi !== true) return selection[0] ?? "";
  const parts = selection.map(regexEscape);
  return parts.length === 1 ? parts[0] : `(${parts.join("|")})`;
}

// name -> the text each variable substitutes.
export function variableTexts(specs: VariableSpec[], values: VariableValues): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of specs) {
    const sel = values.get(v.name);
    if (sel) out.set(v.name, selectionText(v, sel));
  }
  return out;
}

// Label values may hold any character (remote write): a newline must not end the string.
const STRING_ESCAPES: Record<string, string> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };

// `$name` and `${name}` replaced by the variable's text (selectionText), escaped for a
// double-quoted PromQL string so that no value can break the query. Unknown names stay
// as they are (the server's load check reports them).
export function substitute(query: string, texts: Map<string, string>): string {
  return query.replace(/\$(?:\{(\w+)\}|(\w+))/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const text = texts.get((braced ?? bare)!);
    return text === undefined ? whole : text.replace(/[\\"\n\r\t]/g, (c) => STRING_ESCAPES[c]);
  });
}

// Variables live in the URL as var-<name>=<value> (Grafana's spelling), repeated for
// each value of a multi-value variable, "All" as var-<name>=$__all, so links share
// the selection.
export function readVariable(params: URLSearchParams, v: VariableSpec): Selection | null {
  const got = params.getAll(`var-${v.name}`);
  if (!got.length) return null;
  if (got.includes(ALL)) return [ALL];
  return v.multi ? [...new Set(got)] : [got[0]];
}

export function writeVariables(params: URLSearchParams, values: VariableValues): void {
  for (const [name, selection] of values) {
    params.delete(`var-${name}`);
    for (const value of selection) params.append(`var-${name}`, value);
  }
}

// The selection a variable starts with: the URL's, else its default, else All (or the
// first option when All is not offered).
export function initialValue(v: VariableSpec, fromUrl: Selection | null, options: string[]): Selection {
  if (fromUrl?.length) return fromUrl;
  const d = typeof v.default === "string" ? [v.default] : v.default ?? [];
  if (d.length) return v.multi ? d : [d[0]];
  if (v.all !== false) return [ALL];
  return options.length ? [options[0]] : [ALL];
}

// After the options were reloaded (a new time range, a refresh, a change above):
// the chosen values still offered stay; if none is, the variable starts over.
export function keepSelection(v: VariableSpec, current: Selection | undefined, options: string[]): Selection {
  if (current?.includes(ALL) && (v.all !== false || !options.length)) return [ALL];
  const kept = (current ?? []).filter((x) => options.includes(x));
  return kept.length ? kept : initialValue(v, null, options);
}

// A multi-value variable's choice ticked (on) or unticked: All and the values exclude
// each other, and unticking the last value goes back to the start.
export function toggleValue(v: VariableSpec, current: Selection, value: string, on: boolean, options: string[]): Selection {
  if (value === ALL) return on ? [ALL] : initialValue({ ...v, all: false }, null, options);
  const rest = current.filter((x) => x !== ALL && x !== value);
  const next = on ? [...rest, value] : rest;
  // Keep the options' order, so the URL and the query do not depend on click order.
  next.sort((a, b) => options.indexOf(a) - options.indexOf(b));
  return next.length ? next : initialValue(v, null, options);
}

// How a selection reads in the bar: "All", "api" or "api + web".
export function selectionLabel(selection: Selection): string {
  return selection.includes(ALL) ? "All" : selection.join(" + ");
}
