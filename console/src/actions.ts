// The peering actions the console offers, each behind a confirmation that says what goes with it.
// Who may do what follows the API (accept and reject: the acceptor; bandwidth and re-enable: the
// initiator); the server refuses anything else anyway.
import { ApiError, api, endName, ends, type Peering } from "./api";
import { announce, h, replaceChildren } from "./dom";

export type Action = "accept" | "reject" | "enable" | "bandwidth" | "delete";

const LIVE = new Set(["Pending", "Activating", "Activated", "Suspending", "Suspended"]);

export function actionsFor(p: Peering): Action[] {
  const out: Action[] = [];
  if (p.role === "acceptor" && p.state === "Pending") out.push("accept", "reject");
  if (p.role === "initiator" && p.state === "Expired") out.push("enable");
  if (p.role === "initiator" && p.crossRegion && LIVE.has(p.state)) out.push("bandwidth");
  if (p.state !== "Deleted") out.push("delete");
  return out;
}

const LABEL: Record<Action, string> = {
  accept: "Accept",
  reject: "Reject",
  enable: "Re-enable",
  bandwidth: "Change bandwidth",
  delete: "Delete",
};

export function actionButtons(p: Peering, done: (p: Peering) => void): HTMLElement[] {
  const who = p.name ? `${p.name} (${p.peeringId})` : p.peeringId;
  return actionsFor(p).map((a) =>
    h(
      "button",
      {
        type: "button",
        class: a === "delete" || a === "reject" ? "danger" : a === "accept" ? "primary" : undefined,
        "aria-label": `${LABEL[a]} ${who}`,
        "data-action": a,
        onclick: () => void run(a, p, done),
      },
      LABEL[a],
    ),
  );
}

type DialogSpec = { title: string; body: (Node | string)[]; confirm: string; onConfirm: () => Promise<void> };

/** Opens the modal dialog; resolves when it closes. Focus returns to where it was. */
function confirmDialog(spec: DialogSpec): Promise<void> {
  const dialog = document.getElementById("dialog") as HTMLDialogElement;
  const form = document.getElementById("dialog-form") as HTMLFormElement;
  const error = document.getElementById("dialog-error")!;
  const confirm = document.getElementById("dialog-confirm") as HTMLButtonElement;
  const back = document.activeElement as HTMLElement | null;
  replaceChildren(document.getElementById("dialog-title")!, spec.title);
  replaceChildren(document.getElementById("dialog-body")!, ...spec.body);
  error.textContent = "";
  confirm.textContent = spec.confirm;
  confirm.disabled = false;
  return new Promise((resolve) => {
    const onSubmit = async (e: SubmitEvent) => {
      if ((e.submitter as HTMLButtonElement | null)?.value !== "confirm") return;
      e.preventDefault();
      if (!form.reportValidity()) return;
      confirm.disabled = true;
      try {
        await spec.onConfirm();
        dialog.close();
      } catch (err) {
        error.textContent = err instanceof ApiError ? `${err.code}: ${err.message}` : String(err);
        confirm.disabled = false;
      }
    };
    form.addEventListener("submit", onSubmit);
    dialog.addEventListener(
      "close",
      () => {
        form.removeEventListener("submit", onSubmit);
        back?.focus();
        resolve();
      },
      { once: true },
    );
    dialog.showModal();
    (spec.body.find((n) => n instanceof HTMLElement && n.querySelector("input")) as HTMLElement | undefined)?.querySelector("input")?.focus();
  });
}

/** "3 routes in your account (...) and 2 in account acc-x": what a delete or reject takes along. */
async function cascadeText(p: Peering): Promise<(Node | string)[]> {
  const c = await api.cascade(p.peeringId);
  const { peer } = ends(p);
  const mine = c.routes.length
    ? h(
        "ul",
        { "aria-label": "routes removed in your account" },
        ...c.routes.map((r) =>
          h("li", {}, h("span", { class: "mono" }, r.routeId), ` to ${r.destinationCidrBlock} in table `, h("span", { class: "mono" }, r.routeTableId)),
        ),
      )
    : h("p", {}, "No route of your account goes through it.");
  const other =
    peer.accountId === ends(p).local.accountId
      ? null
      : h(
          "p",
          { "data-peer-routes": String(c.peerAccountRouteCount) },
          `Account ${peer.accountId}: ${c.peerAccountRouteCount} route${c.peerAccountRouteCount === 1 ? "" : "s"} through it go too (their ids are that account's).`,
        );
  return [h("p", {}, `Routes removed with it in your account: ${c.routes.length}.`), mine, ...(other ? [other] : [])];
}

