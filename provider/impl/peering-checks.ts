// What PeeringConnection's check knows before anything exists: the program's plan, the control plane's
// facts (the caller's VPCs, peerings, quotas) and, for what the caller cannot read, the server's dry run.
// The rules themselves are the domain's (controlplane/domain); this file only gathers their facts.
import {
  CrossRegionPeer,
  DEFAULT_QUOTAS,
  isCrossRegion,
  LIVE_STATES,
  PeeringFacts,
  peeringViolations,
  Quotas,
  Violation,
  VpcFacts,
} from "../../controlplane/domain";
import { ApiPeering, ApiQuota, PeerlinkClient } from "../client";
import type { PeeringConnectionInputs, PeeringConnectionOutputs, PeeringPlan, PlannedPeering, PlannedVpc } from "../types";
import { hasUnknown, knownString, subject } from "../validation";

const KIND = "PeeringConnection";

/** Quotas from GET /v1/quotas rows (one row per scope; the limit is the same in each). */
export function quotasFromRows(rows: ApiQuota[]): Quotas {
  const q: Quotas = { ...DEFAULT_QUOTAS };
  for (const r of rows) if (r.name in q) q[r.name as keyof Quotas] = r.limit;
  return q;
}

/** Quotas that never trip: used when the real ones cannot be read (preview without a connection). */
export const NO_QUOTAS: Quotas = {
  peeringsPerVpc: Number.MAX_SAFE_INTEGER,
  vpcsPerRegion: Number.MAX_SAFE_INTEGER,
  pendingRequestsPerAccount: Number.MAX_SAFE_INTEGER,
  routesPerTable: Number.MAX_SAFE_INTEGER,
  crossRegionBandwidthMbps: Number.MAX_SAFE_INTEGER,
};

function plannedVpcFacts(v: PlannedVpc | undefined, id: unknown): VpcFacts {
  return {
    vpcId: knownString(id) ?? knownString(v?.id),
    name: knownString(v?.name),
    cidr: knownString(v?.cidr),
    region: knownString(v?.region),
  };
}

/** Whether a planned peering, seen from one VPC, is cross-region (undefined: unknown). */
export function plannedCrossRegion(pp: PlannedPeering): boolean | undefined {
  const selfRegion = knownString(pp.self.region);
  const otherRegion = knownString(pp.other.region) ?? knownString(pp.peerRegion);
  if (selfRegion === undefined || otherRegion === undefined) return undefined;
  return selfRegion !== otherRegion;
}

/** Live peerings already on a VPC, seen from that VPC. */
export interface ExistingPeering {
  peeringId: string;
  ownerRef?: string | null;
  crossRegion: boolean;
  otherVpcId: string;
  otherCidr?: string;
}

export function existingFromApi(list: ApiPeering[], vpcId: string): ExistingPeering[] {
  return list
    .filter((p) => (LIVE_STATES as readonly string[]).includes(p.state))
    .filter((p) => p.requester.vpcId === vpcId || p.accepter.vpcId === vpcId)
    .map((p) => {
      const other = p.requester.vpcId === vpcId ? p.accepter : p.requester;
      return { peeringId: p.peeringId, ownerRef: p.ownerRef, crossRegion: p.crossRegion, otherVpcId: other.vpcId, otherCidr: other.cidrBlock ?? undefined };
    });
}

/**
 * Peering count and cross-region peers of one VPC, "not counting this one": live peerings that exist
 * and are not declared by this program, plus the ones this program declares (existing or not), so
 * nothing counts twice across runs.
 */
