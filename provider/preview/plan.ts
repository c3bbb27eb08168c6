// The program's plan as the dynamic-provider process learns it: each check() declares its resource here,
// so every later check sees it. Pulumi checks a resource after the resources it depends on, so the last
// check of any set of resources that conflict sees all of them.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Fact } from "../../domain";
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
/** The first connection declared for each account of the program, so a check finds the other accounts without scanning the plan. */
const connectionByAccount = new Map<string, ConnectionInputs>();

export function declare(entry: Planned): void {
  planned.set(entry.ownerRef, entry);
  if (entry.connection && !connectionByAccount.has(entry.accountId)) connectionByAccount.set(entry.accountId, entry.connection);
}

/** Each account the program declared a resource in, with a connection to read it through (first declared first). */
export function plannedAccounts(): ReadonlyMap<string, ConnectionInputs> {
  return connectionByAccount;
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
  pendingWrites = [];
  planned.clear();
  connectionByAccount.clear();
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
// on the wire may or may not hold the new resource. So checks read the worlds only when no create is
// between its request and its record (worldsSettled), and read again when one started or finished
// meanwhile (planGeneration). And the worlds are read once per process (provider/facts.ts), not after
// every create: what this process created is applied to the plan (applyWrites) only when the worlds are
// read again, so the plan and the worlds always describe the same moment. Until then a resource this
// process created is still planned over a world without it, exactly as the preview saw it.
let writesInFlight = 0;
let generation = 0;
let onSettled: (() => void)[] = [];
let pendingWrites: { ownerRef: string; id: string; ids: string[]; fields: Record<string, string> }[] = [];
const ownCreate = new AsyncLocalStorage<true>();

export function planGeneration(): number {
  return generation;
}

/** Resolves with the generation once no create of this process is between its request and its record. */
export async function worldsSettled(): Promise<number> {
  while (writesInFlight > 0) await new Promise<void>((resolve) => onSettled.push(resolve));
  return generation;
}

/** True inside a create that recordedCreate records (its writes do not make the worlds stale). */
export function inRecordedCreate(): boolean {
  return ownCreate.getStore() === true;
}

/** Runs a create and records what it made under the resource's ownerRef, in one step as checks see it. */
export async function recordedCreate<T>(ownerRef: string, create: () => Promise<T>, idOf: (made: T) => string): Promise<T> {
  writesInFlight++;
  generation++;
  try {
    const made = await ownCreate.run(true, create);
    written(ownerRef, idOf(made), idFields(made));
    return made;
  } finally {
    writesInFlight--;
    generation++;
    if (writesInFlight === 0) for (const resolve of onSettled.splice(0)) resolve();
  }
}

/**
 * The ids an API answer names (its top-level `...Id` fields): the new resource's, and ones it made with it.
 * Account ids are not made by a create (a VPC's answer names its account, which a peer's check names too).
 */
function idFields(made: unknown): Record<string, string> {
  if (!made || typeof made !== "object") return {};
  return Object.fromEntries(
    Object.entries(made as Record<string, unknown>).filter(([k, v]) => k.endsWith("Id") && !k.endsWith("ccountId") && typeof v === "string" && v !== ""),
  ) as Record<string, string>;
}

let onUnplannedWrite: () => void = () => {};

/** What to do when this process creates a resource no check declared: the worlds must be read again. */
export function whenUnplannedWrite(listener: () => void): void {
  onUnplannedWrite = listener;
}

/**
 * After this process wrote a resource. A planned one is found in the worlds under this id once they are
 * read again; one the plan does not hold (its check did not run here) makes the worlds stale at once.
 */
export function written(ownerRef: string, id: string, fields: Record<string, string> = {}): void {
  if (!planned.has(ownerRef)) {
    onUnplannedWrite();
    return;
  }
  const ids = Object.values(fields);
  pendingWrites.push({ ownerRef, id, ids: ids.includes(id) ? ids : [id, ...ids], fields });
}

/**
 * An id that this process's create of a still-planned resource returned beside its own (a VPC's main
 * route table): a later check that names it finds it on the planned resource.
 */
export function createdIdField(ownerRef: string, field: string): string | undefined {
  return pendingWrites.find((w) => w.ownerRef === ownerRef)?.fields[field];
}

/** True when this process created the resource and the worlds do not show it yet. */
export function writtenSinceWorlds(ownerRef: string): boolean {
  return pendingWrites.some((w) => w.ownerRef === ownerRef);
}

/**
 * Ids this process's creates returned that the worlds the checks read do not hold yet, and whose resource
 * made each: the first answer that names an id (a route's answer names its peering and table too, which
 * their own creates made).
 */
export function unappliedIds(): Map<string, string> {
  const out = new Map<string, string>();
  for (const w of pendingWrites) for (const id of w.ids) if (!out.has(id)) out.set(id, w.ownerRef);
  return out;
}

/** Called as the worlds are read again (at a settled generation): the plan catches up with what was written. */
export function applyWrites(): void {
  for (const w of pendingWrites.splice(0)) {
    const e = planned.get(w.ownerRef);
    if (!e) continue;
    e.existingId = w.id;
    e.order = "same";
  }
}
