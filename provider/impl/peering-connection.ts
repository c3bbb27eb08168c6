// PeeringConnection provider: runs in the dynamic-provider process, loaded by name
// ("peerlink/dist/provider/impl/peering-connection.js"). The initiator's side of a peering.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
  CrossRegionPeer,
  DEFAULT_QUOTAS,
  isCrossRegion,
  LIVE_STATES,
  PeeringFacts,
  peeringViolations,
  PeeringState,
  Quotas,
  Violation,
  VpcFacts,
} from "../../controlplane/domain";
import { ApiPeering, ApiQuota, isApiError, PeerlinkApiError, PeerlinkClient } from "../client";
import type { PeeringConnectionInputs, PeeringConnectionOutputs, PeeringPlan, PlannedPeering, PlannedVpc } from "../types";
import {
  applyFieldRules,
  DiffOutcome,
  Failure,
  hasUnknown,
  knownString,
  sameTags,
  subject,
  validateBandwidthInput,
  validateConnection,
  validateId,
  validateName,
  validateRegion,
  validateTags,
  violationsToFailures,
  withAccountRule,
} from "../validation";
import {
  clientFor,
  controlPlaneChecksEnabled,
  configureProvider,
  connectionFailure,
  createIdempotent,
  newAccountIfConnectionChanged,
  pendingHint,
  waitTimeoutMs,
  withoutHidden,
} from "./common";

const KIND = "PeeringConnection";

// ---------------------------------------------------------------------------------------------
// Pure parts (exported for tests)

/** Input failures that need no facts. */
export function peeringInputFailures(news: Partial<PeeringConnectionInputs>): Failure[] {
  const s = subject(KIND, news.ownerRef);
  return [
    ...validateId(news.vpcId, "vpc", "vpcId", s),
    ...validateId(news.peerVpcId, "vpc", "peerVpcId", s),
    ...validateId(news.peerAccountId, "acc", "peerAccountId", s, false),
    ...(news.peerRegion === undefined ? [] : validateRegion(news.peerRegion, "peerRegion", s)),
    ...validateBandwidthInput(news.bandwidthMbps, "bandwidthMbps", s),
    ...validateName(news.name, "name", s),
    ...validateTags(news.tags, "tags", s),
    ...validateId(news.importId, "pcx", "importId", s, false),
    ...validateConnection(news.connection, "connection", s),
  ];
}

/**
 * Either VPC, the peer account and the peer region replace (same pair: delete first, since a pair
 * holds one live peering); bandwidthMbps, name and tags update; an Expired peering updates (re-enable).
 */
export function diffPeering(olds: PeeringConnectionOutputs, news: PeeringConnectionInputs, newAccountId?: string): DiffOutcome {
  const d = applyFieldRules<PeeringConnectionOutputs, PeeringConnectionInputs>(olds, news, [
    { property: "vpcId", kind: "replace", same: (o, n) => o.vpcId === n.vpcId },
    { property: "peerVpcId", kind: "replace", same: (o, n) => o.peerVpcId === n.peerVpcId },
    {
      property: "peerAccountId",
      kind: "replace",
      same: (o, n) => (n.peerAccountId ?? o.accountId) === (o.peerAccountId ?? o.accountId),
    },
    { property: "peerRegion", kind: "replace", same: (o, n) => n.peerRegion === undefined || n.peerRegion === o.peerRegion },
    { property: "bandwidthMbps", kind: "update", same: (o, n) => (n.bandwidthMbps ?? null) === (o.bandwidthMbps ?? null) },
    { property: "name", kind: "update", same: (o, n) => n.name === undefined || n.name === o.name },
    { property: "tags", kind: "update", same: (o, n) => n.tags === undefined || sameTags(o.tags, n.tags) },
  ]);
  if (olds.state === "Expired") {
    d.updates.push("state");
    d.changes = true;
  }
  const out = withAccountRule(d, olds.accountId, newAccountId);
  const samePair = !out.replaces.includes("vpcId") && !out.replaces.includes("peerVpcId");
  if (out.replaces.length > 0 && samePair) out.deleteBeforeReplace = true;
  return out;
}

export function peeringOutputs(p: ApiPeering, inputs: Partial<PeeringConnectionInputs>): PeeringConnectionOutputs {
  // The resource is the initiator: "local" is the requester.
  const outs: PeeringConnectionOutputs = {
    peeringId: p.peeringId,
    accountId: p.requester.accountId,
    vpcId: p.requester.vpcId,
    peerVpcId: p.accepter.vpcId,
    peerAccountId: p.accepter.accountId,
    peerRegion: p.accepter.region,
    region: p.requester.region,
    bandwidthMbps: p.bandwidthMbps ?? null,
    name: p.name ?? "",
    tags: p.tags ?? {},
    state: p.state,
    status: p.status,
    initiatorStatus: p.initiatorStatus,
    acceptorStatus: p.acceptorStatus,
    crossRegion: p.crossRegion,
    expiresAt: p.expiresAt ?? null,
    costEstimate: p.costEstimate ?? null,
    ownerRef: inputs.ownerRef ?? p.ownerRef ?? "",
  };
  if (inputs.connection) outs.connection = inputs.connection;
  return outs;
}

