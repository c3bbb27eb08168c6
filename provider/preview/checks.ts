// The preview's evaluation of the rule book for one resource's check: read the accounts' worlds, put the
// program in, and evaluate the same rule functions the server evaluates at write time.

import { PeerlinkApiError, type PeerlinkClient } from "../../contract";
import type { World as ApiWorld } from "../../contract/types";
import {
  borderRouterByKey,
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
  vpcByKey,
  World,
  WorldBorderRouter,
  WorldEnd,
  WorldPeering,
  WorldVpc,
} from "../../domain";
import { ConnectionConfigError } from "../config";
import { worldOf } from "../facts";
import { clientFor } from "../impl/client";
import { logToEngine } from "./engine-log";
import { chooseDeleteFirst, declare, keyOf, Planned, PlannedPeering, planGeneration, plannedAccounts, plannedEntries, worldsSettled } from "./plan";
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
  for (const [accountId, connection] of plannedAccounts()) {
    if (accountId === own.accountId) continue;
    try {
      others.push(await worldOf(clientFor(connection), op));
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

/** The end's VPC or border router, when the program's accounts can read it or the program plans it. */
function endNode(world: World, e: WorldEnd): WorldVpc | WorldBorderRouter | undefined {
  return e.kind === "borderRouter" ? borderRouterByKey(world, e.vpcKey) : vpcByKey(world, e.vpcKey);
}

/** Whether what the peering's rules read of a visible end is known: a VPC's CIDR, a border router's blocks. */
function endFactsKnown(world: World, e: WorldEnd): boolean {
  if (e.kind !== "borderRouter") return known(e.cidr) !== undefined && known(e.region) !== undefined;
  const b = borderRouterByKey(world, e.vpcKey);
  return b !== undefined && known(b.onPremCidrs) !== undefined && known(b.interconnectCidr) !== undefined && known(b.region) !== undefined;
}

/**
 * Whether a rule of this peering reads the CIDR of a VPC the program's accounts cannot see: another live
 * or planned peering on either of its ends reaches one. Then the control plane evaluates it (dry run).
 * A hidden border router at the far end of another peering is not read (no rule compares its blocks).
 */
function reachesHiddenVpc(world: World, me: WorldPeering): boolean {
  const visible = new Set([...world.vpcs.map((v) => v.key), ...(world.borderRouters ?? []).map((b) => b.key)]);
  return world.peerings.some(
    (p) =>
      p.key !== me.key &&
      [me.requester.vpcKey, me.accepter.vpcKey].some((k) => p.requester.vpcKey === k || p.accepter.vpcKey === k) &&
      [p.requester, p.accepter].some((e) => e.kind !== "borderRouter" && !visible.has(e.vpcKey) && !e.vpcKey.startsWith("unknown:") && isUnknown(e.cidr)),
  );
}

/** The dry run's fields for the local end: its id, or the facts of the VPC or border router the program plans. */
function localEndFields(world: World, end: WorldEnd): Record<string, unknown> {
  const key = end.vpcKey;
  if (end.kind === "borderRouter") {
    const b = borderRouterByKey(world, key);
    if (b?.borderRouterId) return { borderRouterId: b.borderRouterId };
    const name = b?.name ? { name: b.name } : {};
    return {
      localBorderRouter: {
        key,
        region: known(b?.region),
        interconnectCidrBlock: known(b?.interconnectCidr),
        onPremisesCidrBlocks: known(b?.onPremCidrs),
        ...name,
      },
    };
  }
  const v = vpcByKey(world, key);
  if (v?.vpcId) return { vpcId: v.vpcId };
  return { localVpc: { key, region: known(v?.region), cidrBlock: known(v?.cidr), ...(v?.name ? { name: v.name } : {}) } };
}

/** The dry run's fields for the peer end: the id of a stored one (readable or not), or a planned VPC's facts. */
function peerEndFields(world: World, end: WorldEnd): Record<string, unknown> {
  const key = end.vpcKey;
  if (end.kind === "borderRouter") return { peerBorderRouterId: borderRouterByKey(world, key)?.borderRouterId ?? key };
  const v = vpcByKey(world, key);
  if (!v || v.vpcId) return { peerVpcId: v?.vpcId ?? key };
  return { peerVpc: { key, region: known(v.region), cidrBlock: known(v.cidr), ...(v.name ? { name: v.name } : {}) } };
}

/** A planned VPC as the dry run's plan takes it (contract/schemas/requests.ts planVpc): what the rules read. */
function planVpc(v: WorldVpc): WorldVpc {
  const { key, vpcId, accountId, region, cidr, name, ownerRef, label, allowedPeerAccountIds } = v;
  return { key, vpcId, accountId, region, cidr, name, ownerRef, label, allowedPeerAccountIds };
}

/** The dry-run body for a peering whose rules need what this program's accounts cannot read. */
function dryRunBody(subject: PlannedPeering, world: World, me: WorldPeering, delta: PlanDelta): Record<string, unknown> {
  const key = keyOf(subject);
  const localKey = me.requester.vpcKey;
  const peerKey = me.accepter.vpcKey;
  const body: Record<string, unknown> = { ownerRef: subject.ownerRef, ...localEndFields(world, me.requester), ...peerEndFields(world, me.accepter) };
  const peerAccount = known(subject.peerAccountId);
  if (peerAccount) body.peerAccountId = peerAccount;
  const peerRegion = known(subject.peerRegion);
  if (peerRegion) body.peerRegion = peerRegion;
  const bw = known(subject.bandwidthMbps);
  if (typeof bw === "number") body.bandwidthMbps = bw;
  // The rest of the plan that the server's rules read: other peerings on either end, and the account's requests.
  const relevant = (delta.peerings ?? []).filter(
    (p) => p.key !== key && [p.requester.vpcKey, p.accepter.vpcKey].some((k) => k === localKey || k === peerKey || p.state === "Planned"),
  );
  const vpcKeys = new Set(relevant.flatMap((p) => [p.requester.vpcKey, p.accepter.vpcKey]));
  body.plan = {
    vpcs: (delta.vpcs ?? []).filter((v) => vpcKeys.has(v.key) && v.key !== localKey).map(planVpc),
    peerings: relevant,
    removedKeys: [...(delta.removedKeys ?? []), ...(subject.existingId && subject.order !== "replaceCreateFirst" ? [subject.existingId] : [])],
  };
  return body;
}

/**
 * Whether the peering's rules need the control plane's dry run: an end (VPC or border router) the
 * program's accounts cannot read, or a rule reaching a VPC they cannot see. At most one per check; none
 * when everything is readable here, or when what the program would send is not known yet (deferred).
 */
function needsDryRun(world: World, me: WorldPeering, order: Planned["order"]): boolean {
  if (order === "update" || me.accepter.vpcKey.startsWith("unknown:") || me.requester.vpcKey.startsWith("unknown:")) return false;
  const local = endNode(world, me.requester);
  if (!local || !endFactsKnown(world, me.requester)) return false;
  const peer = endNode(world, me.accepter);
  // A border router the program plans has no peerings yet: its rules run here.
  if (peer && me.accepter.kind === "borderRouter" && !(peer as WorldBorderRouter).borderRouterId) return false;
  if (peer) return endFactsKnown(world, me.accepter) && reachesHiddenVpc(world, me);
  return true;
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
  if (!me || !needsDryRun(world, me, subject.order)) return inOrder(subject, evaluate);
  // Another account's VPC or border router: the control plane evaluates the same rules over its state plus this plan.
  const res = await client.validatePeering(op, dryRunBody(subject, world, me, delta));
  let violations = ((res.violations ?? []) as Violation[]).map((v) =>
    v.code === "NotFound" && (v.field === "peerVpcId" || v.field === "peerBorderRouterId")
      ? unlistedPeer(me.accepter, known(subject.peerAccountId), subject.accountId)
      : v,
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
 * Another account's VPC or border router that the dry run cannot find: either it does not exist or its
 * owner has not listed this account, and the server deliberately does not say which.
 */
function unlistedPeer(end: WorldEnd, peerAccount: string | undefined, caller: string): Violation {
  const owner = peerAccount ? `account ${peerAccount}` : "its owner";
  const vbr = end.kind === "borderRouter";
  const what = vbr ? "border router" : "VPC";
  const field = vbr ? "peerBorderRouterId" : "peerVpcId";
  return {
    code: "NotFound",
    field,
    message: `peer ${what} ${end.vpcKey} is not visible to account ${caller}: either it does not exist, or the acceptor (${owner}) must list account ${caller} in the ${what}'s "allowedPeerAccountIds" before this account can request a peering to it`,
    details: { [field]: end.vpcKey, accountId: caller },
  };
}
