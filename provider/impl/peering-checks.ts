// PeeringConnection's check before anything exists: declares the peering in the program's plan and
// evaluates the domain's rule book over the projected world (provider/preview). Nothing here is a rule.

import type { PeerlinkClient } from "../../contract";
import type { Peering as ApiPeering, World as ApiWorld } from "../../contract/types";
import { isFinal, type Violation } from "../../domain";
import { accountOf } from "../facts";
import { previewPeering, readWorlds, reportDeferred } from "../preview/checks";
import { choseDeleteFirst, declare, Order, PlannedPeering } from "../preview/plan";
import type { PeeringConnectionInputs, PeeringConnectionOutputs, ResourceRefs } from "../types";
import { DiffOutcome, Failure, hasUnknown, knownString, nameFromOwnerRef, subject, UNKNOWN } from "../validation";
import { adoptsNow } from "./adopt";
import type { PreviewVerdict } from "./kit";

/** PeeringConnection's diff (passed in, so this file does not import the provider that imports it). */
export type PeeringDiff = (olds: PeeringConnectionOutputs, news: PeeringConnectionInputs) => DiffOutcome;

/** PeeringConnection's preview of an adoption (adopt.ts), passed in for the same reason. */
export type PeeringAdoption = (found: ApiPeering | undefined, news: PeeringConnectionInputs, accountId: string) => { failures: Failure[]; order: Order };

const KIND = "PeeringConnection";

function fact<T>(v: T | undefined, why: string): T | { $unknown: string } | undefined {
  if (v === undefined) return undefined;
  return hasUnknown(v) ? { $unknown: why } : v;
}

/** Border router ids given as plain strings must name routers that exist (the caller's, or another account's when "peerAccountId" says so). */
function borderRouterNotFound(own: ApiWorld, news: PeeringConnectionInputs, refs: ResourceRefs, accountId: string, sameAccountPeer: boolean): Violation[] {
  const mine = (id: string) => (own.borderRouters ?? []).some((b) => b.borderRouterId === id);
  const out: Violation[] = [];
  const local = knownString(news.borderRouterId);
  if (local && !refs.borderRouter && !mine(local)) {
    out.push({
      code: "NotFound",
      field: "borderRouterId",
      message: `border router ${local} does not exist in account ${accountId}; check "borderRouterId" and the connection`,
    });
  }
  const peer = knownString(news.peerBorderRouterId);
  if (peer && !refs.peerBorderRouter && sameAccountPeer && !mine(peer)) {
    out.push({
      code: "NotFound",
      field: "peerBorderRouterId",
      message: `peer border router ${peer} does not exist in account ${accountId}; for another account's router set "peerAccountId"`,
    });
  }
  return out;
}

/** How this update writes the peering, from the same diff the engine will ask for. */
export function orderOf(
  olds: Partial<PeeringConnectionInputs & PeeringConnectionOutputs>,
  news: PeeringConnectionInputs,
  existingId: string | undefined,
  diffPeering: PeeringDiff,
): Order {
  if (existingId === undefined || olds.vpcId === undefined) return existingId === undefined ? "create" : "same";
  const d = diffPeering(olds as PeeringConnectionOutputs, news);
  if (d.replaces.length > 0) return d.deleteBeforeReplace || choseDeleteFirst(news.ownerRef) ? "replaceDeleteFirst" : "replaceCreateFirst";
  return d.updates.some((u) => u === "bandwidthMbps" || u === "state") ? "update" : "same";
}

/**
 * Declares the peering and evaluates its rules. Also says which outputs a preview can know (the account;
 * the id of an existing, unreplaced peering).
 */