async function run(action: Action, p: Peering, done: (p: Peering) => void): Promise<void> {
  const { local, peer } = ends(p);
  const who = p.name ? `${p.name} (${p.peeringId})` : p.peeringId;
  const finish = async (next: Peering, message: string) => {
    announce(message);
    done(next);
  };
  try {
    if (action === "accept") {
      await confirmDialog({
        title: `Accept ${who}?`,
        body: [
          h("p", {}, `Account ${peer.accountId} asks to peer its ${endName(peer)} with your ${endName(local)}.`),
          h("p", {}, "Once accepted, both accounts may add routes through it; your VPC's CIDR and region become visible to that account."),
        ],
        confirm: "Accept",
        onConfirm: async () => {
          const next = await api.act(p.peeringId, "accept");
          await finish(next, `${who} accepted: ${next.status}`);
          // Watch it turn Activated, then show it.
          void api.waitForPeering(p.peeringId, "Activated,Gone").then(
            (q) => finish(q, `${who} is ${q.status}`),
            () => undefined,
          );
        },
      });
    } else if (action === "reject") {
      await confirmDialog({
        title: `Reject ${who}?`,
        body: [
          h(
            "p",
            {},
            `The request from account ${peer.accountId} (${endName(peer)}) ends for good: Rejected is final. No route exists through a pending request.`,
          ),
        ],
        confirm: "Reject",
        onConfirm: async () => {
          const next = await api.act(p.peeringId, "reject");
          await finish(next, `${who} rejected`);
        },
      });
    } else if (action === "enable") {
      await confirmDialog({
        title: `Re-enable ${who}?`,
        body: [h("p", {}, `The expired request goes back to pending; account ${peer.accountId} again has 7 days to accept it.`)],
        confirm: "Re-enable",
        onConfirm: async () => {
          const next = await api.act(p.peeringId, "enable");
          await finish(next, `${who} re-enabled: ${next.status}`);
        },
      });
    } else if (action === "bandwidth") {
      const input = h("input", {
        type: "number",
        id: "bandwidth-input",
        name: "bandwidth",
        min: 1,
        max: 1000000,
        step: 1,
        required: true,
        value: p.bandwidthMbps ?? "",
      });
      const estimate = h("p", { id: "bandwidth-estimate", "aria-live": "polite" }, "");
      input.addEventListener("input", async () => {
        const v = Number(input.value);
        if (!Number.isInteger(v) || v < 1) {
          estimate.textContent = "";
          return;
        }
        const est = await api.cost(p.peeringId, v).catch(() => undefined);
        estimate.textContent = !est
          ? ""
          : est.priced
            ? `Estimate at ${v} Mbps: ${est.dailyCost} ${est.currency ?? "CNY"} a day (${est.tier}).`
            : `Not priced: ${est.reason}`;
      });
      await confirmDialog({
        title: `Change the bandwidth of ${who}`,
        body: [
          h("p", {}, `Now ${p.bandwidthMbps ?? "none"} Mbps. A new cap applies from the next 5-minute window; the initiator pays for the day's peak.`),
          h("label", { for: "bandwidth-input" }, "Bandwidth cap (Mbps)", input),
          estimate,
        ],
        confirm: "Change bandwidth",
        onConfirm: async () => {
          const next = await api.setBandwidth(p.peeringId, Number(input.value));
          await finish(next, `${who}: bandwidth ${next.bandwidthMbps} Mbps`);
        },
      });
    } else {
      const body = await cascadeText(p);
      await confirmDialog({
        title: `Delete ${who}?`,
        body: [h("p", {}, `Either side may delete a peering; it ends for both accounts.`), ...body],
        confirm: "Delete",
        onConfirm: async () => {
          const next = await api.remove(p.peeringId);
          await finish(next, `${who} deleted`);
        },
      });
    }
  } catch (e) {
    announce(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
  }
}
