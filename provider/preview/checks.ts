// The preview's evaluation of the rule book for one resource's check: read the accounts' worlds, put the
// program in, and evaluate the same rule functions the server evaluates at write time.

import { PeerlinkApiError, type PeerlinkClient } from "../../contract";
import type { World as ApiWorld } from "../../contract/types";
import {
  checkBorderRouterCreate,
  checkPeeringBandwidth,
  checkPeeringCreate,
  checkRouteCreate,
  checkRouteTableCreate,
  checkSubnetAssociation,
  checkSubnetCreate,
  checkVpcCreate,
  Deferred,
  ErrorCode,
  isUnknown,
  known,
  PlanDelta,
  project,
  Quotas,
  Verdict,
  Violation,
  World,
  WorldPeering,
} from "../../domain";
import { ConnectionConfigError } from "../config";
import { worldOf } from "../facts";
import { clientFor } from "../impl/client";
import { logToEngine } from "./engine-log";
import { chooseDeleteFirst, declare, keyOf, Planned, PlannedPeering, planGeneration, plannedEntries, worldsSettled } from "./plan";
import { planDelta, worldFromApi } from "./project";

/** What the accounts of the program can read, and the subject account's quotas. */
export async function readWorlds(client: PeerlinkClient, op: string): Promise<{ stored: World; quotas: Quotas; own: ApiWorld }> {
  // Read again when a create of this process started or finished during the read (provider/preview/plan.ts).
  for (;;) {
    const generation = await worldsSettled();
    const read = await readWorldsOnce(client, op);
    if (generation === planGeneration()) return read;
  }
}

async function readWorldsOnce(client: PeerlinkClient, op: string): Promise<{ stored: World; quotas: Quotas; own: ApiWorld }> {
  const own = await worldOf(client, op);
  const others: ApiWorld[] = [];
  const seen = new Set([own.accountId]);
  for (const e of plannedEntries()) {
    if (seen.has(e.accountId) || !e.connection) continue;
    seen.add(e.accountId);
    try {
      others.push(await worldOf(clientFor(e.connection), op));
    } catch (e) {
      // Another account of the program that cannot be read now: its facts stay unknown (the dry run covers its VPCs).
      if (!(e instanceof PeerlinkApiError || e instanceof ConnectionConfigError)) throw e;
    }
  }
  return {
    // Converted once per set of world reads, and only when a check reads it (many read only `own`).
    get stored() {
      return storedWorld(own, others);
    },
    quotas: own.quotas,
    own,
  };
}

const storedByWorld = new WeakMap<ApiWorld, { others: ApiWorld[]; stored: World }>();

/** The domain's world for these answers: one conversion per world read, shared by every check (the rules never change it). */
function storedWorld(own: ApiWorld, others: ApiWorld[]): World {
  const memo = storedByWorld.get(own);
  if (memo && memo.others.length === others.length && memo.others.every((o, i) => o === others[i])) return memo.stored;
  const stored = worldFromApi([own, ...others]);
  storedByWorld.set(own, { others, stored });
  return stored;
}

const QUOTA_OR_UNIQUE: ErrorCode[] = ["QuotaExceeded", "PeeringAlreadyExists", "RouteConflict", "VlanInUse"];

function orderProblems(v: Verdict): Violation[] {
  return v.violations.filter((x) => QUOTA_OR_UNIQUE.includes(x.code));
}

/**
 * Evaluates a write in Pulumi's order. A replacement that creates first keeps the old value until the end
 * of the update; where only that breaks a quota or uniqueness rule, the replacement runs delete-first
 * (diff() asks the engine for it) and the preview says so.
 */
async function inOrder(subject: Planned, evaluate: (entries: Planned[]) => Verdict): Promise<Verdict> {
  const first = evaluate(plannedEntries());
  if (subject.order !== "replaceCreateFirst" || orderProblems(first).length === 0) return first;
  const deleteFirst: Planned = { ...subject, order: "replaceDeleteFirst" };
  const entries = plannedEntries().map((e) => (e.ownerRef === subject.ownerRef ? deleteFirst : e));
  const second = evaluate(entries);
  if (orderProblems(second).length >= orderProblems(first).length) return first;
  chooseDeleteFirst(subject.ownerRef);
  declare(deleteFirst);
  const why = orderProblems(first)
    .map((v) => `${v.code}: ${v.message}`)
    .join("; ");
  await logToEngine(
    `peerlink: ${subject.label} is replaced delete-first: creating the replacement first would fail (${why}); the old one is deleted before the new one is created, so it is briefly absent`,
  );
  return second;
}

