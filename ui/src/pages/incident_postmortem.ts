// An incident's post-mortem: the markdown the server drafts at resolution, edited
// here with a preview the server renders (POST /api/v1/incidents/preview, the
// runbooks' CommonMark), and the action items tracked open / done.
import { errorBox, h } from "../dom";
import { type Incident, incidentsApi, needsToken } from "./incident_api";

export function postmortemSection(redraw: (inc: Incident) => void) {
  // Unsaved edits survive redraws caused by other actions on the page.
  let draft: { id: number; text: string } | null = null;

  const render = (inc: Incident): HTMLElement => {
    if (inc.state !== "resolved" && inc.state !== "postmortem_done") {
      return h("section", { class: "postmortem", "data-testid": "postmortem" }, h("h3", null, "Post-mortem"),
        h("p", { class: "empty" }, "Drafted when the incident is resolved."));
    }
    const notice = needsToken("Editing the post-mortem");
    const ro = Boolean(notice);
    const errors = h("div");
    const editor = h("textarea", { rows: 18, class: "postmortem-editor", "aria-label": "Post-mortem markdown", "data-testid": "postmortem-editor", disabled: ro });
    editor.value = draft && draft.id === inc.id ? draft.text : inc.postmortem;
    editor.addEventListener("input", () => (draft = { id: inc.id, text: editor.value }));
    const preview = h("div", { class: "postmortem-preview", "data-testid": "postmortem-preview", hidden: true });
    const previewBtn = h("button", { type: "button", "data-testid": "postmortem-preview-button" }, "Preview");
    previewBtn.addEventListener("click", async () => {
      errors.replaceChildren();
      try {
        // CommonMark from the server with raw HTML left out: safe to insert.
        preview.innerHTML = (await incidentsApi.preview(editor.value)).html;
        preview.hidden = false;
      } catch (err) {
        errors.append(errorBox(err));
      }
    });
    const save = h("button", { type: "button", "data-testid": "postmortem-save", disabled: ro }, "Save post-mortem");
    save.addEventListener("click", async () => {
      save.disabled = true;
      errors.replaceChildren();
      try {
        const next = await incidentsApi.savePostmortem(inc.id, editor.value);
        draft = null;
        redraw(next);
      } catch (err) {
        save.disabled = false;
        errors.append(errorBox(err));
      }
    });

    const itemErrors = h("div");
    const items = h("ul", { class: "action-items", "data-testid": "action-items" },
      inc.action_items.length ? inc.action_items.map((a) => {
        const box = h("input", { type: "checkbox", checked: a.done, disabled: ro, "aria-label": `Action item ${a.id} done` });
        box.addEventListener("change", async () => {
          box.disabled = true;
          itemErrors.replaceChildren();
          try {
            redraw(await incidentsApi.setActionItemDone(inc.id, a.id, box.checked));
          } catch (err) {
            box.disabled = false;
            box.checked = !box.checked;
            itemErrors.append(errorBox(err));
          }
        });
        return h("li", { "data-item": String(a.id), "data-done": String(a.done) },
          h("label", null, box, " ", h("span", { class: a.done ? "done" : "" }, a.text)),
          a.owner ? h("span", { class: "muted" }, ` (${a.owner})`) : null,
          h("span", { class: `badge ${a.done ? "up" : "pending"}` }, a.done ? "done" : "open"));
      }) : h("li", { class: "empty" }, "No action items yet."));
    const text = h("input", { type: "text", placeholder: "Alert on deploy error rate", "aria-label": "Action item", size: 40, disabled: ro });
    const owner = h("input", { type: "text", placeholder: "owner", "aria-label": "Owner", size: 12, disabled: ro });
    const add = h("button", { type: "button", "data-testid": "add-action-item", disabled: ro }, "Add action item");
    add.addEventListener("click", async () => {
      itemErrors.replaceChildren();
      if (!text.value.trim()) {
        itemErrors.append(errorBox("Describe the action item first."));
        return;
      }
      add.disabled = true;
      try {
        redraw(await incidentsApi.addActionItem(inc.id, text.value.trim(), owner.value.trim()));
      } catch (err) {
        add.disabled = false;
        itemErrors.append(errorBox(err));
      }
    });
    const open = inc.action_items.filter((a) => !a.done).length;
    return h("section", { class: "postmortem", "data-testid": "postmortem" },
      h("h3", null, "Post-mortem"),
      notice,
      h("div", { class: "postmortem-grid" }, editor, preview),
      h("div", { class: "row" }, previewBtn, save),
      errors,
      h("h4", null, `Action items (${open} open of ${inc.action_items.length})`),
      items,
      h("div", { class: "row" }, text, owner, add),
      itemErrors);
  };
  return { render };
}
