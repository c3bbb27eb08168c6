// Program-wide preview checks, in the program process.
//
// A dynamic provider's check() sees one resource. To catch what only shows across resources
// (peerings per VPC counting those planned in the same program, overlapping peer CIDRs of a VPC's
// cross-region peerings, duplicate route destinations in one table, one-sided routes), every
// PeeringConnection and RouteEntry constructor registers its plan here, and gets a hidden input
// `__plan`: a promise that resolves once the program has finished constructing resources (a
// setImmediate after the last registration) to the facts its check needs about the others.
//
// Keys: a Vpc object -> "vpc:<resource name>"; an id given as a plain string -> that string; a
// PeeringConnection -> its ownerRef. Outputs of Vpc/PeeringConnection/PeeringAcceptance objects passed
// as ids (vpc.vpcId, vpc.routeTableId, peering.peeringId, acceptance.peeringId) are traced back to
// their object by identity. Plans only embed user-written Vpc args (region, cidrBlock) and plain
// strings, never outputs of peerings or routes, so no plan can wait on a resource that waits on it.
//
// Limits: resources constructed after the program yields to I/O (after an `await` of real work, or
// inside an apply) are planned in a later batch: they see every earlier resource, but the earlier
// ones do not see them. Ids computed by arbitrary outputs cannot be matched to other resources.
import * as pulumi from "@pulumi/pulumi";
import type { PeeringPlan, PlannedPeering, PlannedVpc, RoutePlan } from "./types";

type In<T> = pulumi.Input<T>;

interface VpcReg {
  key: string;
  name: string;
  region: In<string>;
  cidrBlock: In<string>;
}

/** One side of a peering or one table, as the program wrote it. */
interface VpcRef {
  vpc?: VpcReg;
  /** A plain-string id. */
  id?: string;
  /** Region hint (a peering's peerRegion for its peer side). */
  region?: In<string>;
}

export interface PeeringReg {
  /** Set right after the resource's constructor has called super(). */
  resource?: pulumi.Resource;
  ownerRef: string;
  name: string;
  local: VpcRef;
  peer: VpcRef;
  resolve?: (plan: PeeringPlan) => void;
}

interface RouteReg {
  ownerRef: string;
  name: string;
  table: VpcRef;
  peering?: PeeringReg;
  peeringId?: string;
  destination: In<string>;
  resolve?: (plan: RoutePlan) => void;
}

interface AcceptanceReg {
  peering?: PeeringReg;
  peeringId?: string;
}

// Identity maps: the Output objects of registered resources -> their registration.
let vpcById = new WeakMap<object, VpcReg>();
let vpcByTable = new WeakMap<object, VpcReg>();
let peeringByOutput = new WeakMap<object, PeeringReg>();
let vpcByResource = new WeakMap<object, VpcReg>();
let vpcByCidr = new WeakMap<object, VpcReg>();

let peerings: PeeringReg[] = [];
let routes: RouteReg[] = [];
let acceptances: AcceptanceReg[] = [];
let warned = new Set<string>();
let generation = 0;
let scheduled = false;

/** For tests: forget every registration. */
export function resetPlanning(): void {
  vpcById = new WeakMap();
  vpcByTable = new WeakMap();
  peeringByOutput = new WeakMap();
  vpcByResource = new WeakMap();
  vpcByCidr = new WeakMap();
  peerings = [];
  routes = [];
  acceptances = [];
  warned = new Set();
  generation++;
  scheduled = false;
}

