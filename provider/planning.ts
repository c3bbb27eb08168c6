// The program side of the preview checks, in the program process.
//
// A dynamic provider's check() sees one resource, and a new VPC's id is unknown during a preview. So
// each PeeringConnection and RouteEntry gets a hidden input `__refs` naming, by ownerRef, the program
// resources it points at (traced from the Vpc, PeeringConnection and PeeringAcceptance objects and their
// outputs by identity, or through the resources an output depends on). The provider process collects
// every checked resource (provider/preview/plan.ts), so it can put the whole program on top of what the
// control plane holds. `__refs` resolves once the program goes quiet (so an acceptance declared after
// its routes still counts); resources declared later get their own refs the same way.
//
// Only plain strings go into `__refs`, never outputs, so a resource never waits on another through it.
import * as pulumi from "@pulumi/pulumi";
import { declaredFile } from "./preview/declared";
import type { ResourceRefs } from "./types";

type In<T> = pulumi.Input<T>;

interface VpcReg {
  ownerRef: string;
  name: string;
  cidrBlock: In<string>;
}

export interface PeeringReg {
  /** Set right after the resource's constructor has called super(). */
  resource?: pulumi.Resource;
  ownerRef: string;
  name: string;
  vpc?: VpcReg;
  peerVpc?: VpcReg;
  /** issue 11: the BorderRouter objects at either end, by ownerRef */
  borderRouter?: string;
  peerBorderRouter?: string;
  resolve?: (refs: ResourceRefs) => void;
}

/** A RouteTable of the program, with the Vpc it is in when traced. */
interface TableReg {
  ownerRef: string;
  name: string;
  vpc?: VpcReg;
}

interface RouteReg {
  ownerRef: string;
  name: string;
  /** the Vpc whose table it is in (for a RouteTable of the program: that table's Vpc) */
  table?: VpcReg;
  routeTable?: TableReg;
  peering?: PeeringReg;
  resolve?: (refs: ResourceRefs) => void;
}

// Identity maps: registered resources and their Output objects -> their registration.
let vpcByObject = new WeakMap<object, VpcReg>();
let vpcByTable = new WeakMap<object, VpcReg>();
let vpcByCidr = new WeakMap<object, VpcReg>();
let peeringByObject = new WeakMap<object, PeeringReg>();
let tableByObject = new WeakMap<object, TableReg>();
let subnetByObject = new WeakMap<object, string>();
/** Every Peerlink resource of the program but the assertions, which wait for all of them. */
let topology: pulumi.Resource[] = [];
let topologyWaiters: ((resources: pulumi.Resource[]) => void)[] = [];
let borderRouterByObject = new WeakMap<object, string>();

let peerings: PeeringReg[] = [];
let routes: RouteReg[] = [];
let accepted = new Set<PeeringReg>();
let warned = new Set<string>();
/** Every resource of the program, by ownerRef: the plan diagram tells from it what the update deletes. */
let declaredRefs = new Set<string>();
let generation = 0;
let scheduled = false;

/** For tests: forget every registration. */
export function resetPlanning(): void {
  vpcByObject = new WeakMap();
  vpcByTable = new WeakMap();
  vpcByCidr = new WeakMap();
  peeringByObject = new WeakMap();
  tableByObject = new WeakMap();
  subnetByObject = new WeakMap();
  topology = [];
  topologyWaiters = [];
  borderRouterByObject = new WeakMap();
  peerings = [];
  routes = [];
  accepted = new Set();
  warned = new Set();
  declaredRefs = new Set();
  generation++;
  scheduled = false;
}

/** `${project}/${stack}/${type}/${name}`: stable across runs and machines. */
export function ownerRefFor(type: string, name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${type}/${name}`;
}

/** The resources an Output depends on (kept through `apply`), or none for a plain value. */
function dependencies(v: unknown): object[] {
  const resources = (v as { resources?: () => Set<object> } | undefined)?.resources;
  if (!v || typeof v !== "object" || typeof resources !== "function") return [];
  try {
    return [...resources.call(v)];
  } catch {
    // resources() is internal to the SDK; where it fails the value counts as plain, and the checks
    // that needed its resource run at `up` (the preview says which it deferred).
    return [];
  }
}

/** The one registration among an output's dependencies, when exactly one matches. */
function traced<T>(v: unknown, map: WeakMap<object, T>): T | undefined {
  if (!v || typeof v !== "object") return undefined;
  const direct = map.get(v);
  if (direct) return direct;
  const found = [
    ...new Set(
      dependencies(v)
        .map((r) => map.get(r))
        .filter((x): x is T => x !== undefined),
    ),
  ];
  return found.length === 1 ? found[0] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Registration (called by the resource constructors)

/** Every resource (PeerlinkResource's constructor): the program's list, for the plan diagram. */
export function registerDeclared(ownerRef: string): void {
  declaredRefs.add(ownerRef);
  if (process.env.PEERLINK_PLAN_DIAGRAM) schedule();
}

/**
 * With PEERLINK_PLAN_DIAGRAM=path, the program's resources go to a file beside the diagram once the
 * program is quiet: a check sees one resource, and the engine checks nothing it is about to delete, so
 * only this list tells the provider which stored resources of the stack the program dropped.
 */
function writeDeclared(): void {
  const file = process.env.PEERLINK_PLAN_DIAGRAM;
  if (!file) return;
  try {
    declaredFile.write(file, [...declaredRefs].sort());
  } catch (e) {
    void pulumi.log.warn(`peerlink: could not write the program's resource list beside ${file}: ${(e as Error).message}`);
  }
}

