// A world (stored, or projected with the program's plan) as a topology the renderers in topology/ draw.
// Used by `peerlink topology` (what an account has) and by the plan diagrams (what a preview plans).
import { known, type World, type WorldEnd, type WorldPeering } from "../../domain";
import type { Change, Topology, TopologyEdge, TopologyNode } from "../../topology/model";
import { nameFromOwnerRef } from "../validation";

/** What a plan adds to the picture, by world key; all optional (the CLI has none). */
export interface Marks {
  change?(key: string): Change | undefined;
  problems?(key: string): string[] | undefined;
  /** an old element a replacement takes the place of: drawn once, as the replacement */
  hidden?(key: string): boolean;
}

function factText(v: unknown): string {
  const k = known(v as never);
  return k === undefined || k === null ? "?" : String(k);
}

/** The name a person gave it: the program resource's name, else its own name, else its id. */
function nameOf(x: { ownerRef?: string; label?: string; key: string }, ownName?: string): string {
  const fromRef = nameFromOwnerRef(x.ownerRef);
  if (fromRef) return fromRef;
  if (ownName) return ownName;
  const quoted = x.label?.match(/"(.*)"/);
  if (quoted) return quoted[1];
  return x.key.startsWith("planned:") ? (nameFromOwnerRef(x.key.slice(8)) ?? x.key) : x.key;
}

function peeringLabel(p: WorldPeering): string {
  const name = nameFromOwnerRef(p.ownerRef) ?? p.label?.match(/"(.*)"/)?.[1];
  const bw = known(p.bandwidthMbps);
  const parts = [name, p.state === "Planned" ? undefined : p.state, typeof bw === "number" ? `${bw} Mbps` : undefined].filter((x) => x);
  return parts.join(" · ");
}

export function topologyOfWorld(world: World, marks: Marks = {}, title?: string): Topology {
  const visible = <T extends { key: string }>(list: T[] | undefined) => (list ?? []).filter((x) => !marks.hidden?.(x.key));
  const mark = (key: string) => {
    const change = marks.change?.(key);
    const problems = marks.problems?.(key);
    return { ...(change ? { change } : {}), ...(problems && problems.length > 0 ? { problems } : {}) };
  };
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const groups = new Map<string, string>();
  const group = (account: unknown) => {
    const id = known(account as never) as string | undefined;
    if (id === undefined) return undefined;
    groups.set(id, `account ${id}`);
    return id;
  };

  const vpcs = visible(world.vpcs);
  const vpcKeys = new Set(vpcs.map((v) => v.key));
  const vpcGroup = new Map<string, string | undefined>();
  for (const v of vpcs) {
    const g = group(v.accountId);
    vpcGroup.set(v.key, g);
    nodes.push({ key: v.key, kind: "vpc", group: g, label: nameOf(v, v.name), details: [`${factText(v.cidr)} · ${factText(v.region)}`], ...mark(v.key) });
  }

  for (const b of visible(world.borderRouters)) {
    const g = group(b.accountId);
    vpcKeys.add(b.key);
    vpcGroup.set(b.key, g);
    const onPrem = known(b.onPremCidrs);
    nodes.push({
      key: b.key,
      kind: "borderRouter",
      group: g,
      label: nameOf(b, b.name),
      details: [`VLAN ${factText(b.vlanId)} · ${factText(b.region)}`, `on-premises ${onPrem ? onPrem.join(", ") : "?"}`],
      ...mark(b.key),
    });
  }

  const peerings = visible(world.peerings);
  // Another account's VPC: known only as a peering's end.
  const external = new Map<string, WorldEnd>();
  for (const p of peerings) for (const e of [p.requester, p.accepter]) if (!vpcKeys.has(e.vpcKey) && !external.has(e.vpcKey)) external.set(e.vpcKey, e);
  for (const [key, e] of external) {
    const facts = [known(e.cidr), known(e.region)].filter((x) => x !== undefined && x !== null);
    nodes.push({
      key,
      kind: "external",
      group: group(e.accountId),
      label: key.startsWith("unknown:") ? "a VPC not known yet" : key,
      ...(facts.length > 0 ? { details: [facts.join(" · ")] } : {}),
    });
  }
  for (const p of peerings) {
    const dashed = p.state !== "Activated";
    edges.push({
      key: p.key,
      kind: "peering",
      from: p.requester.vpcKey,
      to: p.accepter.vpcKey,
      label: peeringLabel(p),
      ...(dashed ? { dashed } : {}),
      ...mark(p.key),
    });
  }

  const tables = visible(world.routeTables).filter((t) => !t.main);
  const tableKeys = new Set(tables.map((t) => t.key));
  for (const t of tables) {
    nodes.push({ key: t.key, kind: "routeTable", group: vpcGroup.get(t.vpcKey), parent: t.vpcKey, label: nameOf(t), ...mark(t.key) });
    edges.push({ key: `assoc:${t.key}`, kind: "association", from: t.vpcKey, to: t.key, label: "" });
  }
  for (const s of visible(world.subnets)) {
    nodes.push({ key: s.key, kind: "subnet", group: vpcGroup.get(s.vpcKey), parent: s.vpcKey, label: nameOf(s), details: [factText(s.cidr)], ...mark(s.key) });
    const inTable = s.routeTableKey !== undefined && tableKeys.has(s.routeTableKey);
    edges.push({ key: `assoc:${s.key}`, kind: "association", from: inTable ? s.routeTableKey! : s.vpcKey, to: s.key, label: "" });
  }

  const peeringByKey = new Map(peerings.map((p) => [p.key, p]));
  for (const r of visible(world.routes)) {
    if (r.nextHopType !== "Peering" || r.peeringKey === undefined) continue;
    const p = peeringByKey.get(r.peeringKey);
    const target = p ? (p.requester.vpcKey === r.tableKey ? p.accepter.vpcKey : p.requester.vpcKey) : r.peeringKey;
    const from = r.routeTableKey !== undefined && tableKeys.has(r.routeTableKey) ? r.routeTableKey : r.tableKey;
    edges.push({ key: r.key, kind: "route", from, to: target, label: `→ ${factText(r.destination)}`, ...mark(r.key) });
  }
  const groupList = [...groups.entries()].map(([key, label]) => ({ key, label }));
  return { ...(title ? { title } : {}), groups: groupList, nodes, edges };
}
