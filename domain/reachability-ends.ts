// The two ends of a reachability question: what a user names (an address, a subnet, a VPC, a border
// router's on-premises space) and what the walk needs of it (its node, the route table its traffic leaves
// by, the block it stands for). Pure.
//
// A node is a VPC or a border router (VBR), both shaped as a WorldVpc for the walk: a border router's
// "blocks" are its on-premises CIDRs, and its one route table is its main table (`main:<vbr key>`).
import * as ipaddr from "ipaddr.js";
import { borderRouterByKey, describeBorderRouter } from "./border-routers";
import { Ipv4Cidr, parseCidr } from "./cidr";
import { NotFoundError, ValidationError } from "./errors";
import { describeSubnet, describeTable, tableIdentity } from "./network";
import { describeVpc, known, unknownFact, vpcByKey, World, WorldSubnet, WorldVpc } from "./world";

/** What a user names as a source or destination. Keys are world keys (an id, or `planned:<ownerRef>`). */
export type EndpointRef =
  | { kind: "address"; address: string }
  | { kind: "subnet"; key: string }
  | { kind: "vpc"; key: string }
  /** a border router's on-premises space (all of its blocks) */
  | { kind: "onPrem"; key: string };

/** A VPC, or a border router as the walk sees it (its id in `vpcId`, `isBorderRouter` set). */
export type WalkNode = WorldVpc & { isBorderRouter?: boolean };

export function nodeByKey(w: World, key: string): WalkNode | undefined {
  const vpc = vpcByKey(w, key);
  if (vpc) return vpc;
  const b = borderRouterByKey(w, key);
  if (!b) return undefined;
  const label = `on-premises space behind ${describeBorderRouter(b, b.key)}`;
  return { key: b.key, vpcId: b.borderRouterId, accountId: b.accountId, region: b.region, cidr: unknownFact("several blocks"), label, isBorderRouter: true };
}

/** The blocks a node holds: a VPC's CIDR, a border router's on-premises CIDRs; undefined while unknown. */
export function nodeBlocks(w: World, key: string): Ipv4Cidr[] | undefined {
  const b = borderRouterByKey(w, key);
  if (b) {
    const list = known(b.onPremCidrs);
    return list?.map((t) => parseCidr(t));
  }
  const c = known(vpcByKey(w, key)?.cidr);
  return c === undefined ? undefined : [parseCidr(c)];
}

/** "10.0.1.5", "subnet-...", "vpc-..." or "vbr-..." (on-premises space); anything else is a ValidationError saying so. */
export function parseEndpoint(text: unknown, field = "source"): EndpointRef {
  if (typeof text === "string") {
    if (/^vpc-[0-9a-f]{12}$/.test(text)) return { kind: "vpc", key: text };
    if (/^subnet-[0-9a-f]{12}$/.test(text)) return { kind: "subnet", key: text };
    if (/^vbr-[0-9a-f]{12}$/.test(text)) return { kind: "onPrem", key: text };
    if (ipaddr.IPv4.isValidFourPartDecimal(text)) return { kind: "address", address: text };
  }
  throw new ValidationError(
    `"${field}" must be an IPv4 address (e.g. 10.0.1.5), a subnet id (subnet-...), a VPC id (vpc-...) or a border router id (vbr-..., its on-premises space), got ${JSON.stringify(text)}`,
    {
      field,
      value: typeof text === "string" ? text.slice(0, 64) : text,
    },
  );
}

/** One end as the walk uses it. */
export interface ReachEnd {
  ref: EndpointRef;
  /** its VPC, or the border router whose on-premises space it is */
  vpc: WalkNode;
  subnet?: WorldSubnet;
  /** the identity of the route table its traffic leaves by (network.ts tableIdentity) */
  table: string;
  /** the addresses it stands for: the address (/32), the subnet's block, or the VPC's block */
  range: Ipv4Cidr;
  /** how messages name it */
  label: string;
}

/** An end whose facts are not known yet (a preview: a CIDR that is an output of a resource not created). */
export type Unresolved = { unknown: string };

export function addressRange(address: string): Ipv4Cidr {
  return parseCidr(`${address}/32`);
}

export function tableName(w: World, vpcKey: string, identity: string): string {
  const vpc = nodeByKey(w, vpcKey);
  if (identity === `main:${vpcKey}`) {
    const main = (w.routeTables ?? []).find((t) => t.vpcKey === vpcKey && t.main);
    const id = main?.routeTableId ?? vpc?.mainRouteTableId;
    const of = vpc?.isBorderRouter ? describeBorderRouter(borderRouterByKey(w, vpcKey), vpcKey) : describeVpc(vpc, vpcKey);
    return `the ${vpc?.isBorderRouter ? "" : "main "}route table${id ? ` ${id}` : ""} of ${of}`;
  }
  return describeTable(
    (w.routeTables ?? []).find((t) => t.key === identity),
    `route table ${identity}`,
  );
}

/** The subnet of a VPC holding an address or a block, when one does. */
export function subnetHolding(w: World, vpcKey: string, range: Ipv4Cidr): WorldSubnet | undefined {
  return (w.subnets ?? []).find((s) => {
    const c = known(s.cidr);
    if (s.vpcKey !== vpcKey || c === undefined) return false;
    const sc = parseCidr(c);
    return sc.start <= range.start && range.end <= sc.end;
  });
}

