// PeeringAcceptance provider: runs in the dynamic-provider process, loaded by name
// ("peerlink/dist/provider/impl/peering-acceptance.js"). Acts as the accepter's account.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { acceptanceViolations, checkAcceptance, known } from "../../domain";
import { readWorlds } from "../preview/checks";
import { projectedWorld } from "../preview/project";
import { keyOf, PlannedPeering, plannedByOwnerRef } from "../preview/plan";
import { ApiPeering, isApiError, PeerlinkApiError, PeerlinkClient } from "../client";
import type { OnDelete, PeeringAcceptanceInputs, PeeringAcceptanceOutputs } from "../types";
import {
  applyFieldRules,
  DiffOutcome,
  Failure,
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
import { clientFor, configureProvider, connectionFailure, controlPlaneChecksEnabled, newAccountIfConnectionChanged, waitTimeoutMs, withoutHidden } from "./common";

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
  if (p.state === "Rejected" || p.state === "Deleted") {
    return [{ property: "peeringId", reason: `${pre}InvalidState: peering ${p.peeringId} is ${p.state} and can no longer be accepted; ask the requester for a new request` }];
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
  const account = await client.getAccount(op);
  let p: ApiPeering;
  try {
    p = await client.getPeering(op, inputs.peeringId);
  } catch (e) {
    if (isApiError(e, "NotFound")) {
      throw new PeerlinkApiError(op, "NotFound", `peering ${inputs.peeringId} is not visible to account ${account.accountId}`, {
        hint: "check peeringId, and that the connection is the accepter account's",
      });
    }
    throw e;
  }
  const failures = acceptabilityFailures(p, account.accountId, inputs.allowedRequesterAccountIds);
  if (failures.length > 0) throw new PeerlinkApiError(op, "Forbidden", failures.map((f) => f.reason).join("; "));
  if (p.state === "Pending") {
    try {
      p = await client.peeringAction(op, inputs.peeringId, "accept");
    } catch (e) {
      // Accepted meanwhile (a retried create): fine, the wait below decides.
      if (!isApiError(e, "InvalidState")) throw e;
    }
  }
  if (p.state === "Activated") return p;
  return (await client.waitForPeering(op, inputs.peeringId, ["Activated"], {
    timeoutMs: waitTimeoutMs(),
    failOn: ["Rejected", "Deleted", "Expired", "Suspending", "Suspended"],
  }))!;
}

export const provider: dynamic.ResourceProvider<PeeringAcceptanceInputs, PeeringAcceptanceOutputs> = {
  configure: configureProvider,

  async check(_olds, news) {
    const inputs = withoutHidden(news);
    const failures = acceptanceInputFailures(news);
    const peeringId = knownString(news.peeringId);
    const skip = !controlPlaneChecksEnabled();
    if (skip || failures.length > 0 || hasUnknown(news.connection) || hasUnknown(news.allowedRequesterAccountIds)) {
      return { inputs, failures };
    }
    const s = subject(KIND, news.ownerRef);
    if (!peeringId) {
      // A peering this program creates: the plan says who requests it.
      const planned = news.__refs && !hasUnknown(news.__refs) ? plannedByOwnerRef(news.__refs.peering) : undefined;
      if (!planned || planned.kind !== "PeeringConnection") return { inputs, failures };
      try {
        const client = clientFor(news.connection);
        const op = `checking ${s}`;
        const account = await client.getAccount(op);
        const unacceptable = plannedAcceptabilityFailures(planned, account.accountId, news.allowedRequesterAccountIds, s);
        if (unacceptable.length > 0) return { inputs, failures: unacceptable };
        // The accept will make the request count against the acceptor's VPC: it must fit that VPC's quota.
        const { stored, quotas } = await readWorlds(client, op);
        const verdict = checkAcceptance(projectedWorld(stored), keyOf(planned), account.accountId, quotas, { accepting: true });
        return { inputs, failures: violationsToFailures(verdict.violations, "peeringId", s) };
      } catch (e) {
        return { inputs, failures: [connectionFailure(e)] };
      }
    }
    try {
      const client = clientFor(news.connection);
      const op = `checking ${s}`;
      const account = await client.getAccount(op);
      let p: ApiPeering;
      try {
        p = await client.getPeering(op, peeringId);
      } catch (e) {
        if (!isApiError(e, "NotFound")) throw e;
        return {
          inputs,
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
      if (unacceptable.length > 0 || p.state !== "Pending") return { inputs, failures: unacceptable };
      // The accept makes the request count against the acceptor's VPC: it must fit that VPC's quota, with
      // everything the program puts on the VPC.
      const { stored, quotas } = await readWorlds(client, op);
      const verdict = checkAcceptance(projectedWorld(stored), p.peeringId, account.accountId, quotas, { accepting: true });
      return { inputs, failures: violationsToFailures(verdict.violations, "peeringId", s) };
    } catch (e) {
      return { inputs, failures: [connectionFailure(e)] };
    }
  },

  async diff(_id, olds, news) {
    const d = diffAcceptance(olds, news, await newAccountIfConnectionChanged(olds.connection, news.connection));
    return { changes: d.changes, replaces: d.replaces };
  },

  async create(inputs) {
    const op = `accepting PeeringConnection (${inputs.peeringId})`;
    const p = await acceptAndWait(clientFor(inputs.connection), op, inputs);
    return { id: p.peeringId, outs: acceptanceOutputs(p, inputs) };
  },

  async read(id, props) {
    const client = clientFor(props?.connection);
    const peeringId = props?.peeringId ?? id;
    const p = await client.findPeering(`reading PeeringAcceptance (${peeringId})`, peeringId);
    if (!p) return { id: "", props: {} as PeeringAcceptanceOutputs };
    const outs = acceptanceOutputs(p, (props ?? {}) as Partial<PeeringAcceptanceInputs>);
    if (props && props.ownerRef !== undefined) return { id, props: outs };
    const inputs = { peeringId: p.peeringId, allowedRequesterAccountIds: [p.requester.accountId] };
    return { id, props: outs, inputs: inputs as PeeringAcceptanceOutputs };
  },

  async update(id, olds, news) {
    const client = clientFor(news.connection);
    const op = `updating PeeringAcceptance (${id})`;
    const current = await client.getPeering(op, news.peeringId);
    const p = current.state === "Pending" ? await acceptAndWait(client, op, news) : current;
    void olds;
    return { outs: acceptanceOutputs(p, news) };
  },

  async delete(id, props) {
    if (props.onDelete === "retain") return;
    const client = clientFor(props.connection);
    const peeringId = props.peeringId ?? id;
    const op = `deleting PeeringConnection (${peeringId}) as its accepter`;
    await client.deletePeering(op, peeringId);
    await client.waitForPeering(op, peeringId, ["Gone", "Deleted"], { timeoutMs: waitTimeoutMs() });
  },
};
