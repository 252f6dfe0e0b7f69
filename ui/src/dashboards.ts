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
// on the series `match` selects; `$name` / `${name}` in queries take the selection.
export interface VariableSpec {
  name: string;
  label?: string;
  match?: string;
  title?: string;
  all?: boolean; // offer "All" (default true)
  default?: string;
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

export type VariableValues = Map<string, string>; // name -> value or ALL

// `$name` and `${name}` replaced by the variable's value, escaped for a double-quoted
// PromQL string so that no value can break the query; ALL becomes ".*". Unknown names
// stay as they are (the server's load check reports them).
export function substitute(query: string, values: VariableValues): string {
  return query.replace(/\$(?:\{(\w+)\}|(\w+))/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    if (!values.has(name)) return whole;
    const v = values.get(name)!;
    return v === ALL ? ".*" : v.replace(/[\\"]/g, (c) => `\\${c}`);
  });
}

// Variables live in the URL as var-<name>=<value> (Grafana's spelling), "All" as
// var-<name>=$__all, so links share the selection.
export function readVariable(params: URLSearchParams, v: VariableSpec): string | null {
  return params.get(`var-${v.name}`);
}

export function writeVariables(params: URLSearchParams, values: VariableValues): void {
  for (const [name, value] of values) params.set(`var-${name}`, value);
}

// The value a variable starts with: the URL's, else its default, else All (or the
// first option when All is not offered).
export function initialValue(v: VariableSpec, fromUrl: string | null, options: string[]): string {
  if (fromUrl !== null) return fromUrl;
  if (v.default !== undefined) return v.default;
  if (v.all !== false) return ALL;
  return options[0] ?? ALL;
}