/** One line per resource whose checks wait for values the preview cannot know. */
export async function reportDeferred(label: string, deferred: Deferred[]): Promise<void> {
  if (deferred.length === 0) return;
  const codes = [...new Set(deferred.flatMap((d) => d.codes))].join(", ");
  const reasons = [...new Set(deferred.map((d) => d.reason))].join("; ");
  await logToEngine(`peerlink: ${label}: checks deferred to \`pulumi up\` (${codes}), because ${reasons}; they run there before this resource is written`);
}

export async function previewVpc(client: PeerlinkClient, op: string, subject: Planned & { kind: "Vpc" }): Promise<Verdict> {
  const { stored, quotas } = await readWorlds(client, op);
  if (subject.order !== "create" && subject.order !== "replaceCreateFirst" && subject.order !== "replaceDeleteFirst") {
    return { violations: [], deferred: [] };
  }
  return inOrder(subject, (entries) => checkVpcCreate(project(stored, planDelta(stored, entries)), keyOf(entryOf(entries, subject)), quotas));
}

function entryOf(entries: Planned[], subject: Planned): Planned {
  return entries.find((e) => e.ownerRef === subject.ownerRef) ?? subject;
}

/**
 * Whether a rule of this peering reads the CIDR of a VPC the program's accounts cannot see: another live
 * or planned peering on either of its VPCs reaches one. Then the control plane evaluates it (dry run).
 */
function reachesHiddenVpc(world: World, me: WorldPeering): boolean {
  const visible = new Set(world.vpcs.map((v) => v.key));
  return world.peerings.some(
    (p) =>
      p.key !== me.key &&
      [me.requester.vpcKey, me.accepter.vpcKey].some((k) => p.requester.vpcKey === k || p.accepter.vpcKey === k) &&
      [p.requester, p.accepter].some((e) => !visible.has(e.vpcKey) && !e.vpcKey.startsWith("unknown:") && isUnknown(e.cidr)),
  );
}

/** The dry-run body for a peering whose rules need what this program's accounts cannot read. */
function dryRunBody(subject: PlannedPeering, world: World, delta: PlanDelta): Record<string, unknown> {
  const key = keyOf(subject);
  const me = delta.peerings?.find((p) => p.key === key);
  const localKey = me?.requester.vpcKey ?? "";
  const peerKey = me?.accepter.vpcKey ?? "";
  const localVpc = world.vpcs.find((v) => v.key === localKey);
  const peerVpc = world.vpcs.find((v) => v.key === peerKey);
  const body: Record<string, unknown> = { ownerRef: subject.ownerRef };
  if (localVpc?.vpcId) body.vpcId = localVpc.vpcId;
  else body.localVpc = { key: localKey, region: known(localVpc?.region), cidrBlock: known(localVpc?.cidr), ...(localVpc?.name ? { name: localVpc.name } : {}) };
  if (!peerVpc || peerVpc.vpcId) body.peerVpcId = peerVpc?.vpcId ?? peerKey;
  else body.peerVpc = { key: peerKey, region: known(peerVpc.region), cidrBlock: known(peerVpc.cidr), ...(peerVpc.name ? { name: peerVpc.name } : {}) };
  const peerAccount = known(subject.peerAccountId);
  if (peerAccount) body.peerAccountId = peerAccount;
  const peerRegion = known(subject.peerRegion);
  if (peerRegion) body.peerRegion = peerRegion;
  const bw = known(subject.bandwidthMbps);
  if (typeof bw === "number") body.bandwidthMbps = bw;
  // The rest of the plan that the server's rules read: other peerings on either VPC, and the account's requests.
  const relevant = (delta.peerings ?? []).filter(
    (p) => p.key !== key && [p.requester.vpcKey, p.accepter.vpcKey].some((k) => k === localKey || k === peerKey || p.state === "Planned"),
  );
  const vpcKeys = new Set(relevant.flatMap((p) => [p.requester.vpcKey, p.accepter.vpcKey]));
  body.plan = {
    vpcs: (delta.vpcs ?? []).filter((v) => vpcKeys.has(v.key) && v.key !== localKey),
    peerings: relevant,
    removedKeys: [...(delta.removedKeys ?? []), ...(subject.existingId && subject.order !== "replaceCreateFirst" ? [subject.existingId] : [])],
  };
  return body;
}