export function countFor(
  ownerRef: string,
  existing: ExistingPeering[] | undefined,
  planned: PlannedPeering[],
  selfIds: Set<string> = new Set(),
): { count: number; crossRegionPeers: CrossRegionPeer[] } {
  const plannedRefs = new Set([ownerRef, ...planned.map((p) => p.ownerRef)]);
  const outside = (existing ?? []).filter((e) => !selfIds.has(e.peeringId) && (!e.ownerRef || !plannedRefs.has(e.ownerRef)));
  const others = planned.filter((p) => p.ownerRef !== ownerRef);
  const crossRegionPeers: CrossRegionPeer[] = [];
  for (const e of outside) if (e.crossRegion && e.otherCidr) crossRegionPeers.push({ peeringId: e.peeringId, cidr: e.otherCidr });
  for (const p of others) {
    const cidr = knownString(p.other.cidr);
    if (cidr && plannedCrossRegion(p) === true) crossRegionPeers.push({ name: p.name, peeringId: `PeeringConnection "${p.name}"`, cidr });
  }
  return { count: outside.length + others.length, crossRegionPeers };
}

/** Merges server dry-run violations into local ones: same code on the same field is reported once (local wins). */
export function mergeViolations(local: Violation[], server: Violation[]): Violation[] {
  const key = (v: Violation) => `${v.code}|${v.field ?? ""}`;
  const seen = new Set(local.map(key));
  return [...local, ...server.filter((v) => !seen.has(key(v)))];
}

// ---------------------------------------------------------------------------------------------
// Facts from the control plane

/**
 * Gathers the facts and runs the domain rules (and the dry run). Also records in `known` the outputs a
 * preview can know (the account; the peering id of an existing, unreplaced peering), since the engine
 * shows a dynamic resource's checked inputs as its outputs while previewing its update.
 */
