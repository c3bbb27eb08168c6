// PeeringAcceptance provider: runs in the dynamic-provider process, loaded by name
// ("peerlink/dist/provider/impl/peering-acceptance.js"). Acts as the accepter's account.

import {
  deleted,
  ForbiddenApiError,
  findPeering,
  InvalidStateApiError,
  isApiError,
  isGone,
  NotFoundApiError,
  orGone,
  PEERING_WAITERS,
  type PeerlinkClient,
  waitForPeering,
} from "../../contract";
import type { Peering as ApiPeering } from "../../contract/types";
import { acceptanceViolations, checkAcceptance, isFinal, known } from "../../domain";
import { accountOf } from "../facts";
import { readWorlds } from "../preview/checks";
import { keyOf, type PlannedPeering, plannedByOwnerRef } from "../preview/plan";
import { projectedWorld } from "../preview/project";
import type { OnDelete, PeeringAcceptanceInputs, PeeringAcceptanceOutputs } from "../types";
import {
  applyFieldRules,
  type DiffOutcome,
  type Failure,
  hasUnknown,
  knownString,
  sameValue,
  subject,
  validateAllowedAccounts,
  validateConnection,
  validateId,
  validateOnDelete,
  violationsToFailures,
  withAccountRule,
} from "../validation";
import { adoptionRead, adoptsNow, previewAdoption } from "./adopt";
import { waitTimeoutMs } from "./common";
import { defineProvider, type PreviewVerdict } from "./kit";

const KIND = "PeeringAcceptance";

export function acceptanceInputFailures(news: Partial<PeeringAcceptanceInputs>): Failure[] {
  const s = subject(KIND, news.ownerRef);
  return [
    ...validateId(news.peeringId, "pcx", "peeringId", s),
    ...validateAllowedAccounts(news.allowedRequesterAccountIds, "allowedRequesterAccountIds", s),
    ...validateOnDelete(news.onDelete, "onDelete", s),
    ...validateConnection(news.connection, "connection", s),
  ];
}

/**
 * Failures for accepting this peering as `callerAccountId`: the caller must be the accepter, the
 * requester must be allowed (the domain's acceptanceViolations decides), and it must still be acceptable.
 */
export function acceptabilityFailures(p: ApiPeering, callerAccountId: string, allowed: string[], subj?: string): Failure[] {
  const pre = subj ? `${subj}: ` : "";
  if (p.role !== "acceptor" || p.accepter.accountId !== callerAccountId) {
    return [
      {
        property: "connection",
        reason: `${pre}Forbidden: account ${callerAccountId} is the requester of ${p.peeringId}, not its accepter; use the connection of account ${p.accepter.accountId}`,
      },
    ];
  }
  if (acceptanceViolations(p.requester.accountId, allowed).length > 0) {
    return [
      {
        property: "allowedRequesterAccountIds",
        reason:
          `${pre}Forbidden: peering ${p.peeringId} was requested by account ${p.requester.accountId} (VPC ${p.requester.vpcId}), which is not in ` +
          `allowedRequesterAccountIds [${allowed.join(", ")}]; refusing a request from an unknown account: add ${p.requester.accountId} only if you trust it, otherwise reject the request`,
      },
    ];
  }
  if (isFinal(p.state)) {
    return [
      {
        property: "peeringId",
        reason: `${pre}InvalidState: peering ${p.peeringId} is ${p.state} and can no longer be accepted; ask the requester for a new request`,
      },
    ];
  }
  if (p.state === "Expired") {
    return [
      {
        property: "peeringId",
        reason: `${pre}InvalidState: peering ${p.peeringId} expired before it was accepted; the requester must re-enable it (\`pulumi up\` in the requester's stack) before it can be accepted`,
      },
    ];
  }
  return [];
}

/** The same failures for a peering the program has not created yet, from its planned accounts. */
export function plannedAcceptabilityFailures(p: PlannedPeering, callerAccountId: string, allowed: string[], subj: string): Failure[] {
  const accepter = known(p.peerAccountId);
  if (accepter !== undefined && accepter !== callerAccountId) {
    return [
      {
        property: "connection",
        reason: `${subj}: Forbidden: ${p.label} asks account ${accepter} to accept it, not account ${callerAccountId}; use the connection of account ${accepter}`,
      },
    ];
  }
  if (acceptanceViolations(p.accountId, allowed).length > 0) {
    return [
      {
        property: "allowedRequesterAccountIds",
        reason:
          `${subj}: Forbidden: ${p.label} is requested by account ${p.accountId}, which is not in allowedRequesterAccountIds [${allowed.join(", ")}]; ` +
          `refusing a request from an unknown account: add ${p.accountId} only if you trust it`,
      },
    ];
  }
  return [];
}

