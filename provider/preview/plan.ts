// The program's plan as the dynamic-provider process learns it: each check() declares its resource here,
// so every later check sees it. Pulumi checks a resource after the resources it depends on, so the last
// check of any set of resources that conflict sees all of them.
import type { Fact } from "../../domain";
import { forgetWorlds } from "../facts";
import type { ConnectionInputs } from "../types";

/** A reference to another resource: a program resource (its ownerRef) or a plain id. */
export type Ref = { ownerRef?: string; id?: string };

/**
 * How the update will write the resource, in Pulumi's order: "create"; "update" in place; "same" (no
 * write); a replacement that creates first (the old one is deleted at the end) or deletes first.
 */
export type Order = "create" | "update" | "same" | "replaceCreateFirst" | "replaceDeleteFirst";

interface Common {
  ownerRef: string;
  /** `Vpc "app"`: how messages name it */
  label: string;
  accountId: string;
  /** the stored resource this one is, when it exists already */
  existingId?: string;
  order: Order;
  /** kept in memory only, to read the other accounts of a program with several connections */
  connection?: ConnectionInputs;
}

export interface PlannedVpc extends Common {
  kind: "Vpc";
  region: Fact<string>;
  cidr: Fact<string>;
  name?: string;
  /** undefined: not known (an output), so the listing rule is not evaluated */
  allowedPeerAccountIds?: string[];
}

export interface PlannedPeering extends Common {
  kind: "PeeringConnection";
  local: Ref;
  peer: Ref;
  /** issue 11: that end is a border router */
  localKind?: "borderRouter";
  peerKind?: "borderRouter";
  peerAccountId?: Fact<string>;
  peerRegion?: Fact<string>;
  bandwidthMbps: Fact<number | null>;
  acceptedInProgram: boolean;
}

export interface PlannedSubnet extends Common {
  kind: "Subnet";
  vpc: Ref;
  /** undefined: the VPC's main table */
  routeTable?: Ref;
  cidr: Fact<string>;
}

/** Issue 11: a border router; its VLAN id is unique per account and region. */
export interface PlannedBorderRouter extends Common {
  kind: "BorderRouter";
  region: Fact<string>;
  vlanId: Fact<number>;
  interconnectCidr: Fact<string>;
  localGatewayIp: Fact<string>;
  peerGatewayIp: Fact<string>;
  onPremCidrs: Fact<string[]>;
  name?: string;
  allowedPeerAccountIds?: string[];
}

export interface PlannedRouteTable extends Common {
  kind: "RouteTable";
  vpc: Ref;
}

export interface PlannedRoute extends Common {
  kind: "RouteEntry";
  /** the VPC whose table holds the route */
  table: Ref;
  /** the table itself; undefined: the VPC's main table */
  routeTable?: Ref;
  peering: Ref;
  destination: Fact<string>;
}

export type Planned = PlannedVpc | PlannedPeering | PlannedRoute | PlannedSubnet | PlannedRouteTable | PlannedBorderRouter;

const planned = new Map<string, Planned>();

export function declare(entry: Planned): void {
  planned.set(entry.ownerRef, entry);
}

export function plannedEntries(): Planned[] {
  return [...planned.values()];
}

export function plannedByOwnerRef(ownerRef: string | undefined): Planned | undefined {
  return ownerRef === undefined ? undefined : planned.get(ownerRef);
}

/** What each resource's last check found wrong, by ownerRef (the plan diagram marks them). */
const problems = new Map<string, string[]>();

export function recordProblems(ownerRef: string, found: string[]): void {
  if (found.length > 0) problems.set(ownerRef, found);
  else problems.delete(ownerRef);
}

export function recordedProblems(): ReadonlyMap<string, string[]> {
  return problems;
}

/** For tests: forget the plan (a new provider process starts empty). */
export function resetPlan(): void {
  problems.clear();
  writesInFlight = 0;
  onSettled = [];
  planned.clear();
  accepted.clear();
  deleteFirst.clear();
}

/** Stored peerings that a PeeringAcceptance of the program accepts (named by id in a route's refs). */
const accepted = new Set<string>();

export function acceptedInProgram(peeringId: string): void {
  accepted.add(peeringId);
}

export function isAcceptedInProgram(peeringId: string): boolean {
  return accepted.has(peeringId);
}

/** The world key a planned resource has: its stored id while it keeps it, a planned key otherwise. */
export function keyOf(e: Planned): string {
  if (e.existingId !== undefined && (e.order === "update" || e.order === "same")) return e.existingId;
  return `planned:${e.ownerRef}`;
}

/** Deletes that happen before the resource's own write (a delete-first replacement). */
export function deletedFirst(e: Planned): string[] {
  return e.order === "replaceDeleteFirst" && e.existingId !== undefined ? [e.existingId] : [];
}

/** Replacements that this process decided to run delete-first; diff() asks the engine for them. */
const deleteFirst = new Set<string>();

export function chooseDeleteFirst(ownerRef: string): void {
  deleteFirst.add(ownerRef);
}

export function choseDeleteFirst(ownerRef: string): boolean {
  return deleteFirst.has(ownerRef);
}

// Creates run in parallel with other resources' checks in this process. A world read while a create is
// on the wire may or may not hold the new resource; the resource is recorded as written only after the
// answer. Such a read would count it twice (stored, and still planned) or not at all, so checks read
// the world only when no create is between its request and its record (worldsSettled), and read again
// when one started or finished meanwhile (planGeneration).
let writesInFlight = 0;
let generation = 0;
let onSettled: (() => void)[] = [];

export function planGeneration(): number {
  return generation;
}

/** Resolves with the generation once no create of this process is between its request and its record. */
export async function worldsSettled(): Promise<number> {
  while (writesInFlight > 0) await new Promise<void>((resolve) => onSettled.push(resolve));
  return generation;
}

/** Runs a create and records what it made under the resource's ownerRef, in one step as checks see it. */
export async function recordedCreate<T>(ownerRef: string, create: () => Promise<T>, idOf: (made: T) => string): Promise<T> {
  writesInFlight++;
  generation++;
  try {
    const made = await create();
    written(ownerRef, idOf(made));
    return made;
  } finally {
    writesInFlight--;
    generation++;
    forgetWorlds();
    if (writesInFlight === 0) for (const resolve of onSettled.splice(0)) resolve();
  }
}

/** After this process wrote a resource: later checks find it in the stored world under this id. */
export function written(ownerRef: string, id: string): void {
  const e = planned.get(ownerRef);
  if (!e) return;
  e.existingId = id;
  e.order = "same";
}
