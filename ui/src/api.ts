// The HTTP API as the UI uses it: Prometheus' /api/v1 envelope, Alertmanager's
// /api/v2 and /health. The write token lives in localStorage and is sent as
// Authorization: Bearer on every request once set.

const TOKEN_KEY = "hastewatch.token";

export function getToken(): string {
  try {
    return localStorage.getItem(TOKEN_KEY) ?? "";
  } catch {
    return "";
  }
}

export function setToken(token: string): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

// An error from the server, with its errorType and, for PromQL parse errors
// ("1:17: parse error: ..."), the 1-based line and column.
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorType = "",
    readonly position?: { line: number; column: number },
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function parsePosition(message: string): { line: number; column: number } | undefined {
  const m = /(?:^|: )(\d+):(\d+): parse error/.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

export async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const token = getToken();
  if (token) headers.set("Authorization", `Bearer ${token}`);
  let resp: Response;
  try {
    resp = await fetch(path, { ...init, headers });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(`cannot reach hastewatch: ${(e as Error).message}`, 0, "unavailable");
  }
  const text = await resp.text();
  let body: any = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  if (!resp.ok || body?.status === "error") {
    const msg: string =
      body?.error ?? body?.message ?? (text.trim() || `${resp.status} ${resp.statusText}`);
    const hint = resp.status === 401 || resp.status === 403 ? " (set a token in Settings)" : "";
    throw new ApiError(msg + hint, resp.status, body?.errorType ?? "", parsePosition(msg));
  }
  return (body && typeof body === "object" && "status" in body && "data" in body ? body.data : body) as T;
}

export type Labels = Record<string, string>;
export interface MatrixSeries {
  metric: Labels;
  values: [number, string][];
}
export interface VectorSample {
  metric: Labels;
  value: [number, string];
}
export type QueryData =
  | { resultType: "matrix"; result: MatrixSeries[] }
  | { resultType: "vector"; result: VectorSample[] }
  | { resultType: "scalar" | "string"; result: [number, string] };

function form(params: Record<string, string | number>): RequestInit {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) body.set(k, String(v));
  return { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } };
}

export function queryRange(
  query: string,
  start: number,
  end: number,
  step: number,
  signal?: AbortSignal,
): Promise<QueryData> {
  return request<QueryData>("/api/v1/query_range", { ...form({ query, start, end, step }), signal });
}

export function queryInstant(query: string, time: number, signal?: AbortSignal): Promise<QueryData> {
  return request<QueryData>("/api/v1/query", { ...form({ query, time }), signal });
}

export interface RuleAlert {
  labels: Labels;
  annotations: Labels;
  state: "firing" | "pending" | "inactive";
  activeAt?: string;
  value?: string;
}

export interface AmAlert {
  labels: Labels;
  annotations: Labels;
  fingerprint: string;
  startsAt: string;
  endsAt: string;
  status: { state: "active" | "suppressed" | "unprocessed"; silencedBy: string[]; inhibitedBy: string[] };
  receivers?: { name: string }[];
}

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  updatedAt?: string;
  status: { state: "active" | "pending" | "expired" };
}

export interface Target {
  discoveredLabels?: Labels;
  labels: Labels;
  scrapePool: string;
  scrapeUrl: string;
  health: "up" | "down" | "unknown";
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
  scrapeInterval?: string;
}

export interface RuleGroup {
  name: string;
  file: string;
  interval: number;
  rules: {
    name: string;
    query: string;
    type: "alerting" | "recording";
    health: string;
    lastError?: string;
    lastEvaluation?: string;
    state?: string;
    alerts?: RuleAlert[];
  }[];
}

export const api = {
  alerts: () => request<{ alerts: RuleAlert[] }>("/api/v1/alerts"),
  amAlerts: () => request<AmAlert[]>("/api/v2/alerts"),
  silences: () => request<Silence[]>("/api/v2/silences"),
  createSilence: (s: Omit<Silence, "id" | "status" | "updatedAt">) =>
    request<{ silenceID: string }>("/api/v2/silences", {
      method: "POST",
      body: JSON.stringify(s),
      headers: { "Content-Type": "application/json" },
    }),
  expireSilence: (id: string) => request<unknown>(`/api/v2/silence/${encodeURIComponent(id)}`, { method: "DELETE" }),
  rules: () => request<{ groups: RuleGroup[] }>("/api/v1/rules"),
  targets: () => request<{ activeTargets: Target[]; droppedTargets: unknown[] }>("/api/v1/targets"),
  ready: () => fetch("/health/ready").then(async (r) => ({ status: r.status, body: await r.json().catch(() => null) })),
  detailed: () => request<any>("/health/detailed"),
};
