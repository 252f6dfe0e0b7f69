// The dashboards list (/ui/dashboards): every dashboard the server offers, from the
// config's `dashboards` files or the built-in pack.
import { type DashboardSummary, listDashboards } from "../dashboards";
import { errorBox, h, link, replace } from "../dom";
import type { Page } from "../main";
import { dashboardHref } from "./dashboard";

export function dashboardsPage(): Page {
  const body = h("div", { class: "muted" }, "Loading…");
  const row = (d: DashboardSummary) =>
    h("tr", { "data-dashboard": d.id },
      h("td", null, link(dashboardHref(d.id), d.title)),
      h("td", { class: "num" }, String(d.panels)),
      h("td", { class: "muted" }, d.file));
  listDashboards()
    .then((list) =>
      replace(body, list.length
        ? h("table", { class: "results dashboards-list" },
            h("thead", null, h("tr", null, h("th", null, "Dashboard"), h("th", { class: "num" }, "Panels"), h("th", null, "File"))),
            h("tbody", null, list.map(row)))
        : h("div", { class: "empty" }, "No dashboards: add JSON files to `dashboards:` in hastewatch.yml.")))
    .catch((e) => replace(body, errorBox(e)));
  return { el: h("div", { class: "page" }, h("h2", null, "Dashboards"), body) };
}
