// The console's page: sign-in (a one-time link's token from the URL fragment, or an API key typed in,
// each exchanged once for an HttpOnly session cookie), then hash routes for each section.
import { ApiError, api, whenSignedOut } from "./api";
import { disposeCharts, renderDetail } from "./detail";
import { announce, h, replaceChildren } from "./dom";
import { renderEvents } from "./events";
import { renderPeerings } from "./peerings";
import { disposeGraph, renderTopology } from "./topology";

const main = document.getElementById("main") as HTMLElement;
const nav = document.getElementById("nav") as HTMLElement;
const who = document.getElementById("who") as HTMLElement;
const signOut = document.getElementById("sign-out") as HTMLButtonElement;

function showSignIn(message = ""): void {
  nav.hidden = true;
  signOut.hidden = true;
  who.textContent = "";
  const input = h("input", { id: "api-key", name: "apiKey", type: "password", autocomplete: "off", required: true, spellcheck: "false" });
  const error = h("p", { class: "error", role: "alert", id: "signin-error" }, message);
  const form = h("form", {}, h("label", { for: "api-key" }, "API key", input), h("button", { type: "submit", class: "primary" }, "Sign in"), error);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api.signIn({ apiKey: input.value });
      input.value = "";
      await start();
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : String(err);
    }
  });
  replaceChildren(
    main,
    h(
      "section",
      { class: "signin" },
      h("h2", {}, "Sign in"),
      h(
        "p",
        {},
        "Run ",
        h("code", {}, "npx peerlink console --account NAME"),
        " for a one-time sign-in link, or enter an API key. The key is exchanged for a session that ends with this browser session; it is not stored.",
      ),
      form,
    ),
  );
  input.focus();
}

async function route(): Promise<void> {
  disposeCharts();
  disposeGraph();
  const path = location.hash.replace(/^#\/?/, "") || "topology";
  const [section, id] = path.split("/");
  for (const a of nav.querySelectorAll("a")) {
    if (a.dataset.section === section) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  // Each visit renders into its own element: a slower earlier one then finishes off-page, harmlessly.
  const view = h("div", { class: "view" });
  replaceChildren(main, view);
  try {
    if (section === "peerings" && id) await renderDetail(view, id);
    else if (section === "peerings") await renderPeerings(view);
    else if (section === "events") await renderEvents(view);
    else await renderTopology(view);
    document.title = `Peerlink console: ${section}`;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    replaceChildren(
      view,
      h("h2", {}, "Something went wrong"),
      h("p", { class: "error", role: "alert" }, e instanceof ApiError ? `${e.code}: ${e.message}` : String(e)),
    );
  }
}

async function start(): Promise<void> {
  const me = await api.account();
  who.textContent = `Signed in as ${me.name} (${me.accountId})`;
  nav.hidden = false;
  signOut.hidden = false;
  await route();
  main.focus();
}

async function boot(): Promise<void> {
  whenSignedOut(() => showSignIn("Your session has ended; sign in again."));
  window.addEventListener("hashchange", () => {
    if (!nav.hidden) void route().then(() => main.focus());
  });
  signOut.addEventListener("click", async () => {
    await api.signOut().catch(() => undefined);
    announce("Signed out");
    showSignIn();
  });
  // The one-time token is read from the fragment and wiped from the address bar and history at once.
  const m = /^#signin=([^&]+)/.exec(location.hash);
  if (m) {
    history.replaceState(null, "", `${location.pathname}#/topology`);
    try {
      await api.signIn({ token: decodeURIComponent(m[1]) });
    } catch (e) {
      showSignIn(e instanceof ApiError ? e.message : String(e));
      return;
    }
  }
  try {
    await start();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) showSignIn();
    else throw e;
  }
}

void boot();
