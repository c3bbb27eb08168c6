// The account's topology as a graph (cytoscape, laid out by ELK): its VPCs with their subnets, its
// peerings, and the other accounts' ends as far as the API shows them. Colour follows the state (and the
// label says it too); a cross-region edge carries its bandwidth; a pending request is dashed and says
// whose answer it waits for; an arrow means "routes lead this way", so a one-sided peering has one arrow
// and says so. The same facts are listed as text below the graph, for keyboards and screen readers.
import cytoscape from "cytoscape";
import elk from "cytoscape-elk";
import { type Account, api, type BorderRouter, endId, ends, type Peering, type PeeringCascade, type Subnet, type Vpc } from "./api";
import { h, replaceChildren, stateClass } from "./dom";

cytoscape.use(elk);

let graph: cytoscape.Core | undefined;
let layingOut = false;
/** Destroys the graph; one whose (asynchronous) ELK layout still runs goes once that layout stops. */
export function disposeGraph(): void {
  const g = graph;
  graph = undefined;
  if (!g) return;
  if (layingOut) g.one("layoutstop", () => g.destroy());
  else g.destroy();
}

const COLOURS: Record<string, string> = { "state-ok": "#1a7f37", "state-wait": "#9a6700", "state-bad": "#cf222e", "state-off": "#6e7781" };

type Routing = { fromRequester: boolean; fromAccepter: boolean; known: boolean };

/** Which ends have a route through the peering (from the delete cascade: own ids, the other account's count). */
function routing(p: Peering, c: PeeringCascade | undefined): Routing {
  if (!c) return { fromRequester: false, fromAccepter: false, known: false };
  const has = (vpcId: string, accountId: string, me: string) => (accountId === me ? c.routes.some((r) => r.vpcId === vpcId) : c.peerAccountRouteCount > 0);
  const me = ends(p).local.accountId;
  return { fromRequester: has(endId(p.requester), p.requester.accountId, me), fromAccepter: has(endId(p.accepter), p.accepter.accountId, me), known: true };
}

export function edgeLabel(p: Peering, r: Routing): string {
  const parts: string[] = [];
  if (p.crossRegion) parts.push(`${p.bandwidthMbps ?? "?"} Mbps`);
  if (p.state === "Pending") parts.push(p.role === "acceptor" ? "waiting for you to accept" : `waiting for ${p.accepter.accountId} to accept`);
  else if (p.state !== "Activated") parts.push(p.status);
  else if (r.known && r.fromRequester !== r.fromAccepter) parts.push(`one-sided: no route back from the ${r.fromRequester ? "acceptor" : "requester"}`);
  else if (r.known && !r.fromRequester) parts.push("no routes");
  return parts.join(" · ");
}

function elements(
  me: Account,
  vpcs: Vpc[],
  routers: BorderRouter[],
  subnets: Subnet[],
  peerings: Peering[],
  cascades: Map<string, PeeringCascade>,
): cytoscape.ElementDefinition[] {
  const els: cytoscape.ElementDefinition[] = [
    { data: { id: `acc:${me.accountId}`, label: `Your account ${me.name} (${me.accountId})` }, classes: "account mine" },
  ];
  const known = new Set<string>();
  for (const v of vpcs) {
    known.add(v.vpcId);
    els.push({ data: { id: v.vpcId, parent: `acc:${me.accountId}`, label: `${v.name || v.vpcId}\n${v.cidrBlock} · ${v.region}` }, classes: "vpc" });
  }
  for (const r of routers) {
    known.add(r.borderRouterId);
    els.push({
      data: {
        id: r.borderRouterId,
        parent: `acc:${me.accountId}`,
        label: `${r.name || r.borderRouterId}\nborder router · VLAN ${r.vlanId} · ${r.region}\non-premises ${r.onPremisesCidrBlocks.join(", ")}`,
      },
      classes: "vbr",
    });
  }
  for (const s of subnets) els.push({ data: { id: s.subnetId, parent: s.vpcId, label: `${s.name || s.subnetId}\n${s.cidrBlock}` }, classes: "subnet" });
  const accounts = new Set<string>();
  for (const p of peerings) {
    for (const e of [p.requester, p.accepter]) {
      const id = endId(e);
      if (known.has(id)) continue;
      known.add(id);
      if (!accounts.has(e.accountId)) {
        accounts.add(e.accountId);
        els.push({ data: { id: `acc:${e.accountId}`, label: `Account ${e.accountId}` }, classes: "account" });
      }
      els.push({
        data: {
          id,
          parent: `acc:${e.accountId}`,
          label: `${e.borderRouterId ? "border router " : ""}${id}\n${e.cidrBlock ?? "CIDR hidden"} · ${e.region ?? "region hidden"}`,
        },
        classes: "vpc foreign",
      });
    }
    const r = routing(p, cascades.get(p.peeringId));
    const classes = [stateClass(p.status), p.state === "Pending" ? "pending" : "", r.fromRequester ? "to-acc" : "", r.fromAccepter ? "to-req" : ""];
    els.push({
      data: { id: p.peeringId, source: endId(p.requester), target: endId(p.accepter), label: edgeLabel(p, r), colour: COLOURS[stateClass(p.status)] },
      classes: classes.filter(Boolean).join(" "),
    });
  }
  return els;
}