/** peeringId replaces; the allow-list and onDelete update in place; a re-pending peering updates (accept again). */
export function diffAcceptance(olds: PeeringAcceptanceOutputs, news: PeeringAcceptanceInputs, newAccountId?: string): DiffOutcome {
  const d = applyFieldRules<PeeringAcceptanceOutputs, PeeringAcceptanceInputs>(olds, news, [
    { property: "peeringId", kind: "replace", same: (o, n) => o.peeringId === n.peeringId },
    { property: "allowedRequesterAccountIds", kind: "update", same: (o, n) => sameValue(o.allowedRequesterAccountIds, n.allowedRequesterAccountIds) },
    { property: "onDelete", kind: "update", same: (o, n) => (n.onDelete ?? "disconnect") === (o.onDelete ?? "disconnect") },
  ]);
  if (olds.state === "Pending") {
    d.updates.push("state");
    d.changes = true;
  }
  return withAccountRule(d, olds.accountId, newAccountId);
}

export function acceptanceOutputs(p: ApiPeering, inputs: Partial<PeeringAcceptanceInputs>): PeeringAcceptanceOutputs {
  const outs: PeeringAcceptanceOutputs = {
    peeringId: p.peeringId,
    accountId: p.accepter.accountId,
    allowedRequesterAccountIds: inputs.allowedRequesterAccountIds ?? [p.requester.accountId],
    onDelete: (inputs.onDelete ?? "disconnect") as OnDelete,
    requesterAccountId: p.requester.accountId,
    requesterVpcId: p.requester.vpcId,
    accepterVpcId: p.accepter.vpcId,
    crossRegion: p.crossRegion,
    state: p.state,
    status: p.status,
    ownerRef: inputs.ownerRef ?? "",
  };
  if (inputs.connection) outs.connection = inputs.connection;
  return outs;
}

async function acceptAndWait(client: PeerlinkClient, op: string, inputs: PeeringAcceptanceInputs): Promise<ApiPeering> {
  const account = await accountOf(client, op);
  let p = await orGone(client.getPeering(op, inputs.peeringId));
  if (isGone(p)) {
    throw new NotFoundApiError(op, `peering ${inputs.peeringId} is not visible to account ${account.accountId}`, {
      hint: "check peeringId, and that the connection is the accepter account's",
    });
  }
  const failures = acceptabilityFailures(p, account.accountId, inputs.allowedRequesterAccountIds);
  if (failures.length > 0) throw new ForbiddenApiError(op, failures.map((f) => f.reason).join("; "));
  if (p.state === "Pending") {
    try {
      p = await client.peeringAction(op, inputs.peeringId, "accept");
    } catch (e) {
      // Accepted meanwhile (a retried create): fine, the wait below decides.
      if (!isApiError(e, "InvalidState")) throw e;
    }
  }
  if (p.state === "Activated") return p;
  const settled = await waitForPeering(client, op, inputs.peeringId, PEERING_WAITERS.activated, { timeoutMs: waitTimeoutMs() });
  if (isGone(settled)) throw new InvalidStateApiError(op, `peering ${inputs.peeringId} was deleted while it activated`);
  return settled;
}

/** The accept will make the request count against the acceptor's VPC: it must fit that VPC's quota, with everything the program puts on it. */
async function acceptQuotaFailures(client: PeerlinkClient, op: string, key: string, accountId: string, s: string): Promise<Failure[]> {
  const { stored, quotas } = await readWorlds(client, op);
  const verdict = checkAcceptance(projectedWorld(stored), key, accountId, quotas, { accepting: true });
  return violationsToFailures(verdict.violations, "peeringId", s);
}