/** Inputs as a user would write them for this peering (read for import). */
export function peeringInputsFromApi(p: ApiPeering): Partial<PeeringConnectionInputs> {
  const inputs: Partial<PeeringConnectionInputs> = { vpcId: p.requester.vpcId, peerVpcId: p.accepter.vpcId };
  if (p.accepter.accountId !== p.requester.accountId) inputs.peerAccountId = p.accepter.accountId;
  if (p.accepter.region !== p.requester.region) inputs.peerRegion = p.accepter.region;
  if (p.bandwidthMbps !== null && p.bandwidthMbps !== undefined) inputs.bandwidthMbps = p.bandwidthMbps;
  if (p.name) inputs.name = p.name;
  if (p.tags && Object.keys(p.tags).length > 0) inputs.tags = p.tags;
  return inputs;
}

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
      return { peeringId: p.peeringId, ownerRef: p.ownerRef, crossRegion: p.crossRegion, otherVpcId: other.vpcId, otherCidr: other.cidrBlock };
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
async function gatherAndCheck(
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
    const server = (res.violations ?? []).filter(
      // Our own live peering (an earlier run) is not a conflict.
      (v) => !(v.code === "PeeringAlreadyExists" && ours.has(String((v.details as Record<string, unknown> | undefined)?.peeringId))),
    ) as Violation[];
    out = mergeViolations(out, server);
  }
  return out;
}

function label(inputs: Partial<PeeringConnectionInputs>): string {
  return `${knownString(inputs.vpcId) ?? "?"} -> ${knownString(inputs.peerVpcId) ?? "?"}`;
}

const FAIL_STATES = ["Rejected", "Deleted", "Expired", "Suspending", "Suspended"];

async function settle(client: PeerlinkClient, op: string, p: ApiPeering): Promise<ApiPeering> {
  const sameAccount = p.requester.accountId === p.accepter.accountId;
  if (!sameAccount || p.state === "Activated") return p;
  if (p.state === "Pending") {
    // Same account, pending again after a re-enable: the caller is also the accepter.
    p = await client.peeringAction(`${op}: accepting its own re-enabled request`, p.peeringId, "accept");
  }
  return (await client.waitForPeering(op, p.peeringId, ["Activated"], {
    timeoutMs: waitTimeoutMs(),
    failOn: FAIL_STATES,
    describe: pendingHint,
  }))!;
}

/** Takes over an existing peering that joins the declared VPCs, converging what update would change. */
async function adopt(client: PeerlinkClient, op: string, inputs: PeeringConnectionInputs): Promise<dynamic.CreateResult<PeeringConnectionOutputs>> {
  const id = inputs.importId!;
  let p = await client.getPeering(op, id);
  const mismatch = (what: string, declared: unknown, actual: unknown) =>
    new PeerlinkApiError(op, "ValidationError", `peering ${id} has ${what} ${actual}, but the program declares ${declared}`, {
      hint: `declare the peering as it is, or drop "importId" to request a new one`,
    });
  if (p.role !== "initiator") {
    throw new PeerlinkApiError(op, "Forbidden", `account ${p.requester.accountId} requested ${id}; only the requester can adopt it`, {
      hint: "adopt the accepter's side with PeeringAcceptance, or use the requester account's connection",
    });
  }
  if (!(LIVE_STATES as readonly string[]).includes(p.state) && p.state !== "Expired") {
    throw new PeerlinkApiError(op, "InvalidState", `peering ${id} is ${p.state} and cannot be adopted`, {
      hint: `drop "importId" to request a new peering`,
    });
  }
  if (p.requester.vpcId !== inputs.vpcId) throw mismatch("requester VPC", inputs.vpcId, p.requester.vpcId);
  if (p.accepter.vpcId !== inputs.peerVpcId) throw mismatch("accepter VPC", inputs.peerVpcId, p.accepter.vpcId);
  if (inputs.peerAccountId !== undefined && p.accepter.accountId !== inputs.peerAccountId) {
    throw mismatch("accepter account", inputs.peerAccountId, p.accepter.accountId);
  }
  const patch: Record<string, unknown> = {};
  if (inputs.bandwidthMbps !== undefined && inputs.bandwidthMbps !== p.bandwidthMbps) patch.bandwidthMbps = inputs.bandwidthMbps;
  if (inputs.name !== undefined && inputs.name !== p.name) patch.name = inputs.name;
  if (inputs.tags !== undefined && !sameTags(p.tags, inputs.tags)) patch.tags = inputs.tags;
  if (Object.keys(patch).length > 0) p = await client.patchPeering(op, id, patch);
  if (p.state === "Expired") p = await client.peeringAction(`${op}: re-enabling the expired request`, id, "enable");
  p = await settle(client, op, p);
  return { id: p.peeringId, outs: peeringOutputs(p, inputs) };
}

