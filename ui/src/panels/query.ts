// What every panel type needs: its queries run for the dashboard's time range, as a
// range (charts, stats) or an instant at the range's end (gauge, table, bar).
import { ApiError, type Labels, type MatrixSeries, queryInstant, queryRange } from "../api";
import { type ChartData, toChartData } from "../chart";
import type { PanelQuery } from "../dashboards";

export interface LoadContext {
  queries: PanelQuery[]; // variables already substituted
  start: number; // Unix seconds, aligned to step
  end: number;
  step: number;
  signal: AbortSignal;
}

// A panel type: draws into its body, resolves with the number of series drawn.
export interface PanelRenderer {
  load(ctx: LoadContext): Promise<number>;
  destroy?(): void;
  // The panel went full screen (true) or back (false).
  fullscreen?(on: boolean): void;
  // Charts: points per series and how long the last draw took (ms), for the page's
  // data-points / data-draw-ms (read by the smoothness test).
  stats?: { points: number; drawMs: number };
}

export async function rangeData(ctx: LoadContext): Promise<ChartData> {
  const results = await Promise.all(
    ctx.queries.map(async (q) => {
      const data = await queryRange(q.expr, ctx.start, ctx.end, ctx.step, ctx.signal);
      if (data.resultType !== "matrix") throw new ApiError(`expected a range vector, got ${data.resultType}`, 200);
      return { series: data.result as MatrixSeries[], legend: q.legend };
    }),
  );
  return toChartData(results, ctx.start, ctx.end, ctx.step);
}

export interface InstantRow {
  metric: Labels;
  value: number;
  legend?: string;
}

// Each query's instant vector (or scalar) at the end of the range.
export async function instantData(ctx: LoadContext): Promise<InstantRow[]> {
  const results = await Promise.all(
    ctx.queries.map(async (q) => {
      const data = await queryInstant(q.expr, ctx.end, ctx.signal);
      if (data.resultType === "vector") {
        return data.result.map((s) => ({ metric: s.metric, value: Number(s.value[1]), legend: q.legend }));
      }
      if (data.resultType === "scalar") return [{ metric: {}, value: Number(data.result[1]), legend: q.legend }];
      throw new ApiError(`expected an instant vector or a scalar, got ${data.resultType}`, 200);
    }),
  );
  return results.flat();
}
