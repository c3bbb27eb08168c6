// PeeringConnection provider: runs in the dynamic-provider process, loaded by name
// ("peerlink/dist/provider/impl/peering-connection.js"). The initiator's side of a peering.

import {
  deleted,
  ForbiddenApiError,
  findPeering,
  InvalidStateApiError,
  isGone,
  MAX_POLL_MS,
  orGone,
  PEERING_WAITERS,
  type PeerlinkClient,
  stopStates,
  waitForPeering,
} from "../../contract";
import type { Peering as ApiPeering, CostEstimate, CreatePeeringBody, RelatedRoutes, UpdatePeeringBody } from "../../contract/types";
import { isFinal, LIVE_STATES } from "../../domain";
import type { Order } from "../preview/plan";
import type { CostEstimateOutput, PeeringConnectionInputs, PeeringConnectionOutputs } from "../types";
import {
  applyFieldRules,
  type DiffOutcome,
  type Failure,
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
  withAccountRule,
} from "../validation";
import { previewAdoption, withKnownRefs } from "./adopt";
import { createOnce, definedFields, peeringActionOnce, pendingHint, waitTimeoutMs } from "./common";
import { defineProvider } from "./kit";
import { alarmInputFailures, alarmsPatch, sameAlarms } from "./peering-alarms";
import { gatherAndCheck } from "./peering-checks";

/** Build-time check: the output's written-out cost estimate is exactly the contract's (provider/types.ts). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const COST_ESTIMATE_IS_THE_CONTRACTS: Same<CostEstimateOutput, CostEstimate> = true;

const KIND = "PeeringConnection";

// ---------------------------------------------------------------------------------------------
// Pure parts (exported for tests)

/** One end: exactly one of a VPC id and a border router id (issue 11). */
function endFailures(vpcId: unknown, vbrId: unknown, vpcField: string, vbrField: string, s: string): Failure[] {
  if ((vpcId === undefined) === (vbrId === undefined)) {
    const reason = vpcId === undefined ? `set "${vpcField}" (a VPC) or "${vbrField}" (a border router)` : `set only one of "${vpcField}" and "${vbrField}"`;
    return [{ property: vpcId === undefined ? vpcField : vbrField, reason: `${s}: ${reason}` }];
  }
  return vpcId !== undefined ? validateId(vpcId, "vpc", vpcField, s) : validateId(vbrId, "vbr", vbrField, s);
}

/** Input failures that need no facts. */
export function peeringInputFailures(news: Partial<PeeringConnectionInputs>): Failure[] {
  const s = subject(KIND, news.ownerRef);
  return [
    ...endFailures(news.vpcId, news.borderRouterId, "vpcId", "borderRouterId", s),
    ...endFailures(news.peerVpcId, news.peerBorderRouterId, "peerVpcId", "peerBorderRouterId", s),
    ...validateId(news.peerAccountId, "acc", "peerAccountId", s, false),
    ...(news.peerRegion === undefined ? [] : validateRegion(news.peerRegion, "peerRegion", s)),
    ...validateBandwidthInput(news.bandwidthMbps, "bandwidthMbps", s),
    ...validateName(news.name, "name", s),
    ...validateTags(news.tags, "tags", s),
    ...validateConnection(news.connection, "connection", s),
    ...alarmInputFailures(news, s),
  ];
}

/**
 * Either VPC, the peer account and the peer region replace (same pair: delete first, since a pair
 * holds one live peering); bandwidthMbps, name, tags and the alarm thresholds update; an Expired peering updates (re-enable).
 */
