// The plan a fuzz case runs: plain JSON that the generic program (plan-program/index.ts) turns into
// peerlink resources, so no case needs a compile. Strings starting with "@" are placeholders that the
// runner fills in for one copy of the case (its accounts and the ids of what already exists).

/** The two accounts of a case. Each case gets fresh ones, so cases are independent. */
export type Alias = "A" | "B";
export const ALIASES: readonly Alias[] = ["A", "B"];

/** A VPC: a Vpc of this program by logical name, or an id (literal or placeholder). */
export type VpcRef = { vpc: string } | { id: string };
/** A route table: the main table of a Vpc of this program, a RouteTable or a BorderRouter's table of this program, or an id. */
export type TableRef = { vpc: string } | { table: string } | { borderRouter: string } | { id: string };
/** A peering end: a VPC, or a BorderRouter of this program. */
export type EndRef = VpcRef | { borderRouter: string };
/** A next hop: a PeeringConnection's or a PeeringAcceptance's peeringId in this program, or an id. */
export type PeeringRef = { peering: string } | { acceptance: string } | { id: string };

export interface PlanVpc {
  name: string;
  account: Alias;
  region: string;
  cidrBlock: string;
  /** accounts (as "@account:X") that may request peerings to it */
  allowedPeerAccountIds?: string[];
  displayName?: string;
  tags?: Record<string, string>;
}

export interface PlanPeering {
  name: string;
  /** The requester's account (the connection the resource acts with). */
  account: Alias;
  vpc: EndRef;
  peerVpc: EndRef;
  peerAccountId?: string;
  peerRegion?: string;
  bandwidthMbps?: number;
  displayName?: string;
}

export interface PlanAcceptance {
  name: string;
  /** The accepter's account. */
  account: Alias;
  peering: PeeringRef;
  allowedRequesterAccountIds: string[];
}

export interface PlanRoute {
  name: string;
  /** The table owner's account. */
  account: Alias;
  table: TableRef;
  destinationCidrBlock: string;
  peering: PeeringRef;
}

/** An extra route table of a VPC (issue 11). */
export interface PlanRouteTable {
  name: string;
  /** The VPC owner's account. */
  account: Alias;
  vpc: VpcRef;
}

/** A subnet, associated with the table named (default: its VPC's main one). */
export interface PlanSubnet {
  name: string;
  account: Alias;
  vpc: VpcRef;
  cidrBlock: string;
  table?: TableRef;
}

/** A border router (VBR): the cloud's end of a leased line to on-premises space. */
export interface PlanBorderRouter {
  name: string;
  account: Alias;
  region: string;
  vlanId: number;
  interconnectCidrBlock: string;
  localGatewayIp: string;
  peerGatewayIp: string;
  onPremisesCidrBlocks: string[];
  allowedPeerAccountIds?: string[];
}

export interface Plan {
  vpcs: PlanVpc[];
  peerings: PlanPeering[];
  acceptances: PlanAcceptance[];
  routes: PlanRoute[];
  /** Issue 11's resources; absent in cases catalogued before them. */
  routeTables?: PlanRouteTable[];
  subnets?: PlanSubnet[];
  borderRouters?: PlanBorderRouter[];
}

/**
 * How the existing part came to be: nothing; `pulumi up` of another stack (its ids reach the plan as
 * literals); an earlier `up` of the same stack (the plan is that program changed); or calls to the API
 * by hand.
 */
export type ExistingVia = "none" | "otherStack" | "sameStack" | "byHand";

export interface FuzzCase {
  existingVia: ExistingVia;
  /** Made before the preview under test. Refers to no placeholder but "@account:X". */
  existing: Plan;
  /** The program under test. */
  plan: Plan;
}

export const emptyPlan = (): Plan => ({ vpcs: [], peerings: [], acceptances: [], routes: [] });

export function accountPlaceholder(alias: Alias): string {
  return `@account:${alias}`;
}

/** "@x1.vpcId" etc.: the id of a resource the existing part made, found by its display name. */
export function existingPlaceholder(name: string, field: "vpcId" | "routeTableId" | "peeringId"): string {
  return `@${name}.${field}`;
}

/** Replaces every placeholder string with its value; throws on one that has none. */
export function materialize<T>(value: T, values: Record<string, string>): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string" && v.startsWith("@")) {
      const found = values[v];
      if (found === undefined) throw new Error(`no value for placeholder ${v}`);
      return found;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

// ---------------------------------------------------------------------------------------------
// The same plan as the TypeScript a user would write, for failure reports.

const lit = (v: unknown) => JSON.stringify(v);

function ident(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, "_");
}

function vpcExpr(ref: EndRef): { key: "vpc" | "vpcId" | "borderRouter"; expr: string } {
  if ("borderRouter" in ref) return { key: "borderRouter", expr: ident(ref.borderRouter) };
  return "vpc" in ref ? { key: "vpc", expr: ident(ref.vpc) } : { key: "vpcId", expr: lit(ref.id) };
}

function vpcIdExpr(ref: VpcRef): string {
  return "vpc" in ref ? `${ident(ref.vpc)}.vpcId` : lit(ref.id);
}