/** An end inside a known VPC: a subnet leaves by its table, anything else by the subnet holding it or the main table. */
export function endIn(w: World, ref: EndpointRef, vpc: WalkNode, range: Ipv4Cidr, subnet?: WorldSubnet): ReachEnd {
  const holder = subnet ?? (ref.kind === "address" ? subnetHolding(w, vpc.key, range) : undefined);
  const table = tableIdentity(w, vpc.key, holder?.routeTableKey);
  const vpcName = describeVpc(vpc, vpc.key);
  const label =
    ref.kind === "address"
      ? `${ref.address} (${holder ? `${describeSubnet(holder)} of ` : ""}${vpcName})`
      : ref.kind === "subnet" && holder
        ? `${describeSubnet(holder)} (${range.text}) of ${vpcName}`
        : ref.kind === "onPrem"
          ? `${vpc.label} (${range.text})`
          : vpcName;
  return { ref, vpc, subnet: holder, table, range, label };
}

function vpcRange(vpc: WorldVpc): Ipv4Cidr | Unresolved {
  const c = known(vpc.cidr);
  return c === undefined ? { unknown: `the CIDR of ${describeVpc(vpc, vpc.key)} is not known yet` } : parseCidr(c);
}

/** How many blocks an end stands for: a border router's on-premises space may have several (each is walked). */
export function blockCount(w: World, ref: EndpointRef): number {
  return ref.kind === "onPrem" ? Math.max(1, nodeBlocks(w, ref.key)?.length ?? 1) : 1;
}

/**
 * Resolves a named end in a world. An address resolves to the VPC (or on-premises space) that holds it;
 * as a destination, `{address}` means "wherever the routes send it" (the walk finds it). Unknown ids are
 * NotFound. `block` picks one of a border router's on-premises blocks.
 */
export function resolveEnd(w: World, ref: EndpointRef, role: "source", viewer?: string, block?: number): ReachEnd | Unresolved;
export function resolveEnd(w: World, ref: EndpointRef, role: "destination", viewer?: string, block?: number): ReachEnd | Unresolved | { address: Ipv4Cidr };
export function resolveEnd(
  w: World,
  ref: EndpointRef,
  role: "source" | "destination",
  viewer?: string,
  block = 0,
): ReachEnd | Unresolved | { address: Ipv4Cidr } {
  // With a viewer, a source is one of its own VPCs, and a subnet one of its own subnets: another
  // account's answer as if they did not exist. A destination VPC may be a peer's it can see.
  const own = (v: WorldVpc | undefined) => v !== undefined && (viewer === undefined || known(v.accountId) === viewer);
  if (ref.kind === "onPrem") {
    const node = nodeByKey(w, ref.key);
    if (!node?.isBorderRouter || (role === "source" && !own(node)))
      throw new NotFoundError(`${role} border router ${ref.key} does not exist or is not visible to this account`, { field: role, borderRouterId: ref.key });
    const blocks = nodeBlocks(w, ref.key);
    if (!blocks || blocks.length === 0)
      return { unknown: `the on-premises blocks of ${describeBorderRouter(borderRouterByKey(w, ref.key), ref.key)} are not known yet` };
    return endIn(w, ref, node, blocks[Math.min(block, blocks.length - 1)]);
  }
  if (ref.kind === "vpc") {
    const vpc = vpcByKey(w, ref.key);
    if (!vpc || (role === "source" && !own(vpc)))
      throw new NotFoundError(`${role} VPC ${ref.key} does not exist or is not visible to this account`, { field: role, vpcId: ref.key });
    const range = vpcRange(vpc);
    return "unknown" in range ? range : endIn(w, ref, vpc, range);
  }
  if (ref.kind === "subnet") {
    const subnet = (w.subnets ?? []).find((s) => s.key === ref.key);
    const vpc = subnet ? vpcByKey(w, subnet.vpcKey) : undefined;
    if (!subnet || !vpc || !own(vpc)) {
      throw new NotFoundError(`${role} subnet ${ref.key} does not exist or is not visible to this account`, { field: role, subnetId: ref.key });
    }
    const c = known(subnet.cidr);
    if (c === undefined) return { unknown: `the CIDR of ${describeSubnet(subnet)} is not known yet` };
    return endIn(w, ref, vpc, parseCidr(c), subnet);
  }
  const address = addressRange(ref.address);
  if (role === "destination") return { address };
  const nodes: WalkNode[] = [...w.vpcs, ...(w.borderRouters ?? []).flatMap((b) => nodeByKey(w, b.key) ?? [])];
  const holders = nodes.filter((v) => own(v) && (nodeBlocks(w, v.key) ?? []).some((c) => c.start <= address.start && address.end <= c.end));
  if (holders.length === 0) {
    throw new NotFoundError(`source address ${ref.address} is in none of the VPCs visible to this account; name an address inside one of them`, {
      field: role,
      address: ref.address,
    });
  }
  if (holders.length > 1) {
    throw new ValidationError(
      `source address ${ref.address} lies in ${holders.map((v) => describeVpc(v, v.key)).join(" and ")}; name a subnet or a VPC instead`,
      { field: role, address: ref.address, vpcIds: holders.map((v) => v.vpcId ?? v.key) },
    );
  }
  return endIn(w, ref, holders[0], address);
}