export function diffPeering(olds: PeeringConnectionOutputs, news: PeeringConnectionInputs, newAccountId?: string): DiffOutcome {
  const d = applyFieldRules<PeeringConnectionOutputs, PeeringConnectionInputs>(olds, news, [
    { property: "vpcId", kind: "replace", same: (o, n) => (o.vpcId || undefined) === n.vpcId },
    { property: "peerVpcId", kind: "replace", same: (o, n) => (o.peerVpcId || undefined) === n.peerVpcId },
    { property: "borderRouterId", kind: "replace", same: (o, n) => (o.borderRouterId || undefined) === n.borderRouterId },
    { property: "peerBorderRouterId", kind: "replace", same: (o, n) => (o.peerBorderRouterId || undefined) === n.peerBorderRouterId },
    {
      property: "peerAccountId",
      kind: "replace",
      same: (o, n) => (n.peerAccountId ?? o.accountId) === (o.peerAccountId ?? o.accountId),
    },
    { property: "peerRegion", kind: "replace", same: (o, n) => n.peerRegion === undefined || n.peerRegion === o.peerRegion },
    { property: "bandwidthMbps", kind: "update", same: (o, n) => (n.bandwidthMbps ?? null) === (o.bandwidthMbps ?? null) },
    { property: "name", kind: "update", same: (o, n) => n.name === undefined || n.name === o.name },
    { property: "tags", kind: "update", same: (o, n) => n.tags === undefined || sameTags(o.tags, n.tags) },
    { property: "lossRateAlarmPercent", kind: "update", same: sameAlarms },
    { property: "peakUtilisationAlarmPercent", kind: "update", same: sameAlarms },
  ]);
  if (olds.state === "Expired") {
    d.updates.push("state");
    d.changes = true;
  }
  const out = withAccountRule(d, olds.accountId, newAccountId);
  const samePair = !["vpcId", "peerVpcId", "borderRouterId", "peerBorderRouterId"].some((k) => out.replaces.includes(k));
  if (out.replaces.length > 0 && samePair) out.deleteBeforeReplace = true;
  return out;
}

export function peeringOutputs(p: ApiPeering, inputs: Partial<PeeringConnectionInputs>, related?: RelatedRoutes): PeeringConnectionOutputs {
  // The resource is the initiator: "local" is the requester.
  const outs: PeeringConnectionOutputs = {
    peeringId: p.peeringId,
    accountId: p.requester.accountId,
    vpcId: p.requester.vpcId,
    peerVpcId: p.accepter.vpcId,
    borderRouterId: p.requester.borderRouterId ?? "",
    peerBorderRouterId: p.accepter.borderRouterId ?? "",
    relatedRoutes: related?.routes ?? [],
    peerHasReturnRoute: related?.peerHasReturnRoute ?? false,
    peerAccountId: p.accepter.accountId,
    // Until accepted the server does not show the requester the peer's region: keep what was asked for.
    peerRegion: p.accepter.region ?? inputs.peerRegion ?? "",
    region: p.requester.region ?? "",
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
    lossRateAlarmPercent: p.alarms?.lossRatePercent ?? null,
    peakUtilisationAlarmPercent: p.alarms?.peakUtilisationPercent ?? null,
    ownerRef: inputs.ownerRef ?? p.ownerRef ?? "",
  };
  if (inputs.connection) outs.connection = inputs.connection;
  return outs;
}

/** Inputs as a user would write them for this peering (read for import). */
export function peeringInputsFromApi(p: ApiPeering): Partial<PeeringConnectionInputs> {
  const inputs: Partial<PeeringConnectionInputs> = {};
  if (p.requester.borderRouterId) inputs.borderRouterId = p.requester.borderRouterId;
  else inputs.vpcId = p.requester.vpcId;
  if (p.accepter.borderRouterId) inputs.peerBorderRouterId = p.accepter.borderRouterId;
  else inputs.peerVpcId = p.accepter.vpcId;
  if (p.accepter.accountId !== p.requester.accountId) inputs.peerAccountId = p.accepter.accountId;
  if (p.accepter.region && p.accepter.region !== p.requester.region) inputs.peerRegion = p.accepter.region;
  if (p.bandwidthMbps !== null && p.bandwidthMbps !== undefined) inputs.bandwidthMbps = p.bandwidthMbps;
  if (p.name) inputs.name = p.name;
  if (p.tags && Object.keys(p.tags).length > 0) inputs.tags = p.tags;
  if (p.alarms?.lossRatePercent != null) inputs.lossRateAlarmPercent = p.alarms.lossRatePercent;
  if (p.alarms?.peakUtilisationPercent != null) inputs.peakUtilisationAlarmPercent = p.alarms.peakUtilisationPercent;
  return inputs;
}