function tableExpr(ref: TableRef): string {
  if ("vpc" in ref) return `${ident(ref.vpc)}.routeTableId`;
  if ("table" in ref) return `${ident(ref.table)}.routeTableId`;
  if ("borderRouter" in ref) return `${ident(ref.borderRouter)}.routeTableId`;
  return lit(ref.id);
}

function peeringExpr(ref: PeeringRef): string {
  if ("peering" in ref) return `${ident(ref.peering)}.peeringId`;
  if ("acceptance" in ref) return `${ident(ref.acceptance)}.peeringId`;
  return lit(ref.id);
}

/** Declarations equivalent to what plan-program/index.ts builds from `plan` (accounts as `account<X>`). */
export function toTypeScript(plan: Plan): string {
  const lines: string[] = [`import * as peerlink from "peerlink";`, `// accountA, accountB: peerlink.Connection of the two accounts (apiKey as a secret)`];
  for (const v of plan.vpcs) {
    const extra = [
      v.allowedPeerAccountIds !== undefined ? `allowedPeerAccountIds: ${lit(v.allowedPeerAccountIds)}` : "",
      v.displayName !== undefined ? `name: ${lit(v.displayName)}` : "",
      v.tags ? `tags: ${lit(v.tags)}` : "",
    ].filter(Boolean);
    lines.push(
      `const ${ident(v.name)} = new peerlink.Vpc(${lit(v.name)}, { region: ${lit(v.region)}, cidrBlock: ${lit(v.cidrBlock)}, ${[...extra, `connection: account${v.account}`].join(", ")} });`,
    );
  }
  for (const b of plan.borderRouters ?? []) {
    const fields = [
      `region: ${lit(b.region)}`,
      `vlanId: ${b.vlanId}`,
      `interconnectCidrBlock: ${lit(b.interconnectCidrBlock)}`,
      `localGatewayIp: ${lit(b.localGatewayIp)}`,
      `peerGatewayIp: ${lit(b.peerGatewayIp)}`,
      `onPremisesCidrBlocks: ${lit(b.onPremisesCidrBlocks)}`,
      ...(b.allowedPeerAccountIds !== undefined ? [`allowedPeerAccountIds: ${lit(b.allowedPeerAccountIds)}`] : []),
      `connection: account${b.account}`,
    ];
    lines.push(`const ${ident(b.name)} = new peerlink.BorderRouter(${lit(b.name)}, { ${fields.join(", ")} });`);
  }
  for (const t of plan.routeTables ?? []) {
    lines.push(`const ${ident(t.name)} = new peerlink.RouteTable(${lit(t.name)}, { vpcId: ${vpcIdExpr(t.vpc)}, connection: account${t.account} });`);
  }
  for (const s of plan.subnets ?? []) {
    const table = s.table !== undefined ? `, routeTableId: ${tableExpr(s.table)}` : "";
    lines.push(
      `const ${ident(s.name)} = new peerlink.Subnet(${lit(s.name)}, { vpcId: ${vpcIdExpr(s.vpc)}, cidrBlock: ${lit(s.cidrBlock)}${table}, connection: account${s.account} });`,
    );
  }
  const peerKey = { vpc: "peerVpc", vpcId: "peerVpcId", borderRouter: "peerBorderRouter" } as const;
  for (const p of plan.peerings) {
    const local = vpcExpr(p.vpc);
    const peer = vpcExpr(p.peerVpc);
    const fields = [`${local.key}: ${local.expr}`, `${peerKey[peer.key]}: ${peer.expr}`];
    if (p.peerAccountId !== undefined) fields.push(`peerAccountId: ${lit(p.peerAccountId)}`);
    if (p.peerRegion !== undefined) fields.push(`peerRegion: ${lit(p.peerRegion)}`);
    if (p.bandwidthMbps !== undefined) fields.push(`bandwidthMbps: ${p.bandwidthMbps}`);
    if (p.displayName !== undefined) fields.push(`name: ${lit(p.displayName)}`);
    fields.push(`connection: account${p.account}`);
    lines.push(`const ${ident(p.name)} = new peerlink.PeeringConnection(${lit(p.name)}, { ${fields.join(", ")} });`);
  }
  for (const a of plan.acceptances) {
    lines.push(
      `const ${ident(a.name)} = new peerlink.PeeringAcceptance(${lit(a.name)}, { peeringId: ${peeringExpr(a.peering)}, allowedRequesterAccountIds: ${lit(a.allowedRequesterAccountIds)}, connection: account${a.account} });`,
    );
  }
  for (const r of plan.routes) {
    lines.push(
      `new peerlink.RouteEntry(${lit(r.name)}, { routeTableId: ${tableExpr(r.table)}, destinationCidrBlock: ${lit(r.destinationCidrBlock)}, peeringId: ${peeringExpr(r.peering)}, connection: account${r.account} });`,
    );
  }
  return lines.join("\n");
}

/** Every logical name the plan declares, for checks of its shape. */
export function declaredNames(plan: Plan): string[] {
  return [
    ...plan.vpcs,
    ...plan.peerings,
    ...plan.acceptances,
    ...plan.routes,
    ...(plan.routeTables ?? []),
    ...(plan.subnets ?? []),
    ...(plan.borderRouters ?? []),
  ].map((r) => r.name);
}