export const provider: dynamic.ResourceProvider<PeeringConnectionInputs, PeeringConnectionOutputs> = {
  configure: configureProvider,

  async check(olds, news) {
    const inputs = withoutHidden(news);
    const failures = peeringInputFailures(news);
    if (failures.length > 0) return { inputs, failures };
    if (hasUnknown(news.connection) || !controlPlaneChecksEnabled()) return { inputs };
    try {
      const client = clientFor(news.connection);
      const violations = await gatherAndCheck(olds ?? {}, news, client, inputs);
      return { inputs, failures: violationsToFailures(violations, "peerVpcId", subject(KIND, news.ownerRef)) };
    } catch (e) {
      return { inputs, failures: [connectionFailure(e)] };
    }
  },

  async diff(_id, olds, news) {
    const d = diffPeering(olds, news, await newAccountIfConnectionChanged(olds.connection, news.connection));
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
  },

  async create(inputs) {
    const op = `creating PeeringConnection (${label(inputs)})`;
    const client = clientFor(inputs.connection);
    if (inputs.importId) return adopt(client, `${op}: adopting ${inputs.importId}`, inputs);
    const body: Record<string, unknown> = { vpcId: inputs.vpcId, peerVpcId: inputs.peerVpcId, ownerRef: inputs.ownerRef };
    for (const k of ["peerAccountId", "peerRegion", "bandwidthMbps", "name", "tags"] as const) {
      if (inputs[k] !== undefined) body[k] = inputs[k];
    }
    const { made } = await createIdempotent(
      inputs.ownerRef,
      body,
      (token) => client.createPeering(op, body, token),
      async (p) => {
        const found = await client.findPeering(op, p.peeringId);
        return found !== undefined && (LIVE_STATES as readonly string[]).includes(found.state);
      },
    );
    let p: ApiPeering;
    try {
      p = await settle(client, op, made);
    } catch (e) {
      // Leave nothing behind: the engine will not record a failed create.
      try {
        await client.deletePeering(`${op}: cleaning up after a failed create`, made.peeringId);
      } catch {
        /* the original error matters more */
      }
      throw e;
    }
    return { id: p.peeringId, outs: peeringOutputs(p, inputs) };
  },

  async read(id, props) {
    const client = clientFor(props?.connection);
    const op = `reading PeeringConnection (${id})`;
    const p = await client.findPeering(op, id);
    if (!p) return { id: "", props: {} as PeeringConnectionOutputs };
    if (p.role !== "initiator") {
      throw new PeerlinkApiError(op, "Forbidden", `account ${p.accepter.accountId} is the accepter of ${id}, not its initiator (${p.requester.accountId})`, {
        hint: "manage the accepter's side with PeeringAcceptance, or use the initiator account's connection",
      });
    }
    const outs = peeringOutputs(p, (props ?? {}) as Partial<PeeringConnectionInputs>);
    return props && props.ownerRef !== undefined ? { id, props: outs } : { id, props: outs, inputs: peeringInputsFromApi(p) as PeeringConnectionOutputs };
  },

  async update(id, olds, news) {
    const op = `updating PeeringConnection (${label(news)} ${id})`;
    const client = clientFor(news.connection);
    let p = await client.getPeering(op, id);
    if (p.state === "Expired") {
      p = await client.peeringAction(`${op}: re-enabling the expired request`, id, "enable");
    }
    const patch: Record<string, unknown> = {};
    if ((news.bandwidthMbps ?? null) !== (p.bandwidthMbps ?? null)) patch.bandwidthMbps = news.bandwidthMbps ?? null;
    if (news.name !== undefined && news.name !== p.name) patch.name = news.name;
    if (news.tags !== undefined && !sameTags(p.tags, news.tags)) patch.tags = news.tags;
    if (Object.keys(patch).length > 0) p = await client.patchPeering(op, id, patch);
    p = await settle(client, op, p);
    void olds;
    return { outs: peeringOutputs(p, news) };
  },

  async delete(id, props) {
    const client = clientFor(props.connection);
    const op = `deleting PeeringConnection (${props.vpcId ?? "?"} -> ${props.peerVpcId ?? "?"} ${id})`;
    await client.deletePeering(op, id);
    try {
      await client.waitForPeering(op, id, ["Gone", "Deleted"], { timeoutMs: waitTimeoutMs() });
    } catch (e) {
      if (!isApiError(e, "NotFound")) throw e;
    }
  },
};

export type { PeeringState };
