// The incidents API (/api/v1/incidents, /api/v1/oncall) as the incident and on-call
// pages use it, and the small formatting they share.
import { getToken, request } from "../api";
import { h } from "../dom";

export type IncidentState = "triggered" | "acknowledged" | "investigating" | "mitigated" | "resolved" | "postmortem_done";
export const STATES: IncidentState[] = ["triggered", "acknowledged", "investigating", "mitigated", "resolved", "postmortem_done"];
export const SEVERITIES = ["P1", "P2", "P3", "P4"];

export interface TimelineEntry {
  at_ms: number;
  actor: string;
  kind: string;
  text: string;
}

export interface ActionItem {
  id: number;
  text: string;
  owner: string;
  done: boolean;
}

export interface Incident {
  id: number;
  title: string;
  severity: number;
  state: IncidentState;
  group_key: string;
  opened_by: string;
  test: boolean;
  opened_ms: number;
  acknowledged_ms: number;
  resolved_ms: number;
  policy?: { name: string; repeat: number; levels: unknown[] };
  escalation: { level: number; round: number; next_due_ms: number; exhausted: boolean };
  // `pending`: receivers not yet reported (the server sends pages just after recording them).
  pages: { at_ms: number; level: number; round: number; users: string[]; receivers: string[]; reason: string; error: string; pending?: number }[];
  alerts: { fingerprint: string; labels: Record<string, string>; first_seen_ms: number; last_seen_ms: number; resolved: boolean }[];
  timeline: TimelineEntry[];
  postmortem: string;
  action_items: ActionItem[];
  response_time_ms: number;
  response_breached: boolean;
}

export interface OnCall {
  schedule: string;
  time: string;
  user: string;
  handoffs: { time: string; user: string }[];
}

function post(path: string, params: Record<string, string> = {}): Promise<Incident> {
  return request<Incident>(path, {
    method: "POST",
    body: new URLSearchParams(params),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

const one = (id: number) => `/api/v1/incidents/${id}`;

export interface ListQuery {
  open: boolean;
  severity?: string;
  state?: string;
  limit?: number;
  before?: number;
}

// "?open=true&severity=P1&..." (open first, as before), "" for no filter at all.
export function listQuery(q: ListQuery): string {
  const p = new URLSearchParams();
  if (q.open) p.set("open", "true");
  if (q.severity) p.set("severity", q.severity);
  if (q.state) p.set("state", q.state);
  if (q.limit) p.set("limit", String(q.limit));
  if (q.before) p.set("before", String(q.before));
  const s = p.toString();
  return s ? `?${s}` : "";
}

export const incidentsApi = {
  // The server filters; with a limit it answers the newest first, `before` an id pages back.
  list: (q: ListQuery) => request<Incident[]>(`/api/v1/incidents${listQuery(q)}`),
  get: (id: number) => request<Incident>(one(id)),
  open: (title: string, severity: string) => post("/api/v1/incidents", { title, severity }),
  acknowledge: (id: number) => post(`${one(id)}/acknowledge`),
  resolve: (id: number) => post(`${one(id)}/resolve`),
  setState: (id: number, state: string) => post(`${one(id)}/state`, { state }),
  setSeverity: (id: number, severity: string) => post(`${one(id)}/severity`, { severity }),
  addNote: (id: number, text: string) => post(`${one(id)}/notes`, { text }),
  savePostmortem: (id: number, markdown: string) => post(`${one(id)}/postmortem`, { markdown }),
  addActionItem: (id: number, text: string, owner: string) => post(`${one(id)}/action_items`, { text, owner }),
  setActionItemDone: (id: number, item: number, done: boolean) => post(`${one(id)}/action_items/${item}`, { done: String(done) }),
  preview: (markdown: string) =>
    request<{ html: string }>("/api/v1/incidents/preview", {
      method: "POST",
      body: new URLSearchParams({ markdown }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }),
  onCall: (time?: string) => request<OnCall[]>(`/api/v1/oncall${time ? `?time=${encodeURIComponent(time)}` : ""}`),
};

export const isOpen = (inc: Incident) => STATES.indexOf(inc.state) < STATES.indexOf("resolved");

export function severityBadge(severity: number): HTMLElement {
  return h("span", { class: `badge sev-p${severity}`, "data-severity": `P${severity}` }, `P${severity}`);
}

export function stateBadge(state: IncidentState): HTMLElement {
  return h("span", { class: `badge inc-${state}`, "data-state": state }, state.replace("_", " "));
}

// "1h 5m", "15m", "42s" (as the server's HumanDuration).
export function humanDuration(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  s %= 60;
  const parts = [d && `${d}d`, hh && `${hh}h`, m && `${m}m`, (s || !(d || hh || m)) && `${s}s`].filter(Boolean);
  return parts.join(" ");
}

// The notice shown instead of write controls when no token is set (requests would
// only get 401s).
export function needsToken(what: string): HTMLElement | null {
  return getToken()
    ? null
    : h("div", { class: "notice", "data-testid": "token-needed" }, `${what} needs a write token: set one in ⚙ Settings (top right).`);
}

// Keeps a page to its newest answer: each request takes a ticket, and an answer is used
// only while its ticket is the newest and the page is still shown. A slow refresh then
// cannot overwrite what a click just returned, nor an older filter a newer one, nor
// anything land (document.title included) on the page navigated to next.
export class Latest {
  private seq = 0;
  private gone = false;
  // A new ticket: every earlier one stops being current.
  ticket(): () => boolean {
    const mine = ++this.seq;
    return () => !this.gone && mine === this.seq;
  }
  get alive(): boolean {
    return !this.gone;
  }
  destroy(): void {
    this.gone = true;
  }
}
