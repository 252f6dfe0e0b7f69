// The Explore editor: a textarea with a completion list under the caret. The list
// opens as an identifier, label or value is typed (Ctrl+Space opens it anywhere);
// Up/Down choose, Enter or Tab accept, Esc closes; Ctrl/Cmd+Enter (or Shift+Enter)
// runs the query. What to offer is decided by promql_context.ts, the choices come
// from completion_source.ts.
import { applyItem, type Item, rank } from "./completion_items";
import type { CompletionSource } from "./completion_source";
import { type Child, h, replace } from "./dom";
import { signatureHelp } from "./promql_call";
import { completionContext, type Context } from "./promql_context";

const KIND_TAG: Record<Item["kind"], string> = {
  metric: "metric", function: "ƒ", aggregation: "agg", keyword: "kw", label: "label", value: "value", duration: "dur",
  modifier: "@",
};
// Contexts worth opening for before anything is typed (a `{`, a quote, a `[`, an `@`).
const OPEN_ON_EMPTY = new Set<Context["kind"]>(["labelName", "groupingLabel", "labelValue", "duration", "atModifier"]);

let nextId = 0;

export interface Editor {
  el: HTMLElement;
  destroy: () => void;
}

export function promqlEditor(input: HTMLTextAreaElement, source: CompletionSource, onRun: () => void): Editor {
  const listId = `completions-${++nextId}`;
  const list = h("ul", { class: "completions", id: listId, role: "listbox", "aria-label": "Completions", hidden: true });
  const doc = h("div", { class: "completion-doc", "data-testid": "completion-doc", hidden: true });
  const popup = h("div", { class: "completion-popup", "data-testid": "completions" }, list, doc);
  popup.hidden = true;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", listId);
  input.setAttribute("aria-expanded", "false");
  // The signature of the call the cursor is in, its current argument in bold. Its
  // line is always reserved (visibility, not display), so showing or hiding it never
  // moves the buttons below between a mouse down and up.
  const hint = h("div", { class: "signature-help", "data-testid": "signature-help", style: "visibility: hidden" });
  const el = h("div", { class: "promql-editor" }, input, popup, hint);
  const updateHint = () => {
    const help = input.selectionStart === input.selectionEnd ? signatureHelp(input.value, input.selectionStart) : null;
    hint.style.visibility = help ? "visible" : "hidden";
    if (!help) return;
    const args: Child[] = [];
    help.parts.forEach((p, i) => {
      if (i) args.push(", ");
      args.push(p.current ? h("b", { "data-current": "" }, p.text) : p.text);
    });
    replace(hint, h("code", null, help.prefix, ...args, help.suffix), h("span", { class: "muted" }, ` ${help.doc}`));
  };

  let items: Item[] = [];
  let selected = 0;
  let ctx: Context = { kind: "none" };
  let seq = 0; // answers to older requests are dropped

  const close = () => {
    seq++;
    items = [];
    popup.hidden = true;
    list.hidden = true;
    doc.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };

  const select = (i: number) => {
    selected = (i + items.length) % items.length;
    list.querySelectorAll("li").forEach((li, k) => li.setAttribute("aria-selected", String(k === selected)));
    const li = list.children[selected] as HTMLElement | undefined;
    li?.scrollIntoView({ block: "nearest" });
    if (li) input.setAttribute("aria-activedescendant", li.id);
    const item = items[selected];
    const text = [item.detail, item.doc].filter(Boolean);
    doc.hidden = text.length === 0;
    replace(doc, item.detail ? h("code", null, item.detail) : null, item.doc ? h("div", null, item.doc) : null);
  };

  const render = (prefix: string) => {
    replace(list, items.map((item, i) => {
      const n = item.label.toLowerCase().startsWith(prefix.toLowerCase()) ? prefix.length : 0;
      return h("li", {
        id: `${listId}-${i}`, role: "option", "aria-selected": "false", "data-kind": item.kind,
        onmousedown: (e: MouseEvent) => e.preventDefault(), // keep the focus in the textarea
        onclick: () => accept(i),
      },
        h("span", { class: `kind ${item.kind}` }, KIND_TAG[item.kind]),
        h("span", { class: "name" }, n ? h("mark", null, item.label.slice(0, n)) : null, item.label.slice(n)),
        (item.kind === "metric" || item.kind === "modifier") && item.detail
          ? h("span", { class: "muted type" }, item.detail) : null);
    }));
    popup.hidden = false;
    list.hidden = false;
    const caret = caretOffset(input, input.selectionStart);
    popup.style.top = `${input.offsetTop + caret.top + caret.height + 2}px`;
    // Under the caret, but inside the editor's width.
    popup.style.left = `${Math.max(0, Math.min(input.offsetLeft + caret.left, el.clientWidth - popup.offsetWidth))}px`;
    input.setAttribute("aria-expanded", "true");
    select(0);
  };

  const update = async (force: boolean) => {
    const c = completionContext(input.value, input.selectionStart);
    if (c.kind === "none" || (!force && !c.prefix && !OPEN_ON_EMPTY.has(c.kind))) {
      close();
      return;
    }
    const mine = ++seq;
    let got: Item[];
    try {
      got = rank(await source.items(c), c.prefix);
    } catch {
      got = []; // suggestions are a help: a failed look-up just offers nothing
    }
    if (mine !== seq) return;
    if (!got.length) {
      close();
      return;
    }
    ctx = c;
    items = got;
    render(c.prefix);
  };

  const accept = (i: number) => {
    const item = items[i];
    // The context of the text now, not of when the list was filled: a key typed
    // since (a quote after `=`) must not be overwritten.
    const now = completionContext(input.value, input.selectionStart);
    if (!item || now.kind === "none" || now.kind !== ctx.kind) {
      close();
      return;
    }
    const edit = applyItem(input.value, now, item);
    input.value = edit.text;
    input.setSelectionRange(edit.cursor, edit.cursor);
    input.focus();
    close();
    updateHint();
    void update(false); // e.g. `by (` goes on to label names
  };

  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey || e.shiftKey)) {
      e.preventDefault();
      close();
      onRun();
      return;
    }
    if (e.key === " " && e.ctrlKey) {
      e.preventDefault();
      void update(true);
      return;
    }
    if (popup.hidden) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      select(selected + (e.key === "ArrowDown" ? 1 : -1)); // wraps around
    } else if (e.key === "PageDown" || e.key === "PageUp") {
      e.preventDefault();
      select(Math.max(0, Math.min(items.length - 1, selected + (e.key === "PageDown" ? 8 : -8))));
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      accept(selected);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  });
  input.addEventListener("input", () => void update(false));
  for (const ev of ["input", "keyup", "click", "focus"]) input.addEventListener(ev, updateHint);
  input.addEventListener("blur", () => (hint.style.visibility = "hidden"));
  input.addEventListener("keyup", (e) => {
    if (!popup.hidden && ["ArrowLeft", "ArrowRight", "Home", "End"].includes(e.key)) void update(false);
  });
  input.addEventListener("click", close);
  input.addEventListener("blur", close);
  input.addEventListener("scroll", close);
  return { el, destroy: close };
}

