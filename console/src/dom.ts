// A small element builder: text is always set as text (never parsed as HTML), so nothing the API
// returns can inject markup.
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | ((e: Event) => void) | undefined | null>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.slice(2).toLowerCase(), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

export function replaceChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

export function announce(text: string): void {
  const s = document.getElementById("status");
  if (s) s.textContent = text;
}

/** State -> a CSS class and a word for colour-blind readers (the colour is never the only cue). */
export function stateClass(status: string): string {
  if (status === "Activated") return "state-ok";
  if (["Pending", "Connecting", "Accepting", "Activating", "Suspending"].includes(status)) return "state-wait";
  if (["Rejected", "Expired"].includes(status)) return "state-bad";
  return "state-off";
}

export const fmtTime = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