function label(inputs: Partial<PeeringConnectionInputs>): string {
  const local = knownString(inputs.vpcId) ?? knownString(inputs.borderRouterId) ?? "?";
  return `${local} -> ${knownString(inputs.peerVpcId) ?? knownString(inputs.peerBorderRouterId) ?? "?"}`;
}

/** A same-account peering is accepted by its own requester: it settles Activated. A cross-account one waits for its accepter. */
async function settle(client: PeerlinkClient, op: string, p: ApiPeering): Promise<ApiPeering> {
  const sameAccount = p.requester.accountId === p.accepter.accountId;
  if (!sameAccount || p.state === "Activated") return p;
  if (p.state === "Pending") {
    // Same account, pending again after a re-enable: the caller is also the accepter.
    p = await peeringActionOnce(client, `${op}: accepting its own re-enabled request`, p.peeringId, "accept");
  }
  const settled = await waitForPeering(client, op, p.peeringId, PEERING_WAITERS.activated, { timeoutMs: waitTimeoutMs(), describe: pendingHint });
  if (isGone(settled)) throw new InvalidStateApiError(op, `peering ${p.peeringId} was deleted while it activated`);
  return settled;
}

const RULES = { kind: KIND, diff: diffPeering };

/** The preview of adopting `found`: only the requester's side, only a live peering, matching the declaration. */
function previewPeeringAdoption(found: ApiPeering | undefined, news: PeeringConnectionInputs, accountId: string): { failures: Failure[]; order: Order } {
  const s = subject(KIND, news.ownerRef);
  if (found && found.role !== "initiator") {
    const reason = `${s}: Forbidden: account ${found.requester.accountId} requested ${found.peeringId}; only the requester can adopt it (adopt the accepter's side with PeeringAcceptance)`;
    return { failures: [{ property: "importId", reason }], order: "same" };
  }
  // An Expired request is adopted and re-enabled, as update would.
  if (found && isFinal(found.state)) {
    const reason = `${s}: InvalidState: peering ${found.peeringId} is ${found.state} and cannot be adopted; drop "importId" to request a new peering`;
    return { failures: [{ property: "importId", reason }], order: "create" };
  }
  const refs = news.__refs && !hasUnknown(news.__refs) ? news.__refs : {};
  const declared = withKnownRefs(news, {
    vpcId: refs.vpc,
    peerVpcId: refs.peerVpc,
    borderRouterId: refs.borderRouter,
    peerBorderRouterId: refs.peerBorderRouter,
  });
  return previewAdoption(RULES, declared, found && peeringOutputs(found, news), accountId);
}