// Where the caret at `pos` is drawn, relative to the textarea's border box: a
// hidden copy of the textarea's text and box measures it.
const COPIED = [
  "boxSizing", "width", "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "borderStyle",
  "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "fontStyle", "fontVariant", "fontWeight", "fontStretch",
  "fontSize", "lineHeight", "fontFamily", "textAlign", "textTransform", "textIndent", "letterSpacing", "wordSpacing", "tabSize",
] as const;

function caretOffset(ta: HTMLTextAreaElement, pos: number): { left: number; top: number; height: number } {
  const cs = getComputedStyle(ta);
  const mirror = document.createElement("div");
  for (const p of COPIED) mirror.style[p] = cs[p];
  Object.assign(mirror.style, {
    position: "absolute", visibility: "hidden", top: "0", left: "0", whiteSpace: "pre-wrap", overflowWrap: "break-word", overflow: "hidden",
  });
  mirror.textContent = ta.value.slice(0, pos);
  const marker = document.createElement("span");
  marker.textContent = ta.value.slice(pos) || ".";
  mirror.appendChild(marker);
  document.body.appendChild(mirror);
  const height = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.3;
  // offsetLeft/Top count from inside the mirror's border.
  const out = {
    left: marker.offsetLeft + parseFloat(cs.borderLeftWidth) - ta.scrollLeft,
    top: marker.offsetTop + parseFloat(cs.borderTopWidth) - ta.scrollTop,
    height,
  };
  mirror.remove();
  return out;
}