export async function gatherAndCheck(
  client: PeerlinkClient,
  olds: Partial<PeeringConnectionInputs & PeeringConnectionOutputs>,
  news: PeeringConnectionInputs,
  diffPeering: PeeringDiff,
  adoption: PeeringAdoption,
): Promise<PreviewVerdict<PeeringConnectionOutputs>> {
  const label = `${KIND} "${nameFromOwnerRef(news.ownerRef) ?? news.ownerRef}"`;
  const op = `checking ${subject(KIND, news.ownerRef)}`;
  const account = await accountOf(client, op);
  const known: Partial<PeeringConnectionOutputs> = { accountId: account.accountId };
  const { own } = await readWorlds(client, op);
  const refs = news.__refs && !hasUnknown(news.__refs) ? news.__refs : {};
  const vpcId = knownString(news.vpcId);
  const peerVpcId = knownString(news.peerVpcId);
  const peerAccount = knownString(news.peerAccountId);

  // Ids given as plain strings must name VPCs that exist.
  const violations: Violation[] = [];
  if (vpcId && !refs.vpc && !own.vpcs.some((v) => v.vpcId === vpcId)) {
    violations.push({
      code: "NotFound",
      field: "vpcId",
      message: `VPC ${vpcId} does not exist in account ${account.accountId}; check "vpcId" and that the connection is the VPC owner's`,
    });
  }
  const sameAccountPeer = !hasUnknown(news.peerAccountId) && (!peerAccount || peerAccount === account.accountId);
  if (peerVpcId && !refs.peerVpc && sameAccountPeer && !own.vpcs.some((v) => v.vpcId === peerVpcId)) {
    violations.push({
      code: "NotFound",
      field: "peerVpcId",
      message: `peer VPC ${peerVpcId} does not exist in account ${account.accountId}; for another account's VPC set "peerAccountId"`,
    });
  }
  violations.push(...borderRouterNotFound(own, news, refs, account.accountId, sameAccountPeer));
  if (violations.length > 0) return { violations, known };

  // This resource's own live peering: the one of an earlier run (its id, or its ownerRef), or the one it adopts.
  const live = own.peerings.filter((p) => !isFinal(p.state));
  const existing =
    live.find((p) => p.peeringId === knownString(olds.peeringId)) ??
    live.find((p) => p.ownerRef === news.ownerRef) ??
    live.find((p) => p.peeringId === knownString(news.importId)) ??
    // Imported earlier (so without our ownerRef): the live peering joining the old pair.
    (olds.vpcId ? live.find((p) => p.requester.vpcId === olds.vpcId && p.accepter.vpcId === olds.peerVpcId) : undefined);
  let order = orderOf(olds, news, existing?.peeringId, diffPeering);
  let failures: Failure[] = [];
  if (adoptsNow(olds, news)) {
    // Any peering with that id the account sees (a final one too: the adoption says why it cannot be).
    ({ failures, order } = adoption(
      own.peerings.find((p) => p.peeringId === news.importId),
      news,
      account.accountId,
    ));
  }
  if (existing && (order === "same" || order === "update")) known.peeringId = existing.peeringId;

  const entry: PlannedPeering = {
    kind: "PeeringConnection",
    ownerRef: news.ownerRef,
    label,
    accountId: account.accountId,
    existingId: existing?.peeringId,
    order,
    connection: news.connection,
    local: { ownerRef: refs.vpc ?? refs.borderRouter, id: vpcId ?? knownString(news.borderRouterId) },
    peer: { ownerRef: refs.peerVpc ?? refs.peerBorderRouter, id: peerVpcId ?? knownString(news.peerBorderRouterId) },
    ...(news.borderRouterId !== undefined ? { localKind: "borderRouter" as const } : {}),
    ...(news.peerBorderRouterId !== undefined ? { peerKind: "borderRouter" as const } : {}),
    peerAccountId: fact(
      peerAccount ?? (hasUnknown(news.peerAccountId) ? UNKNOWN : sameAccountPeer ? account.accountId : undefined),
      "peerAccountId is unknown",
    ),
    peerRegion: fact(news.peerRegion, "peerRegion is unknown"),
    bandwidthMbps: hasUnknown(news.bandwidthMbps)
      ? { $unknown: "bandwidthMbps is unknown" }
      : typeof news.bandwidthMbps === "number"
        ? news.bandwidthMbps
        : null,
    acceptedInProgram: refs.acceptedInProgram === true,
  };
  declare(entry);
  const verdict = await previewPeering(client, op, entry);
  await reportDeferred(label, verdict.deferred);
  return { failures, violations: verdict.violations, known };
}