export const provider = defineProvider<PeeringConnectionInputs, PeeringConnectionOutputs>({
  kind: KIND,
  idKind: "pcx",
  validate: peeringInputFailures,
  ruleProperty: "peerVpcId",
  preview: (client, olds, news) => gatherAndCheck(client, olds, news, diffPeering, previewPeeringAdoption),
  diff: diffPeering,

  async create(client, inputs) {
    const op = `creating PeeringConnection (${label(inputs)})`;
    const body: CreatePeeringBody = {
      ownerRef: inputs.ownerRef,
      ...definedFields(inputs, ["vpcId", "borderRouterId", "peerVpcId", "peerBorderRouterId", "peerAccountId", "peerRegion", "bandwidthMbps", "name", "tags"]),
    };
    const made = await createOnce(
      inputs.ownerRef,
      body,
      // The create answers once a same-account peering is Activated (another account's answers Pending at
      // once): settle() then has no long-poll left to make.
      (token) => client.createPeering(op, body, token, { waitFor: stopStates(PEERING_WAITERS.activated), pollMs: Math.min(waitTimeoutMs(), MAX_POLL_MS) }),
      async (p) => {
        const found = await findPeering(client, op, p.peeringId);
        return !isGone(found) && LIVE_STATES.includes(found.state);
      },
      (x) => x.peeringId,
    );
    let p: ApiPeering;
    try {
      p = await settle(client, op, made);
      // The thresholds are a PATCH field only; a failure here deletes the new peering like any other.
      const alarms = alarmsPatch(inputs, p.alarms);
      if (alarms) p = await client.patchPeering(`${op}: setting alarm thresholds`, p.peeringId, { alarms });
    } catch (e) {
      // Leave nothing behind: the engine will not record a failed create. If that fails too, say so.
      const cleanup = `${op}: deleting ${made.peeringId} after a failed create`;
      await deleted(client.deletePeering(cleanup, made.peeringId)).catch((c: Error) => {
        if (e instanceof Error) e.message += `; also ${c.message}: delete peering ${made.peeringId} by hand (peerlink peering delete ${made.peeringId})`;
      });
      throw e;
    }
    // No route can name a peering before its create returns: a new one has no related routes, so no read
    // (one request per resource). Refresh and update read them.
    return { id: p.peeringId, outs: peeringOutputs(p, inputs, { peeringConnectionId: p.peeringId, routes: [], peerHasReturnRoute: false }) };
  },

  async read(client, id, props) {
    const op = `reading PeeringConnection (${id})`;
    const p = await findPeering(client, op, id);
    if (isGone(p)) return p;
    if (p.role !== "initiator") {
      throw new ForbiddenApiError(op, `account ${p.accepter.accountId} is the accepter of ${id}, not its initiator (${p.requester.accountId})`, {
        hint: "manage the accepter's side with PeeringAcceptance, or use the initiator account's connection",
      });
    }
    const related = await client.relatedRoutes(id, `${op}: its related routes`);
    return { outs: peeringOutputs(p, (props ?? {}) as Partial<PeeringConnectionInputs>, related), inputs: peeringInputsFromApi(p) };
  },

  async update(client, id, _olds, news) {
    const op = `updating PeeringConnection (${label(news)} ${id})`;
    let p = await client.getPeering(op, id);
    if (p.state === "Expired") {
      p = await peeringActionOnce(client, `${op}: re-enabling the expired request`, id, "enable");
    }
    const patch: UpdatePeeringBody = {};
    if ((news.bandwidthMbps ?? null) !== (p.bandwidthMbps ?? null)) patch.bandwidthMbps = news.bandwidthMbps ?? null;
    if (news.name !== undefined && news.name !== p.name) patch.name = news.name;
    if (news.tags !== undefined && !sameTags(p.tags, news.tags)) patch.tags = news.tags;
    const alarms = alarmsPatch(news, p.alarms);
    if (alarms) patch.alarms = alarms;
    if (Object.keys(patch).length > 0) p = await client.patchPeering(op, id, patch);
    const settled = await settle(client, op, p);
    return peeringOutputs(settled, news, await client.relatedRoutes(id, `${op}: its related routes`));
  },

  async delete(client, id, props) {
    const op = `deleting PeeringConnection (${props.vpcId || props.borderRouterId || "?"} -> ${props.peerVpcId || props.peerBorderRouterId || "?"} ${id})`;
    const answer = await orGone(client.deletePeering(op, id));
    // The answer is the Deleted record: a wait (one more request) only for one that is not final yet.
    if (isGone(answer) || PEERING_WAITERS.deleted.target.includes(answer.state)) return;
    await waitForPeering(client, op, id, PEERING_WAITERS.deleted, { timeoutMs: waitTimeoutMs() });
  },
});
