// The SLO endpoints as the SLO page uses them (src/api/slo.h documents them):
// fractions are plain numbers (0.995), null when there were no events; times are
// RFC 3339 strings.
import { request } from "../api";

export interface SloAlert {
  alert: string; // SLOBurnRate1h, ...
  state: "pending" | "firing";
  severity: string;
  activeAt: string;
}

export interface SloStatus {
  service: string;
  slo: string;
  description: string;
  sli: "events" | "latency";
  objective: number;
  criticalObjective: number | null;
  window: string; // "30d", "calendar month"
  windowStart: string;
  goodEvents: number;
  totalEvents: number;
  achieved: number | null;
  budgetUsed: number | null;
  budgetRemaining: number | null;
  errorRatio1h: number | null;
  burnRate1h: number | null;
  burnRateWindow: number | null;
  exhaustionTime: string | null;
  exhausted: boolean;
  belowCritical: boolean;
  ruleGroup: string;
  alerts: SloAlert[];
}

// Where a day's counts came from: the TSDB, or the SLO history in state.db once the
// TSDB's retention dropped the day (or it counted fewer events).
export type DaySource = "tsdb" | "stored" | "none";

export interface ReportDay {
  date: string; // "2024-02-10"
  achieved: number;
  goodEvents: number;
  totalEvents: number;
  source: DaySource;
}

export interface ReportSlo {
  service: string;
  slo: string;
  objective: number;
  criticalObjective: number | null;
  goodEvents: number;
  totalEvents: number;
  achieved: number | null;
  budgetUsed: number | null;
  budgetRemaining: number | null;
  met: boolean;
  criticalBreached: boolean;
  status: "met" | "missed" | "critical" | "no data";
  breaches: number;
  breachDays: string[];
  worstDay: ReportDay | null;
  storedDays: number;
  noDataDays: string[];
  days: ReportDay[];
}

export interface MonthReport {
  month: string; // "2024-02"
  start: string;
  end: string;
  evaluatedAt: string;
  complete: boolean;
  slos: ReportSlo[];
}

export interface HistoryPoint {
  start: string;
  end: string;
  goodEvents: number;
  totalEvents: number;
  sli: number | null;
  achievedSoFar: number | null;
  budgetRemaining: number | null;
  source: DaySource;
}

export interface SloHistory {
  service: string;
  slo: string;
  description: string;
  sli: "events" | "latency";
  objective: number;
  criticalObjective: number | null;
  window: string;
  start: string;
  end: string;
  step: number; // seconds
  storedPoints: number; // points counted from the SLO history in state.db
  span: {
    goodEvents: number;
    totalEvents: number;
    achieved: number | null;
    budgetUsed: number | null;
    budgetRemaining: number | null;
    burnRate: number | null;
  };
  points: HistoryPoint[];
  current: SloStatus;
}

export const sloApi = {
  list: (signal?: AbortSignal) => request<{ slos: SloStatus[] }>("/api/v1/slos", { signal }),
  report: (month: string, signal?: AbortSignal) =>
    request<MonthReport>(`/api/v1/slos/report?month=${encodeURIComponent(month)}`, { signal }),
  // The SLO's budget window up to now, or a calendar month ("" : the window).
  history: (service: string, slo: string, month: string, signal?: AbortSignal) =>
    request<SloHistory>(
      `/api/v1/slos/${encodeURIComponent(service)}/${encodeURIComponent(slo)}/history` +
        (month ? `?month=${encodeURIComponent(month)}` : ""),
      { signal },
    ),
};