export async function gatherAndCheck(
  olds: Partial<PeeringConnectionInputs>,
  news: PeeringConnectionInputs,
  client: PeerlinkClient,
  known: Partial<PeeringConnectionOutputs> = {},
): Promise<Violation[]> {
  const plan: Partial<PeeringPlan> = news.__plan && !hasUnknown(news.__plan?.ownerRef) ? news.__plan : {};
  const op = `checking ${subject(KIND, news.ownerRef)}`;
  const local = plannedVpcFacts(plan.local, news.vpcId);
  const peer = plannedVpcFacts(plan.peer, news.peerVpcId);
  if (!peer.region) peer.region = knownString(news.peerRegion);
  const localPlanned = Array.isArray(plan.localPeerings) ? plan.localPeerings : [];
  const peerPlanned = Array.isArray(plan.peerPeerings) ? plan.peerPeerings : [];

  const account = await client.getAccount(op);
  local.accountId = account.accountId;
  known.accountId = account.accountId;
  const quotas = quotasFromRows(await client.getQuotas(op));

  let localExisting: ExistingPeering[] | undefined;
  let peerExisting: ExistingPeering[] | undefined;
  const violations: Violation[] = [];

  if (local.vpcId) {
    const v = await client.findVpc(op, local.vpcId);
    if (!v) {
      violations.push({
        code: "NotFound",
        field: "vpcId",
        message: `VPC ${local.vpcId} does not exist in account ${account.accountId}; check "vpcId" and that the connection is the VPC owner's`,
      });
    } else {
      local.cidr = v.cidrBlock;
      local.region = v.region;
      local.name = local.name ?? (v.name || undefined);
      localExisting = existingFromApi(await client.listPeerings(op, { vpcId: v.vpcId }), v.vpcId);
    }
  }
  const peerAccount = knownString(news.peerAccountId);
  if (peer.vpcId) {
    const v = peerAccount && peerAccount !== account.accountId ? undefined : await client.findVpc(op, peer.vpcId);
    if (v) {
      peer.cidr = v.cidrBlock;
      peer.region = v.region;
      peer.accountId = v.accountId;
      peer.name = peer.name ?? (v.name || undefined);
      peerExisting = existingFromApi(await client.listPeerings(op, { vpcId: v.vpcId }), v.vpcId);
    } else if (!peerAccount || peerAccount === account.accountId) {
      violations.push({
        code: "NotFound",
        field: "peerVpcId",
        message: `peer VPC ${peer.vpcId} does not exist in account ${account.accountId}; for another account's VPC set "peerAccountId"`,
      });
    }
  }
  if (peer.accountId === undefined) peer.accountId = hasUnknown(news.peerAccountId) ? undefined : (peerAccount ?? account.accountId);
  if (violations.length > 0) return violations;

  const ownerRef = news.ownerRef;
  // This resource's own live peering: made by it (ownerRef), or, when the resource already exists with
  // this pair (e.g. imported, so without our ownerRef), the live peering joining the pair.
  const exists = olds.vpcId !== undefined && olds.vpcId === news.vpcId && olds.peerVpcId === news.peerVpcId;
  const adopting = knownString(news.importId);
  const ours = new Set(
    (localExisting ?? [])
      .filter((e) => e.ownerRef === ownerRef || e.peeringId === adopting || (exists && e.otherVpcId === peer.vpcId))
      .map((e) => e.peeringId),
  );
  const mine = (localExisting ?? []).find((e) => ours.has(e.peeringId) && e.otherVpcId === peer.vpcId);
  if (mine) known.peeringId = mine.peeringId;
  const l = countFor(ownerRef, localExisting, localPlanned, ours);
  const p = countFor(ownerRef, peerExisting, peerPlanned, ours);
  // A live peering of someone else already joining the pair.
  const existingPair = (localExisting ?? []).find((e) => !ours.has(e.peeringId) && e.otherVpcId === peer.vpcId);
  const facts: PeeringFacts = {
    local,
    peer,
    bandwidthMbps: typeof news.bandwidthMbps === "number" ? news.bandwidthMbps : null,
    quotas,
    localPeeringCount: l.count,
    peerPeeringCount: p.count,
    localCrossRegionPeers: l.crossRegionPeers,
    peerCrossRegionPeers: p.crossRegionPeers,
    existingPeeringId: existingPair?.peeringId,
  };
  if (hasUnknown(news.bandwidthMbps)) {
    // Unknown bandwidth: skip the bandwidth rules by pretending it is whatever the region pair wants.
    facts.bandwidthMbps = isCrossRegion(local, peer) === true ? 1 : null;
  }
  let out = peeringViolations(facts);

  // The dry run knows what the caller cannot read: another account's VPC, its peerings and quota. A
  // local VPC the program has not created yet is described by its planned facts.
  const localDescribed = local.vpcId !== undefined || (local.cidr !== undefined && local.region !== undefined);
  if (localDescribed && peer.vpcId && !peerExisting) {
    const body: Record<string, unknown> = {
      ...(local.vpcId
        ? { vpcId: local.vpcId }
        : { localVpc: { region: local.region, cidrBlock: local.cidr, ...(local.name ? { name: local.name } : {}) } }),
      peerVpcId: peer.vpcId,
      ownerRef,
      plannedOwnerRefs: {
        local: [...new Set([ownerRef, ...localPlanned.map((x) => x.ownerRef)])],
        peer: [...new Set([ownerRef, ...peerPlanned.map((x) => x.ownerRef)])],
      },
    };
    if (peerAccount) body.peerAccountId = peerAccount;
    const pr = knownString(news.peerRegion);
    if (pr) body.peerRegion = pr;
    if (typeof news.bandwidthMbps === "number") body.bandwidthMbps = news.bandwidthMbps;
    const res = await client.validatePeering(op, body);
    const server = (res.violations ?? [])
      .filter(
        // Our own live peering (an earlier run) is not a conflict.
        (v) => !(v.code === "PeeringAlreadyExists" && ours.has(String((v.details as Record<string, unknown> | undefined)?.peeringId))),
      )
      .map((v) => (v.code === "NotFound" && v.field === "peerVpcId" ? unlistedPeer(peer.vpcId!, peerAccount, account.accountId) : v)) as Violation[];
    out = mergeViolations(out, server);
  }
  return out;
}

/**
 * Another account's VPC that the dry run cannot find: either it does not exist or its owner has not
 * listed this account, and the server deliberately does not say which (issue 10).
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