/** `${project}/${stack}/${type}/${name}`: stable across runs and machines. */
export function ownerRefFor(type: string, name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${type}/${name}`;
}

// ---------------------------------------------------------------------------------------------
// Registration (called by the resource constructors)

export function registerVpc(
  resource: pulumi.Resource,
  name: string,
  args: { region: In<string>; cidrBlock: In<string> },
  outputs: { vpcId: pulumi.Output<string>; id: pulumi.Output<string>; routeTableId: pulumi.Output<string>; cidrBlock: pulumi.Output<string> },
): void {
  const reg: VpcReg = { key: `vpc:${name}`, name, region: args.region, cidrBlock: args.cidrBlock };
  vpcByResource.set(resource, reg);
  vpcById.set(outputs.vpcId, reg);
  vpcById.set(outputs.id, reg);
  vpcByTable.set(outputs.routeTableId, reg);
  vpcByCidr.set(outputs.cidrBlock, reg);
}

/**
 * A Vpc's `cidrBlock` output passed as a route destination is replaced by the CIDR the program gave
 * that Vpc (the same value, as non-canonical CIDRs are refused), so the route is checked at preview
 * even before the VPC exists. Anything else is returned as is.
 */
export function plannedCidr(v: In<string>): In<string> {
  const reg = v && typeof v === "object" ? vpcByCidr.get(v) : undefined;
  return reg ? reg.cidrBlock : v;
}

/** The VpcRef for a Vpc object, an output of one, or a plain id. */
export function vpcRef(v: unknown, map: "id" | "table" = "id"): VpcRef {
  if (v && typeof v === "object") {
    const reg = vpcByResource.get(v) ?? (map === "id" ? vpcById.get(v) : vpcByTable.get(v));
    if (reg) return { vpc: reg };
    return {};
  }
  return typeof v === "string" ? { id: v } : {};
}

export function registerPeeringOutputs(reg: PeeringReg, outputs: pulumi.Output<string>[]): void {
  for (const o of outputs) peeringByOutput.set(o, reg);
}

/** Registers a peering; returns the registration and its `__plan` promise. */
export function registerPeering(
  name: string,
  ownerRef: string,
  local: unknown,
  peer: unknown,
  peerRegion: In<string> | undefined,
): { reg: PeeringReg; plan: Promise<PeeringPlan> } {
  const reg: PeeringReg = { ownerRef, name, local: vpcRef(local), peer: { ...vpcRef(peer), region: peerRegion } };
  const plan = new Promise<PeeringPlan>((resolve) => (reg.resolve = resolve));
  peerings.push(reg);
  schedule();
  return { reg, plan };
}

function peeringRef(v: unknown): { peering?: PeeringReg; peeringId?: string } {
  if (v && typeof v === "object") {
    const reg = peeringByOutput.get(v);
    return reg ? { peering: reg } : {};
  }
  return typeof v === "string" ? { peeringId: v } : {};
}

export function registerRoute(
  name: string,
  ownerRef: string,
  args: { routeTableId: unknown; peeringId: unknown; destinationCidrBlock: In<string> },
): Promise<RoutePlan> {
  const reg: RouteReg = {
    ownerRef,
    name,
    table: vpcRef(args.routeTableId, "table"),
    ...peeringRef(args.peeringId),
    destination: args.destinationCidrBlock,
  };
  const plan = new Promise<RoutePlan>((resolve) => (reg.resolve = resolve));
  routes.push(reg);
  schedule();
  return plan;
}

/** Registers an acceptance; its peeringId output then also identifies the peering. */
export function registerAcceptance(peeringId: unknown, outputs: pulumi.Output<string>[]): void {
  const ref = peeringRef(peeringId);
  acceptances.push(ref);
  if (ref.peering) registerPeeringOutputs(ref.peering, outputs);
}

// ---------------------------------------------------------------------------------------------
// Plans

function sameVpc(a: VpcRef, b: VpcRef): boolean {
  if (a.vpc && b.vpc) return a.vpc === b.vpc;
  if (a.id !== undefined && b.id !== undefined) return a.id === b.id;
  return false;
}

function plannedVpc(r: VpcRef): PlannedVpc {
  if (r.vpc) return { key: r.vpc.key, name: r.vpc.name, cidr: r.vpc.cidrBlock as string, region: r.vpc.region as string };
  const out: PlannedVpc = {};
  if (r.id !== undefined) out.id = r.id;
  if (r.region !== undefined) out.region = r.region as string;
  return out;
}

function peeringsOf(v: VpcRef): PlannedPeering[] {
  if (!v.vpc && v.id === undefined) return [];
  const out: PlannedPeering[] = [];
  for (const q of peerings) {
    if (sameVpc(q.local, v)) out.push({ ownerRef: q.ownerRef, name: q.name, self: plannedVpc(q.local), other: plannedVpc(q.peer) });
    else if (sameVpc(q.peer, v)) out.push({ ownerRef: q.ownerRef, name: q.name, self: plannedVpc(q.peer), other: plannedVpc(q.local) });
  }
  return out;
}

/** The plan of one peering against everything registered so far. */
export function peeringPlan(p: PeeringReg): PeeringPlan {
  return {
    ownerRef: p.ownerRef,
    local: plannedVpc(p.local),
    peer: plannedVpc(p.peer),
    localPeerings: peeringsOf(p.local),
    peerPeerings: peeringsOf(p.peer),
  };
}

function sameTable(a: VpcRef, b: VpcRef): boolean {
  return sameVpc(a, b);
}

function acceptedInProgram(p: PeeringReg): boolean {
  return acceptances.some((a) => a.peering === p);
}

/** The plan of one route against everything registered so far. */
export function routePlan(r: RouteReg): RoutePlan {
  const plan: RoutePlan = {
    ownerRef: r.ownerRef,
    sameTable: routes
      .filter((o) => o !== r && sameTable(o.table, r.table))
      .map((o) => ({ ownerRef: o.ownerRef, name: o.name, destination: o.destination as string })),
  };
  if (r.table.vpc) plan.tableVpc = plannedVpc(r.table);
  if (r.table.id !== undefined) plan.tableId = r.table.id;
  if (r.peering) {
    plan.peering = {
      ownerRef: r.peering.ownerRef,
      name: r.peering.name,
      local: plannedVpc(r.peering.local),
      peer: plannedVpc(r.peering.peer),
      acceptedInProgram: acceptedInProgram(r.peering),
    };
  }
  return plan;
}

/**
 * One-sided routes: a peering of this program whose VPCs are both Vpc objects of this program, with
 * routes (in those VPCs' tables) on one side only. Returns [peering, message] pairs.
 */
export function oneSidedRouteWarnings(): { peering: PeeringReg; message: string }[] {
  const out: { peering: PeeringReg; message: string }[] = [];
  for (const p of peerings) {
    if (!p.local.vpc || !p.peer.vpc) continue;
    const mine = routes.filter((r) => r.peering === p);
    if (mine.length === 0) continue;
    const onLocal = mine.filter((r) => sameTable(r.table, p.local));
    const onPeer = mine.filter((r) => sameTable(r.table, p.peer));
    if (onLocal.length + onPeer.length !== mine.length) continue; // some table unknown: cannot tell
    if (onLocal.length > 0 && onPeer.length > 0) continue;
    const [has, lacks, routesHere] = onLocal.length > 0 ? [p.local.vpc, p.peer.vpc, onLocal] : [p.peer.vpc, p.local.vpc, onPeer];
    out.push({
      peering: p,
      message:
        `PeeringConnection "${p.name}" has routes only on the side of VPC "${has.name}" (${routesHere.map((r) => `RouteEntry "${r.name}"`).join(", ")}); ` +
        `the side of VPC "${lacks.name}" has no route back, so replies cannot return: add a RouteEntry in VPC "${lacks.name}"'s route table ` +
        `towards VPC "${has.name}"'s CIDR via this peering (traffic needs routes both ways)`,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Batching

function schedule(): void {
  const gen = ++generation;
  if (scheduled) return;
  scheduled = true;
  const tick = (seen: number) =>
    setImmediate(() => {
      // Another registration arrived meanwhile: wait for the program to go quiet.
      if (generation !== seen) return tick(generation);
      scheduled = false;
      flush();
    });
  tick(gen);
}

/** Resolves every pending plan against the registry, and warns about one-sided routes. */
export function flush(): void {
  for (const p of peerings) {
    if (p.resolve) {
      const resolve = p.resolve;
      p.resolve = undefined;
      resolve(peeringPlan(p));
    }
  }
  for (const r of routes) {
    if (r.resolve) {
      const resolve = r.resolve;
      r.resolve = undefined;
      resolve(routePlan(r));
    }
  }
  for (const w of oneSidedRouteWarnings()) {
    if (warned.has(w.peering.ownerRef)) continue;
    warned.add(w.peering.ownerRef);
    void pulumi.log.warn(w.message, w.peering.resource);
  }
}