export function registerVpc(
  resource: pulumi.Resource,
  name: string,
  ownerRef: string,
  args: { cidrBlock: In<string> },
  outputs: { vpcId: pulumi.Output<string>; id: pulumi.Output<string>; routeTableId: pulumi.Output<string>; cidrBlock: pulumi.Output<string> },
): void {
  const reg: VpcReg = { ownerRef, name, cidrBlock: args.cidrBlock };
  vpcByObject.set(resource, reg);
  vpcByObject.set(outputs.vpcId, reg);
  vpcByObject.set(outputs.id, reg);
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

export function registerPeeringOutputs(reg: PeeringReg, outputs: pulumi.Output<string>[]): void {
  for (const o of outputs) peeringByObject.set(o, reg);
}

/**
 * Registers a BorderRouter (issue 11): its id outputs name it for a PeeringConnection, and its route table
 * output for a RouteEntry, whose table is then the router's (it stands where a VPC's would).
 */
export function registerBorderRouter(
  resource: pulumi.Resource,
  name: string,
  ownerRef: string,
  outputs: { ids: pulumi.Output<string>[]; routeTableId: pulumi.Output<string> },
): void {
  borderRouterByObject.set(resource, ownerRef);
  for (const o of outputs.ids) borderRouterByObject.set(o, ownerRef);
  vpcByTable.set(outputs.routeTableId, { ownerRef, name, cidrBlock: "" });
}

/** Registers a peering; returns the registration and its `__refs` promise. */
export function registerPeering(name: string, ownerRef: string, local: unknown, peer: unknown): { reg: PeeringReg; refs: Promise<ResourceRefs> } {
  const reg: PeeringReg = {
    ownerRef,
    name,
    vpc: traced(local, vpcByObject),
    peerVpc: traced(peer, vpcByObject),
    borderRouter: traced(local, borderRouterByObject),
    peerBorderRouter: traced(peer, borderRouterByObject),
  };
  const refs = new Promise<ResourceRefs>((resolve) => (reg.resolve = resolve));
  peerings.push(reg);
  schedule();
  return { reg, refs };
}

/** Registers a RouteTable; returns its `__refs` (its Vpc), known at once. */
export function registerRouteTable(
  resource: pulumi.Resource,
  name: string,
  ownerRef: string,
  args: { vpcId: unknown },
  outputs: pulumi.Output<string>[],
): ResourceRefs {
  const reg: TableReg = { ownerRef, name, vpc: traced(args.vpcId, vpcByObject) };
  tableByObject.set(resource, reg);
  for (const o of outputs) tableByObject.set(o, reg);
  return { vpc: reg.vpc?.ownerRef };
}

/** A Subnet's outputs then identify it (by ownerRef), for the assertions that name it. */
export function registerSubnet(resource: pulumi.Resource, ownerRef: string, outputs: pulumi.Output<string>[]): void {
  subnetByObject.set(resource, ownerRef);
  for (const o of outputs) subnetByObject.set(o, ownerRef);
}

/** Called for every Peerlink resource but an assertion, once it exists. */
export function registerTopology(resource: pulumi.Resource): void {
  topology.push(resource);
  schedule();
}

/**
 * The resources an assertion is checked after: every other Peerlink resource the program declares,
 * once the program goes quiet (so those declared after the assertion count too).
 */
export function topologySettled(): Promise<pulumi.Resource[]> {
  const settled = new Promise<pulumi.Resource[]>((resolve) => topologyWaiters.push(resolve));
  schedule();
  return settled;
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The `__refs` of an assertion: the program's Vpc, Subnet or BorderRouter its ends are, when traced. */
export function assertionRefs(args: { source: unknown; destination: unknown }): ResourceRefs {
  const end = (v: unknown): { subnet?: string; vpc?: string; borderRouter?: string } => {
    if (!v || typeof v !== "object") return {};
    const subnet = traced(v, subnetByObject);
    if (subnet) return { subnet };
    const borderRouter = traced(v, borderRouterByObject);
    if (borderRouter) return { borderRouter };
    return { vpc: traced(v, vpcByObject)?.ownerRef };
  };
  const s = end(args.source);
  const d = end(args.destination);
  return definedOnly({
    sourceSubnet: s.subnet,
    sourceVpc: s.vpc,
    sourceBorderRouter: s.borderRouter,
    destinationSubnet: d.subnet,
    destinationVpc: d.vpc,
    destinationBorderRouter: d.borderRouter,
  });
}

/** The `__refs` of a Subnet: its Vpc, and its table (a RouteTable of the program, or a Vpc's main one). */
export function subnetRefs(args: { vpcId: unknown; routeTableId?: unknown }): ResourceRefs {
  return {
    vpc: traced(args.vpcId, vpcByObject)?.ownerRef,
    routeTable: traced(args.routeTableId, tableByObject)?.ownerRef,
    mainTableOf: traced(args.routeTableId, vpcByTable)?.ownerRef,
  };
}

export function registerRoute(name: string, ownerRef: string, args: { routeTableId: unknown; peeringId: unknown }): Promise<ResourceRefs> {
  const routeTable = traced(args.routeTableId, tableByObject);
  const reg: RouteReg = {
    ownerRef,
    name,
    table: routeTable ? routeTable.vpc : (traced(args.routeTableId, vpcByTable) ?? traced(args.routeTableId, vpcByObject)),
    routeTable,
    peering: traced(args.peeringId, peeringByObject),
  };
  const refs = new Promise<ResourceRefs>((resolve) => (reg.resolve = resolve));
  routes.push(reg);
  schedule();
  return refs;
}

/** The hidden `__refs` of an acceptance: the program's PeeringConnection it accepts, when traced. */
export function acceptanceRefs(peeringId: unknown): ResourceRefs {
  const reg = traced(peeringId, peeringByObject);
  return reg ? { peering: reg.ownerRef } : {};
}

/** Registers an acceptance; its peeringId output then also identifies the peering. */
export function registerAcceptance(peeringId: unknown, outputs: pulumi.Output<string>[]): void {
  const reg = traced(peeringId, peeringByObject);
  if (!reg) return;
  accepted.add(reg);
  registerPeeringOutputs(reg, outputs);
}

// ---------------------------------------------------------------------------------------------
// Refs and warnings

export function peeringRefs(p: PeeringReg): ResourceRefs {
  const refs: ResourceRefs = { vpc: p.vpc?.ownerRef, peerVpc: p.peerVpc?.ownerRef, acceptedInProgram: accepted.has(p) };
  if (p.borderRouter) refs.borderRouter = p.borderRouter;
  if (p.peerBorderRouter) refs.peerBorderRouter = p.peerBorderRouter;
  return refs;
}

export function routeRefs(r: RouteReg): ResourceRefs {
  const refs: ResourceRefs = { vpc: r.table?.ownerRef, peering: r.peering?.ownerRef, acceptedInProgram: r.peering ? accepted.has(r.peering) : undefined };
  if (r.routeTable) refs.routeTable = r.routeTable.ownerRef;
  return refs;
}

/**
 * One-sided routes: a peering of this program whose VPCs are both Vpc objects of this program, with
 * routes (in those VPCs' tables) on one side only. Returns [peering, message] pairs.
 */
export function oneSidedRouteWarnings(): { peering: PeeringReg; message: string }[] {
  const out: { peering: PeeringReg; message: string }[] = [];
  for (const p of peerings) {
    if (!p.vpc || !p.peerVpc) continue;
    const mine = routes.filter((r) => r.peering === p);
    if (mine.length === 0) continue;
    const onLocal = mine.filter((r) => r.table === p.vpc);
    const onPeer = mine.filter((r) => r.table === p.peerVpc);
    if (onLocal.length + onPeer.length !== mine.length) continue; // some table unknown: cannot tell
    if (onLocal.length > 0 && onPeer.length > 0) continue;
    const [has, lacks, routesHere] = onLocal.length > 0 ? [p.vpc, p.peerVpc, onLocal] : [p.peerVpc, p.vpc, onPeer];
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

/** Resolves every pending `__refs` and topology wait, and warns about one-sided routes. */
export function flush(): void {
  writeDeclared();
  for (const resolve of topologyWaiters.splice(0)) resolve([...topology]);
  for (const p of peerings) {
    if (!p.resolve) continue;
    const resolve = p.resolve;
    p.resolve = undefined;
    resolve(peeringRefs(p));
  }
  for (const r of routes) {
    if (!r.resolve) continue;
    const resolve = r.resolve;
    r.resolve = undefined;
    resolve(routeRefs(r));
  }
  for (const w of oneSidedRouteWarnings()) {
    if (warned.has(w.peering.ownerRef)) continue;
    warned.add(w.peering.ownerRef);
    void pulumi.log.warn(w.message, w.peering.resource);
  }
}