function textList(me: Account, vpcs: Vpc[], routers: BorderRouter[], peerings: Peering[], cascades: Map<string, PeeringCascade>): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": "topology-list-title" },
    h("h3", { id: "topology-list-title" }, "The same topology as a list"),
    h(
      "p",
      {},
      `${vpcs.length} VPC${vpcs.length === 1 ? "" : "s"} in your account ${me.name}: `,
      vpcs.map((v) => `${v.name || v.vpcId} (${v.vpcId}, ${v.cidrBlock}, ${v.region})`).join("; "),
    ),
    routers.length
      ? h(
          "p",
          { id: "topology-routers" },
          `${routers.length} border router${routers.length === 1 ? "" : "s"}: `,
          routers
            .map((r) => `${r.name || r.borderRouterId} (${r.borderRouterId}, VLAN ${r.vlanId}, ${r.region}, on-premises ${r.onPremisesCidrBlocks.join(", ")})`)
            .join("; "),
        )
      : null,
    h(
      "ul",
      { id: "topology-list" },
      ...peerings.map((p) =>
        h(
          "li",
          { "data-peering-id": p.peeringId },
          h("a", { href: `#/peerings/${p.peeringId}` }, p.name || p.peeringId),
          ` ${endId(p.requester)} → ${endId(p.accepter)}: `,
          h("span", { class: `state ${stateClass(p.status)}` }, p.status),
          edgeLabel(p, routing(p, cascades.get(p.peeringId))) ? ` (${edgeLabel(p, routing(p, cascades.get(p.peeringId)))})` : "",
        ),
      ),
    ),
  );
}

export async function renderTopology(main: HTMLElement): Promise<void> {
  disposeGraph();
  const [me, vpcs, routers, subnets, all] = await Promise.all([api.account(), api.vpcs(), api.borderRouters(), api.subnets(), api.peerings()]);
  const peerings = all.filter((p) => p.state !== "Deleted");
  const cascades = new Map<string, PeeringCascade>();
  await Promise.all(
    peerings
      .filter((p) => p.state === "Activated")
      .map(async (p) => {
        cascades.set(p.peeringId, await api.cascade(p.peeringId));
      }),
  );
  const container = h("div", {
    id: "graph",
    role: "img",
    "aria-label": `Topology graph: ${vpcs.length} VPCs, ${routers.length} border routers, ${peerings.length} peerings; listed as text below.`,
  });
  replaceChildren(
    main,
    h("h2", {}, "Topology"),
    h(
      "div",
      { class: "legend", "aria-hidden": "true" },
      h("span", { style: "color:#1a7f37" }, "Activated"),
      h("span", { style: "color:#9a6700" }, "waiting (dashed: pending request)"),
      h("span", { style: "color:#cf222e" }, "rejected or expired"),
      h("span", { style: "color:#6e7781" }, "other"),
      h("span", { class: "muted" }, "arrow: routes lead that way"),
    ),
    container,
    textList(me, vpcs, routers, peerings, cascades),
  );
  const els = elements(me, vpcs, routers, subnets, peerings, cascades);
  container.dataset.nodes = String(els.filter((e) => !e.data.source).length);
  container.dataset.edges = String(els.filter((e) => e.data.source).length);
  if (!main.isConnected) return; // the reader moved on while the data loaded
  layingOut = true;
  graph = cytoscape({
    container,
    elements: els,
    maxZoom: 1.4,
    minZoom: 0.2,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "text-wrap": "wrap",
          "font-size": 11,
          "text-valign": "center",
          "background-color": "#ddf4ff",
          "border-width": 1,
          "border-color": "#0a58ca",
          shape: "round-rectangle",
          width: 150,
          height: 44,
        },
      },
      { selector: "node.subnet", style: { "background-color": "#fff", "border-color": "#8c959f", width: 110, height: 32, "font-size": 10 } },
      { selector: ":parent", style: { "text-valign": "top", "text-halign": "center", "background-opacity": 0.06, padding: "14px" } },
      { selector: "node.account", style: { "border-style": "dashed", "border-color": "#57606a", "font-weight": "bold" } },
      { selector: "node.vbr", style: { shape: "hexagon", "background-color": "#fff8c5", "border-color": "#9a6700", width: 190, height: 56 } },
      { selector: "node.foreign", style: { "background-color": "#f6f8fa", "border-color": "#8c959f" } },
      {
        selector: "edge",
        style: {
          width: 3,
          "line-color": "data(colour)",
          "target-arrow-color": "data(colour)",
          "source-arrow-color": "data(colour)",
          "curve-style": "bezier",
          label: "data(label)",
          "font-size": 10,
          "text-background-color": "#fff",
          "text-background-opacity": 1,
          "text-wrap": "wrap",
          "text-max-width": "180px",
        },
      },
      { selector: "edge.pending", style: { "line-style": "dashed", "target-arrow-shape": "diamond", "target-arrow-fill": "hollow" } },
      { selector: "edge.to-acc", style: { "target-arrow-shape": "triangle" } },
      { selector: "edge.to-req", style: { "source-arrow-shape": "triangle" } },
    ],
    layout: {
      name: "elk",
      nodeDimensionsIncludeLabels: true,
      elk: {
        algorithm: "layered",
        "elk.direction": "RIGHT",
        "elk.hierarchyHandling": "INCLUDE_CHILDREN",
        "elk.layered.spacing.nodeNodeBetweenLayers": 160,
        "elk.spacing.nodeNode": 40,
      },
      // ELK reads spacing from each node's parent: compounds (accounts, VPCs) get the same room for edge labels.
      nodeLayoutOptions: (n: cytoscape.NodeSingular) =>
        n.isParent()
          ? { "elk.layered.spacing.nodeNodeBetweenLayers": 160, "elk.spacing.nodeNode": 40, "elk.padding": "[top=30,left=14,bottom=14,right=14]" }
          : {},
    } as cytoscape.LayoutOptions,
  });
  graph.one("layoutstop", () => {
    layingOut = false;
  });
  graph.on("tap", "edge", (e) => {
    location.hash = `#/peerings/${e.target.id()}`;
  });
}
