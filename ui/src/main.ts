// The app shell: header navigation, settings (the API token) and a tiny router over
// history URLs under /ui/ (hastewatch answers every /ui/<route> with index.html).
import "./style.css";
import { getToken, setToken } from "./api";
import { h, replace } from "./dom";
import { alertsPage } from "./pages/alerts";
import { explorePage } from "./pages/explore";
import { healthPage } from "./pages/health";
import { incidentsPage } from "./pages/incidents";
import { onCallPage } from "./pages/oncall";
import { slosPage } from "./pages/slos";
import { dashboardPage, homePage } from "./pages/dashboard";
import { dashboardsPage } from "./pages/dashboards";
import { targetsPage } from "./pages/targets";
import { navigate } from "./url";

export interface Page {
  el: HTMLElement;
  destroy?: () => void;
}

const BASE = "/ui/";

// `nav: false`: a route reached by links only (not in the header).
const ROUTES: { path: string; title: string; page: () => Page; nav?: false }[] = [
  { path: "", title: "Overview", page: homePage },
  { path: "dashboards", title: "Dashboards", page: dashboardsPage },
  { path: "d", title: "Dashboard", page: () => dashboardPage(), nav: false },
  { path: "explore", title: "Explore", page: explorePage },
  { path: "alerts", title: "Alerts", page: alertsPage },
  { path: "incidents", title: "Incidents", page: incidentsPage },
  { path: "oncall", title: "On call", page: onCallPage },
  { path: "slos", title: "SLOs", page: slosPage },
  { path: "targets", title: "Targets", page: targetsPage },
  { path: "health", title: "Health", page: healthPage },
];

let current: Page | null = null;
const main = h("main", { id: "page" });
const nav = h("nav", { class: "nav" });


function routeOf(pathname: string) {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : "";
  const first = rest.split("/")[0];
  return ROUTES.find((r) => r.path === first) ?? null;
}

function render(): void {
  if (!location.pathname.startsWith(BASE)) {
    history.replaceState(null, "", BASE + location.search);
  }
  current?.destroy?.();
  current = null;
  const route = routeOf(location.pathname);
  replace(
    nav,
    ROUTES.filter((r) => r.nav !== false).map((r) =>
      h("a", { href: BASE + r.path, "data-nav": "", class: r === route ? "active" : "" }, r.title),
    ),
  );
  if (!route) {
    replace(main, h("div", { class: "error" }, `No page at ${location.pathname}.`));
    document.title = "Not found · hastewatch";
    return;
  }
  document.title = `${route.title} · hastewatch`;
  current = route.page();
  replace(main, current.el);
}

function settings(): HTMLElement {
  const input = h("input", { type: "password", placeholder: "API token", "aria-label": "API token", autocomplete: "off", value: getToken() });
  const state = h("span", { class: "muted", "data-testid": "token-state" });
  const show = () => (state.textContent = getToken() ? "a token is set" : "no token: read-only");
  show();
  const box = h(
    "div",
    { class: "settings", hidden: true },
    h("label", null, "Token for writes (silences) and /health/detailed, sent as Authorization: Bearer and kept in this browser's localStorage"),
    h("div", { class: "row" },
      input,
      h("button", { type: "button", onclick: () => { setToken(input.value.trim()); show(); render(); } }, "Save"),
      h("button", { type: "button", onclick: () => { input.value = ""; setToken(""); show(); render(); } }, "Clear"),
      state),
  );
  const toggle = h("button", { type: "button", class: "settings-toggle", onclick: () => (box.hidden = !box.hidden) }, "⚙ Settings");
  return h("div", { class: "settings-wrap" }, toggle, box);
}

function start(): void {
  const app = document.getElementById("app")!;
  replace(
    app,
    h("header", null, h("a", { class: "brand", href: BASE, "data-nav": "" }, "hastewatch"), nav, settings()),
    main,
  );
  document.addEventListener("click", (e) => {
    const a = (e.target as Element).closest?.("a[data-nav]") as HTMLAnchorElement | null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || a.target) return;
    e.preventDefault();
    navigate(a.getAttribute("href")!);
  });
  window.addEventListener("popstate", render);
  render();
}

start();
