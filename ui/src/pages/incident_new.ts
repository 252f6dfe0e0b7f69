// Open an incident by hand (/ui/incidents/new): a title and a severity; the new
// incident's page opens once the server has it (its escalation policy pages at once).
import { errorBox, h, link } from "../dom";
import type { Page } from "../main";
import { navigate } from "../url";
import { incidentsApi, needsToken, SEVERITIES } from "./incident_api";

export function incidentNewPage(): Page {
  const notice = needsToken("Opening an incident");
  const title = h("input", { type: "text", name: "title", required: true, placeholder: "What is wrong, e.g. Checkout failing for EU customers", "aria-label": "Title", size: 60 });
  const severity = h("select", { name: "severity", "aria-label": "Severity" }, SEVERITIES.map((s) => h("option", { value: s }, s)));
  severity.value = "P3";
  const submit = h("button", { type: "submit", disabled: Boolean(notice) }, "Open incident");
  const errors = h("div");
  const form = h("form", { class: "incident-form", "data-testid": "incident-form" },
    h("label", null, "Title", title),
    h("label", null, "Severity", severity, h("span", { class: "muted" }, " P1 pages at once; P4 waits for business hours")),
    h("div", null, submit, " ", link("/ui/incidents", "Cancel")),
    errors);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    if (!title.value.trim()) {
      errors.append(errorBox("A title is required."));
      return;
    }
    submit.disabled = true;
    try {
      const inc = await incidentsApi.open(title.value.trim(), severity.value);
      navigate(`/ui/incidents/${inc.id}`);
    } catch (err) {
      submit.disabled = false;
      errors.append(errorBox(err));
    }
  });
  return { el: h("div", { class: "incident-new" }, h("h2", null, "Open an incident"), notice, form) };
}
