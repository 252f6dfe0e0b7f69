// Where the editor's choices come from: metric names, label names and values from
// Prometheus' series API (/api/v1/label/<name>/values, /api/v1/labels with match[])
// and types and help from /api/v1/metadata, each answer kept for a short while so
// that typing does not send a request per key.
import { request } from "./api";
import {
  atModifierItems, durationItems, functionItems, type Item, keywordItems, labelItems, metricItems, type MetricMeta,
  valueItems,
} from "./completion_items";
import type { Context } from "./promql_context";

const TTL_MS = 30_000;
// As Prometheus' own editor: names seen in the last 12 hours, not all of history.
const LOOKBACK_S = 12 * 3600;

export class CompletionSource {
  private cache = new Map<string, { at: number; value: Promise<unknown> }>();

  private get<T>(path: string, params: [string, string][] = []): Promise<T> {
    const now = Date.now();
    const end = Math.floor(now / 1000);
    const q = new URLSearchParams([...params, ["start", String(end - LOOKBACK_S)], ["end", String(end)]]);
    const key = `${path}?${params.map(([k, v]) => `${k}=${v}`).join("&")}`;
    const hit = this.cache.get(key);
    if (hit && now - hit.at < TTL_MS) return hit.value as Promise<T>;
    const value = request<T>(`${path}?${q}`);
    this.cache.set(key, { at: now, value });
    value.catch(() => this.cache.delete(key)); // a failure is not remembered
    return value;
  }

  private metricNames = () => this.get<string[]>("/api/v1/label/__name__/values");
  private metadata = () =>
    request<Record<string, MetricMeta[]>>("/api/v1/metadata").catch(() => ({}) as Record<string, MetricMeta[]>);

  // Label names of the series the selectors match (all series when there are none).
  private labelNames(selectors: (string | undefined)[]): Promise<string[]> {
    const match = selectors.filter((s): s is string => s !== undefined);
    return this.get<string[]>("/api/v1/labels", match.map((m) => ["match[]", m]))
      .then((names) => names.filter((n) => n !== "__name__"));
  }

  private labelValues(label: string, sel?: string): Promise<string[]> {
    return this.get<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values`, sel ? [["match[]", sel]] : []);
  }

  // The unranked choices for `ctx`.
  async items(ctx: Context): Promise<Item[]> {
    switch (ctx.kind) {
      case "none":
        return [];
      case "expression": {
        const [names, meta] = await Promise.all([this.metricNames(), this.metadataCached()]);
        return [...metricItems(names, meta), ...functionItems()];
      }
      case "keyword":
        return keywordItems(ctx.keywords);
      case "labelName":
        return labelItems(await this.labelNames([selector(ctx.metric, ctx.filters)]), ctx.used);
      case "groupingLabel":
        return labelItems(await this.labelNames(ctx.metrics.map((m) => selector(m, []))), ctx.used);
      case "labelValue":
        return valueItems(await this.labelValues(ctx.label, selector(ctx.metric, ctx.filters)));
      case "duration":
        return durationItems(ctx.prefix);
      case "atModifier":
        return atModifierItems(Date.now());
    }
  }

  private metaPromise: { at: number; value: Promise<Record<string, MetricMeta[]>> } | null = null;
  private metadataCached(): Promise<Record<string, MetricMeta[]>> {
    const now = Date.now();
    if (!this.metaPromise || now - this.metaPromise.at > TTL_MS) this.metaPromise = { at: now, value: this.metadata() };
    return this.metaPromise.value;
  }
}

// The match[] for a metric and the selector's other matchers: `{__name__="x", job="a"}`
// (not `x{...}`: metric names may hold characters a bare name cannot). None when it
// would match every series or be refused (a selector needs a matcher that does not
// match the empty string).
export function selector(metric: string | undefined, filters: string[]): string | undefined {
  const parts = [...(metric ? [`__name__=${JSON.stringify(metric)}`] : []), ...filters];
  const selective = metric || filters.some((f) => /^[A-Za-z_][A-Za-z0-9_]*=(?!~)/.test(f) && !/=(""|''|``)$/.test(f));
  return selective ? `{${parts.join(", ")}}` : undefined;
}