async function previewCheck(
  client: PeerlinkClient,
  olds: Partial<PeeringAcceptanceInputs>,
  news: PeeringAcceptanceInputs,
): Promise<PreviewVerdict<PeeringAcceptanceOutputs>> {
  const s = subject(KIND, news.ownerRef);
  const op = `checking ${s}`;
  if (adoptsNow(olds, news)) {
    const account = await accountOf(client, op);
    const found = await orGone(client.getPeering(op, news.importId!));
    const adoption = previewAdoption(RULES, news, isGone(found) ? undefined : acceptanceOutputs(found, news), account.accountId);
    const unacceptable = isGone(found) ? [] : acceptabilityFailures(found, account.accountId, news.allowedRequesterAccountIds, s);
    if (adoption.failures.length > 0 || unacceptable.length > 0) return { failures: [...adoption.failures, ...unacceptable] };
  }
  const peeringId = knownString(news.peeringId);
  if (!peeringId) {
    // A peering this program creates: the plan says who requests it.
    const planned = news.__refs && !hasUnknown(news.__refs) ? plannedByOwnerRef(news.__refs.peering) : undefined;
    if (planned?.kind !== "PeeringConnection") return {};
    const account = await accountOf(client, op);
    const unacceptable = plannedAcceptabilityFailures(planned, account.accountId, news.allowedRequesterAccountIds, s);
    if (unacceptable.length > 0) return { failures: unacceptable };
    return { failures: await acceptQuotaFailures(client, op, keyOf(planned), account.accountId, s) };
  }
  const account = await accountOf(client, op);
  const p = await orGone(client.getPeering(op, peeringId));
  if (isGone(p)) {
    return {
      failures: [
        {
          property: "peeringId",
          reason: `${s}: peering ${peeringId} is not visible to account ${account.accountId}; check "peeringId" and that the connection is the accepter account's`,
        },
      ],
    };
  }
  // Once accepted, only a still-acceptable peering matters; an existing acceptance of a live peering is fine.
  const unacceptable = acceptabilityFailures(p, account.accountId, news.allowedRequesterAccountIds, s);
  if (unacceptable.length > 0 || p.state !== "Pending") return { failures: unacceptable };
  return { failures: await acceptQuotaFailures(client, op, p.peeringId, account.accountId, s) };
}

/** An adopted acceptance must also accept only allowed requesters (its id is the peering's: a replace field). */
function adoptionProblems(existing: PeeringAcceptanceOutputs, news: PeeringAcceptanceInputs): string[] {
  if (acceptanceViolations(existing.requesterAccountId, news.allowedRequesterAccountIds).length === 0) return [];
  return [`its requester, account ${existing.requesterAccountId}, is not in allowedRequesterAccountIds [${news.allowedRequesterAccountIds.join(", ")}]`];
}

const RULES = { kind: KIND, diff: diffAcceptance, adoptionProblems };

export const provider = defineProvider<PeeringAcceptanceInputs, PeeringAcceptanceOutputs>({
  kind: KIND,
  idKind: "pcx",
  adoptionProblems,
  validate: acceptanceInputFailures,
  ruleProperty: "peeringId",
  previewable: (news) => !hasUnknown(news.allowedRequesterAccountIds),
  preview: previewCheck,
  diff: diffAcceptance,

  async create(client, inputs) {
    const p = await acceptAndWait(client, `accepting PeeringConnection (${inputs.peeringId})`, inputs);
    return { id: p.peeringId, outs: acceptanceOutputs(p, inputs) };
  },

  async read(client, id, props) {
    // An adoption reads the peering it adopts, whatever peeringId declares (a mismatch says so).
    const peeringId = adoptionRead(props) ?? props?.peeringId ?? id;
    const op = `reading PeeringAcceptance (${peeringId})`;
    const p = await findPeering(client, op, peeringId);
    if (isGone(p)) return p;
    if (p.role !== "acceptor") {
      throw new ForbiddenApiError(op, `account ${p.requester.accountId} requested ${peeringId}; a PeeringAcceptance is the accepter's side`, {
        hint: `manage the requester's side with PeeringConnection, or use the connection of account ${p.accepter.accountId}`,
      });
    }
    const outs = acceptanceOutputs(p, (props ?? {}) as Partial<PeeringAcceptanceInputs>);
    return { outs, inputs: { peeringId: p.peeringId, allowedRequesterAccountIds: [p.requester.accountId] } };
  },

  async update(client, id, _olds, news) {
    const op = `updating PeeringAcceptance (${id})`;
    const current = await client.getPeering(op, news.peeringId);
    const p = current.state === "Pending" ? await acceptAndWait(client, op, news) : current;
    return acceptanceOutputs(p, news);
  },

  async delete(client, id, props) {
    if (props.onDelete === "retain") return;
    const peeringId = props.peeringId ?? id;
    const op = `deleting PeeringConnection (${peeringId}) as its accepter`;
    await deleted(client.deletePeering(op, peeringId));
    await waitForPeering(client, op, peeringId, PEERING_WAITERS.deleted, { timeoutMs: waitTimeoutMs() });
  },
});
