// An instant query as a table: one row per series, a column per label (in the order
// first seen, __name__ left out) and the value in the panel's unit. Clicking a header
// sorts by it; clicking again reverses.
import type { PanelSpec } from "../dashboards";
import { h, replace } from "../dom";
import { formatValue } from "../units";
import { type InstantRow, instantData, type LoadContext, type PanelRenderer } from "./query";

const VALUE = "Value";

export function tableColumns(rows: InstantRow[]): string[] {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r.metric)) if (k !== "__name__" && !cols.includes(k)) cols.push(k);
  return [...cols, VALUE];
}

export function sortRows(rows: InstantRow[], column: string, descending: boolean): InstantRow[] {
  const dir = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    if (column === VALUE) return dir * ((Number.isNaN(a.value) ? -Infinity : a.value) - (Number.isNaN(b.value) ? -Infinity : b.value));
    return dir * (a.metric[column] ?? "").localeCompare(b.metric[column] ?? "", undefined, { numeric: true });
  });
}

export class TablePanel implements PanelRenderer {
  private rows: InstantRow[] = [];
  private sort = { column: VALUE, descending: true };

  constructor(private readonly body: HTMLElement, private readonly spec: PanelSpec) {}

  async load(ctx: LoadContext): Promise<number> {
    this.rows = await instantData(ctx);
    this.render();
    return this.rows.length;
  }

  private render(): void {
    const cols = tableColumns(this.rows);
    const rows = sortRows(this.rows, this.sort.column, this.sort.descending);
    const header = (c: string) => {
      const active = this.sort.column === c;
      return h("th", {
        class: `sortable${c === VALUE ? " num" : ""}`,
        "aria-sort": active ? (this.sort.descending ? "descending" : "ascending") : "none",
        onclick: () => {
          this.sort = { column: c, descending: active ? !this.sort.descending : c === VALUE };
          this.render();
        },
      }, c, active ? (this.sort.descending ? " ▾" : " ▴") : "");
    };
    replace(
      this.body,
      h("div", { class: "table-wrap" },
        h("table", { class: "panel-table" },
          h("thead", null, h("tr", null, cols.map(header))),
          h("tbody", null,
            rows.map((r) =>
              h("tr", null,
                cols.map((c) => (c === VALUE ? h("td", { class: "num" }, formatValue(r.value, this.spec.unit)) : h("td", null, r.metric[c] ?? "")))))))),
    );
  }
}