export async function previewPeering(client: PeerlinkClient, op: string, subject: PlannedPeering): Promise<Verdict> {
  const { stored, quotas } = await readWorlds(client, op);
  if (subject.order === "same") return { violations: [], deferred: [] };
  const evaluate = (entries: Planned[]): Verdict => {
    const world = project(stored, planDelta(stored, entries));
    const key = keyOf(entryOf(entries, subject));
    if (subject.order === "update") return checkPeeringBandwidth(world, key, quotas);
    return checkPeeringCreate(world, key, quotas);
  };
  const delta = planDelta(stored);
  const world = project(stored, delta);
  const me = world.peerings.find((p) => p.key === keyOf(subject));
  // A border router end: the rules run here over what the program's accounts see (the server repeats them at up).
  if (me && (me.requester.kind || me.accepter.kind)) return inOrder(subject, evaluate);
  const peerKnown = me !== undefined && world.vpcs.some((v) => v.key === me.accepter.vpcKey);
  const localKnown = me !== undefined && world.vpcs.some((v) => v.key === me.requester.vpcKey);
  if (!me || !localKnown || subject.order === "update" || me.accepter.vpcKey.startsWith("unknown:")) return inOrder(subject, evaluate);
  if (peerKnown && !reachesHiddenVpc(world, me)) return inOrder(subject, evaluate);
  if (peerKnown && (known(world.vpcs.find((v) => v.key === me.accepter.vpcKey)?.cidr) === undefined || known(me.requester.cidr) === undefined)) {
    return inOrder(subject, evaluate);
  }
  // Another account's VPC: the control plane evaluates the same rules over its state plus this plan.
  const res = await client.validatePeering(op, dryRunBody(subject, world, delta));
  let violations = ((res.violations ?? []) as Violation[]).map((v) =>
    v.code === "NotFound" && v.field === "peerVpcId" ? unlistedPeer(me.accepter.vpcKey, known(subject.peerAccountId), subject.accountId) : v,
  );
  if (known(subject.bandwidthMbps) === undefined && subject.bandwidthMbps !== null) violations = violations.filter((v) => v.field !== "bandwidthMbps");
  return { violations, deferred: [] };
}

export async function previewRoute(client: PeerlinkClient, op: string, subject: Planned & { kind: "RouteEntry" }): Promise<Verdict> {
  const { stored, quotas } = await readWorlds(client, op);
  if (subject.order === "same") return { violations: [], deferred: [] };
  return inOrder(subject, (entries) =>
    checkRouteCreate(project(stored, planDelta(stored, entries)), keyOf(entryOf(entries, subject)), quotas, {
      activation: "byApply",
      nextHopOnly: subject.order === "update",
    }),
  );
}

/** A subnet's rules over the projected world: all of them for a new one, the association for an update. */
export async function previewSubnet(client: PeerlinkClient, op: string, subject: Planned & { kind: "Subnet" }): Promise<Verdict> {
  const { stored, quotas } = await readWorlds(client, op);
  if (subject.order === "same") return { violations: [], deferred: [] };
  return inOrder(subject, (entries) => {
    const world = project(stored, planDelta(stored, entries));
    const key = keyOf(entryOf(entries, subject));
    return subject.order === "update" ? checkSubnetAssociation(world, key, quotas) : checkSubnetCreate(world, key, quotas);
  });
}

export async function previewRouteTable(client: PeerlinkClient, op: string, subject: Planned & { kind: "RouteTable" }): Promise<Verdict> {
  const { stored, quotas } = await readWorlds(client, op);
  if (subject.order === "same" || subject.order === "update") return { violations: [], deferred: [] };
  return inOrder(subject, (entries) => checkRouteTableCreate(project(stored, planDelta(stored, entries)), keyOf(entryOf(entries, subject)), quotas));
}

/** A new border router's rules over the projected world: its fields, and a VLAN id no other stored or planned router of the account uses in the region. */
export async function previewBorderRouter(client: PeerlinkClient, op: string, subject: Planned & { kind: "BorderRouter" }): Promise<Verdict> {
  const { stored } = await readWorlds(client, op);
  if (subject.order === "same" || subject.order === "update") return { violations: [], deferred: [] };
  return inOrder(subject, (entries) => checkBorderRouterCreate(project(stored, planDelta(stored, entries)), keyOf(entryOf(entries, subject))));
}

/**
 * Another account's VPC that the dry run cannot find: either it does not exist or its owner has not
 * listed this account, and the server deliberately does not say which.
 */
function unlistedPeer(peerVpcId: string, peerAccount: string | undefined, caller: string): Violation {
  const owner = peerAccount ? `account ${peerAccount}` : "its owner";
  return {
    code: "NotFound",
    field: "peerVpcId",
    message: `peer VPC ${peerVpcId} is not visible to account ${caller}: either it does not exist, or the acceptor (${owner}) must list account ${caller} in the VPC's "allowedPeerAccountIds" before this account can request a peering to it`,
    details: { peerVpcId, accountId: caller },
  };
}
