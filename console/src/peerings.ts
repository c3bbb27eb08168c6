// The peering list with the seed's filters (region, VPC, state, role) and the actions each row offers.
// Keyboard: Tab reaches the filters and each row's link and buttons; Up and Down move between rows.

import { actionButtons } from "./actions";
import { api, endId, ends, type Peering, type Vpc } from "./api";
import { h, replaceChildren, stateClass } from "./dom";

type Filters = { region: string; vpc: string; state: string; role: string };
const filters: Filters = { region: "", vpc: "", state: "", role: "" };

function matches(p: Peering, f: Filters): boolean {
  const { local, peer } = ends(p);
  if (f.region && local.region !== f.region && peer.region !== f.region) return false;
  if (f.vpc && endId(local) !== f.vpc && endId(peer) !== f.vpc) return false;
  if (f.state && p.status !== f.state && p.state !== f.state) return false;
  if (f.role && p.role !== f.role) return false;
  return true;
}

function select(id: string, label: string, options: [string, string][], key: keyof Filters, onChange: () => void): HTMLElement {
  const s = h(
    "select",
    { id, name: key },
    h("option", { value: "" }, "Any"),
    ...options.map(([v, text]) => h("option", { value: v, selected: filters[key] === v }, text)),
  );
  s.addEventListener("change", () => {
    filters[key] = s.value;
    onChange();
  });
  return h("label", { for: id }, label, s);
}

export function peeringRow(p: Peering, vpcs: Map<string, Vpc>, refresh: () => void): HTMLTableRowElement {
  const { local, peer } = ends(p);
  const vpcName = (id: string) => (vpcs.get(id)?.name ? `${vpcs.get(id)!.name} ` : "");
  return h(
    "tr",
    { "data-peering-id": p.peeringId },
    h("td", {}, h("a", { href: `#/peerings/${p.peeringId}`, class: "row-link" }, p.name || p.peeringId), h("div", { class: "mono muted" }, p.peeringId)),
    h("td", {}, p.role),
    h("td", {}, h("span", { class: `state ${stateClass(p.status)}`, "data-status": p.status }, p.status)),
    h(
      "td",
      {},
      vpcName(endId(local)),
      local.borderRouterId ? "border router " : "",
      h("span", { class: "mono" }, endId(local)),
      h("div", { class: "muted" }, local.region ?? ""),
    ),
    h(
      "td",
      {},
      vpcName(endId(peer)),
      peer.borderRouterId ? "border router " : "",
      h("span", { class: "mono" }, endId(peer)),
      h("div", { class: "muted" }, peer.accountId === local.accountId ? "same account" : `account ${peer.accountId}`, peer.region ? `, ${peer.region}` : ""),
    ),
    h("td", {}, p.crossRegion ? `${p.bandwidthMbps ?? "?"} Mbps` : "regional"),
    h("td", { class: "actions" }, ...actionButtons(p, () => refresh())),
  );
}

export async function renderPeerings(main: HTMLElement): Promise<void> {
  const [list, vpcList, regions] = await Promise.all([api.peerings(), api.vpcs(), api.regions()]);
  const vpcs = new Map(vpcList.map((v) => [v.vpcId, v]));
  const body = h("tbody", {});
  const count = h("p", { class: "muted", id: "peering-count", "aria-live": "polite" });
  const refresh = () => void renderPeerings(main);
  const draw = () => {
    const shown = list.filter((p) => matches(p, filters));
    replaceChildren(
      body,
      ...(shown.length ? shown.map((p) => peeringRow(p, vpcs, refresh)) : [h("tr", {}, h("td", { colspan: 7 }, "No peering matches these filters."))]),
    );
    count.textContent = `${shown.length} of ${list.length} peering connections`;
  };
  // Up and Down move between the rows' links (Tab still reaches every control).
  body.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const links = [...body.querySelectorAll<HTMLAnchorElement>("a.row-link")];
    const row = (e.target as HTMLElement).closest("tr");
    const i = links.findIndex((a) => a.closest("tr") === row);
    const next = links[i + (e.key === "ArrowDown" ? 1 : -1)];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  });
  const states = [...new Set(list.map((p) => p.status))].sort();
  replaceChildren(
    main,
    h("h2", {}, "Peering connections"),
    h(
      "div",
      { class: "filters", role: "group", "aria-label": "Filters" },
      select(
        "filter-region",
        "Region",
        regions.map((r) => [r.id, `${r.name} (${r.id})`]),
        "region",
        draw,
      ),
      select(
        "filter-vpc",
        "VPC",
        vpcList.map((v) => [v.vpcId, v.name ? `${v.name} (${v.vpcId})` : v.vpcId]),
        "vpc",
        draw,
      ),
      select(
        "filter-state",
        "State",
        (states.length ? states : ["Activated"]).map((s) => [s, s]),
        "state",
        draw,
      ),
      select(
        "filter-role",
        "Role",
        [
          ["initiator", "initiator"],
          ["acceptor", "acceptor"],
        ],
        "role",
        draw,
      ),
    ),
    count,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "peering-table" },
        h("caption", { class: "muted", style: "text-align:left;padding:6px 10px" }, "Up and Down move between rows; Enter opens one."),
        h("thead", {}, h("tr", {}, ...["Peering", "Role", "Status", "Your end", "Peer end", "Bandwidth", "Actions"].map((c) => h("th", { scope: "col" }, c)))),
        body,
      ),
    ),
  );
  draw();
}
