// The page's query string as state: read it, change it without a reload.
export function params(): URLSearchParams {
  return new URLSearchParams(location.search);
}

export function setParams(p: URLSearchParams, push = false): void {
  const url = `${location.pathname}?${p.toString()}`;
  if (url === location.pathname + location.search) return;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}

// In-app navigation: the router listens for popstate.
export function navigate(href: string): void {
  history.pushState(null, "", href);
  window.dispatchEvent(new PopStateEvent("popstate"));
}
