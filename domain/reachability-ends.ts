// The two ends of a reachability question: what a user names (an address, a subnet, a VPC) and what the
// walk needs of it (its VPC, the route table its traffic leaves by, the block it stands for). Pure.
// A border router's on-premises space will be one more EndpointRef kind, with a node the walk crosses
// like a peering (reachability.ts: nextHopOf).
import * as ipaddr from "ipaddr.js";
import { Ipv4Cidr, parseCidr } from "./cidr";
import { NotFoundError, ValidationError } from "./errors";
import { describeSubnet, describeTable, tableIdentity } from "./network";
import { describeVpc, known, vpcByKey, World, WorldSubnet, WorldVpc } from "./world";

/** What a user names as a source or destination. Keys are world keys (an id, or `planned:<ownerRef>`). */
export type EndpointRef = { kind: "address"; address: string } | { kind: "subnet"; key: string } | { kind: "vpc"; key: string };

/** "10.0.1.5", "subnet-0123456789ab" or "vpc-0123456789ab"; anything else is a ValidationError saying so. */
export function parseEndpoint(text: unknown, field = "source"): EndpointRef {
  if (typeof text === "string") {
    if (/^vpc-[0-9a-f]{12}$/.test(text)) return { kind: "vpc", key: text };
    if (/^subnet-[0-9a-f]{12}$/.test(text)) return { kind: "subnet", key: text };
    if (ipaddr.IPv4.isValidFourPartDecimal(text)) return { kind: "address", address: text };
  }
  throw new ValidationError(`"${field}" must be an IPv4 address (e.g. 10.0.1.5), a subnet id (subnet-...) or a VPC id (vpc-...), got ${JSON.stringify(text)}`, {
    field,
    value: typeof text === "string" ? text.slice(0, 64) : text,
  });
}

/** One end as the walk uses it. */
export interface ReachEnd {
  ref: EndpointRef;
  vpc: WorldVpc;
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
  const vpc = vpcByKey(w, vpcKey);
  if (identity === `main:${vpcKey}`) {
    const main = (w.routeTables ?? []).find((t) => t.vpcKey === vpcKey && t.main);
    const id = main?.routeTableId ?? vpc?.mainRouteTableId;
    return `the main route table${id ? ` ${id}` : ""} of ${describeVpc(vpc, vpcKey)}`;
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
export function endIn(w: World, ref: EndpointRef, vpc: WorldVpc, range: Ipv4Cidr, subnet?: WorldSubnet): ReachEnd {
  const holder = subnet ?? (ref.kind === "address" ? subnetHolding(w, vpc.key, range) : undefined);
  const table = tableIdentity(w, vpc.key, holder?.routeTableKey);
  const vpcName = describeVpc(vpc, vpc.key);
  const label =
    ref.kind === "address"
      ? `${ref.address} (${holder ? `${describeSubnet(holder)} of ` : ""}${vpcName})`
      : ref.kind === "subnet" && holder
        ? `${describeSubnet(holder)} (${range.text}) of ${vpcName}`
        : vpcName;
  return { ref, vpc, subnet: holder, table, range, label };
}

function vpcRange(vpc: WorldVpc): Ipv4Cidr | Unresolved {
  const c = known(vpc.cidr);
  return c === undefined ? { unknown: `the CIDR of ${describeVpc(vpc, vpc.key)} is not known yet` } : parseCidr(c);
}

/**
 * Resolves a named end in a world. An address resolves to the VPC that holds it; as a destination,
 * `undefined` VPC means "wherever the routes send it" (the walk finds it). Unknown ids are NotFound.
 */
export function resolveEnd(w: World, ref: EndpointRef, role: "source", viewer?: string): ReachEnd | Unresolved;
export function resolveEnd(w: World, ref: EndpointRef, role: "destination", viewer?: string): ReachEnd | Unresolved | { address: Ipv4Cidr };
export function resolveEnd(w: World, ref: EndpointRef, role: "source" | "destination", viewer?: string): ReachEnd | Unresolved | { address: Ipv4Cidr } {
  // With a viewer, a source is one of its own VPCs, and a subnet one of its own subnets: another
  // account's answer as if they did not exist. A destination VPC may be a peer's it can see.
  const own = (v: WorldVpc | undefined) => v !== undefined && (viewer === undefined || known(v.accountId) === viewer);
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
  const holders = w.vpcs.filter((v) => {
    const c = known(v.cidr);
    if (!own(v)) return false;
    return c !== undefined && parseCidr(c).start <= address.start && address.end <= parseCidr(c).end;
  });
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
