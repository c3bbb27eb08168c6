// RouteEntry provider: runs in the dynamic-provider process, loaded by name
// ("peerlink/dist/provider/impl/route-entry.js").

import {
  deleted,
  findRoute,
  findRouteTable,
  GONE,
  type Gone,
  InvalidStateApiError,
  isApiError,
  isGone,
  NotFoundApiError,
  PEERING_WAITERS,
  PeeringNotActiveApiError,
  type PeerlinkClient,
  waitForPeering,
} from "../../contract";
import type { Route as ApiRoute, CreateRouteBody, UpdateRouteBody } from "../../contract/types";
import { accountOf } from "../facts";
import { previewRoute, readWorlds, reportDeferred } from "../preview/checks";
import { acceptedInProgram, choseDeleteFirst, declare, type Order, type PlannedRoute } from "../preview/plan";
import type { RouteEntryInputs, RouteEntryOutputs } from "../types";
import {
  applyFieldRules,
  type DiffOutcome,
  type Failure,
  hasUnknown,
  knownString,
  nameFromOwnerRef,
  subject,
  validateConnection,
  validateDescription,
  validateDestinationCidr,
  validateId,
  withAccountRule,
} from "../validation";
import { adoptionRead, adoptsNow, previewAdoption, withKnownRefs } from "./adopt";
import { acceptWaitMs, createOnce, definedFields, pendingHint, waitTimeoutMs } from "./common";
import { defineProvider, type PreviewVerdict } from "./kit";

const KIND = "RouteEntry";

export function routeInputFailures(news: Partial<RouteEntryInputs>): Failure[] {
  const s = subject(KIND, news.ownerRef);
  return [
    ...validateId(news.routeTableId, "rtb", "routeTableId", s),
    ...validateDestinationCidr(news.destinationCidrBlock, "destinationCidrBlock", s),
    ...validateId(news.peeringId, "pcx", "peeringId", s),
    ...validateDescription(news.description, "description", s),
    ...validateConnection(news.connection, "connection", s),
  ];
}

/** routeTableId and the destination replace; the next hop (peeringId) and description update. */
export function diffRoute(olds: RouteEntryOutputs, news: RouteEntryInputs, newAccountId?: string): DiffOutcome {
  const d = applyFieldRules<RouteEntryOutputs, RouteEntryInputs>(olds, news, [
    { property: "routeTableId", kind: "replace", same: (o, n) => o.routeTableId === n.routeTableId },
    { property: "destinationCidrBlock", kind: "replace", same: (o, n) => o.destinationCidrBlock === n.destinationCidrBlock },
    { property: "peeringId", kind: "update", same: (o, n) => o.peeringId === n.peeringId },
    { property: "description", kind: "update", same: (o, n) => (n.description ?? "") === (o.description ?? "") },
  ]);
  return withAccountRule(d, olds.accountId, newAccountId);
}

export function routeOutputs(r: ApiRoute, inputs: Partial<RouteEntryInputs>): RouteEntryOutputs {
  const outs: RouteEntryOutputs = {
    routeId: r.routeId,
    routeTableId: r.routeTableId,
    vpcId: r.vpcId,
    destinationCidrBlock: r.destinationCidrBlock,
    peeringId: r.peeringId ?? "",
    nextHopType: r.nextHopType,
    description: r.description ?? "",
    accountId: (inputs as { accountId?: string }).accountId ?? "",
    ownerRef: inputs.ownerRef ?? "",
  };
  if (inputs.connection) outs.connection = inputs.connection;
  return outs;
}

export function routeInputsFromApi(r: ApiRoute): Partial<RouteEntryInputs> {
  const inputs: Partial<RouteEntryInputs> = {
    routeTableId: r.routeTableId,
    destinationCidrBlock: r.destinationCidrBlock,
    peeringId: r.peeringId ?? "",
  };
  if (r.description) inputs.description = r.description;
  return inputs;
}

/**
 * Declares the route in the program's plan and evaluates its rules over the projected world. The route
 * is this resource's when its table holds its old destination (an earlier run).
 */
async function gatherAndCheck(client: PeerlinkClient, olds: Partial<RouteEntryInputs>, news: RouteEntryInputs): Promise<PreviewVerdict<RouteEntryOutputs>> {
  const s = subject(KIND, news.ownerRef);
  const op = `checking ${s}`;
  const label = `${KIND} "${nameFromOwnerRef(news.ownerRef) ?? news.ownerRef}"`;
  const account = await accountOf(client, op);
  const refs = news.__refs && !hasUnknown(news.__refs) ? news.__refs : {};
  const tableId = knownString(news.routeTableId);
  const peeringId = knownString(news.peeringId);
  const { own } = await readWorlds(client, op);
  // Any table of the account's VPCs: the main one (on the VPC) or another (a RouteTable).
  const other = tableId ? (own.routeTables ?? []).find((t) => t.routeTableId === tableId) : undefined;
  const table = tableId ? own.vpcs.find((v) => v.routeTableId === tableId || v.vpcId === other?.vpcId) : undefined;
  // Issue 11: a border router's own table stands where a VPC's main table would.
  const router = tableId && !table ? (own.borderRouters ?? []).find((b) => b.routeTableId === tableId) : undefined;
  if (tableId && !table && !router && !refs.vpc && !refs.routeTable) {
    return {
      violations: [
        {
          code: "NotFound",
          field: "routeTableId",
          message: `route table ${tableId} does not exist in account ${account.accountId}; check "routeTableId" and that the connection is the table owner's`,
        },
      ],
    };
  }
  if (peeringId && !refs.peering && !own.peerings.some((p) => p.peeringId === peeringId)) {
    return { violations: [{ code: "NotFound", field: "peeringId", message: `peering ${peeringId} does not exist or was deleted; check "peeringId"` }] };
  }
  if (peeringId && refs.acceptedInProgram) acceptedInProgram(peeringId);
  // Ours: the route of the old inputs, or one this resource made (its ownerRef; e.g. an interrupted create).
  const oldTable = knownString(olds.routeTableId);
  let existing =
    own.routes.find((r) => r.nextHopType === "Peering" && r.routeTableId === oldTable && r.destinationCidrBlock === knownString(olds.destinationCidrBlock)) ??
    own.routes.find((r) => r.nextHopType === "Peering" && r.ownerRef === news.ownerRef);
  let order: Order = existing ? "same" : "create";
  let failures: Failure[] = [];
  if (adoptsNow(olds, news)) {
    const found = own.routes.find((r) => r.routeId === news.importId);
    existing = found?.nextHopType === "Peering" ? found : undefined;
    if (found && !existing) {
      failures = [{ property: "importId", reason: `${s}: InvalidState: ${found.routeId} is the Local route of its table, which cannot be managed` }];
    } else {
      const outs = existing && routeOutputs(existing, { ...news, accountId: account.accountId } as Partial<RouteEntryInputs>);
      const declared = withKnownRefs(news, { routeTableId: refs.routeTable, peeringId: refs.peering });
      ({ failures, order } = previewAdoption(RULES, declared, outs, account.accountId));
      // Only the next hop is a write the rules check; a description alone is not.
      if (order === "update" && existing?.peeringId === peeringId) order = "same";
    }
  } else if (existing && olds.routeTableId !== undefined) {
    const d = diffRoute({ ...(olds as RouteEntryOutputs), peeringId: existing.peeringId ?? "" }, news);
    order =
      d.replaces.length > 0
        ? choseDeleteFirst(news.ownerRef)
          ? "replaceDeleteFirst"
          : "replaceCreateFirst"
        : d.updates.includes("peeringId")
          ? "update"
          : "same";
  }
  const entry: PlannedRoute = {
    kind: "RouteEntry",
    ownerRef: news.ownerRef,
    label,
    accountId: account.accountId,
    existingId: existing?.routeId,
    order,
    connection: news.connection,
    table: { ownerRef: refs.vpc, id: table?.vpcId ?? router?.borderRouterId },
    routeTable:
      refs.routeTable || (tableId && tableId !== (table?.routeTableId ?? router?.routeTableId)) ? { ownerRef: refs.routeTable, id: tableId } : undefined,
    peering: { ownerRef: refs.peering, id: peeringId },
    destination: hasUnknown(news.destinationCidrBlock)
      ? { $unknown: `the destination of ${label} comes from an output not known yet` }
      : news.destinationCidrBlock,
  };
  declare(entry);
  const verdict = await previewRoute(client, op, entry);
  await reportDeferred(label, verdict.deferred);
  return { failures, violations: verdict.violations };
}

/** A route needs an Activated next hop: a Pending one has a while to be accepted; a final or stopped one fails at once. */
async function waitActivated(client: PeerlinkClient, op: string, peeringId: string): Promise<void> {
  const p = await client.getPeering(op, peeringId);
  if (p.state === "Activated") return;
  const waiter = PEERING_WAITERS.accepted;
  if (!waiter.pending.includes(p.state)) {
    throw new PeeringNotActiveApiError(op, `peering ${peeringId} is ${p.state}, not Activated; ${pendingHint(p)}`, { details: { state: p.state, peeringId } });
  }
  await waitForPeering(client, op, peeringId, waiter, { timeoutMs: p.state === "Pending" ? acceptWaitMs() : waitTimeoutMs(), describe: pendingHint });
}

async function findRouteAnywhere(client: PeerlinkClient, op: string, routeId: string): Promise<ApiRoute | Gone> {
  for (const summary of await client.listRouteTables(op)) {
    const t = await findRouteTable(client, op, summary.routeTableId);
    const r = isGone(t) ? undefined : t.routes.find((x) => x.routeId === routeId);
    if (r) return r;
  }
  return GONE;
}

const RULES = { kind: KIND, diff: diffRoute };

export const provider = defineProvider<RouteEntryInputs, RouteEntryOutputs>({
  kind: KIND,
  idKind: "rt",
  validate: routeInputFailures,
  ruleProperty: "destinationCidrBlock",
  preview: gatherAndCheck,
  diff: diffRoute,

  async create(client, inputs) {
    const op = `creating RouteEntry (${inputs.routeTableId} ${inputs.destinationCidrBlock} -> ${inputs.peeringId})`;
    const account = await accountOf(client, op);
    const body: CreateRouteBody = {
      destinationCidrBlock: inputs.destinationCidrBlock,
      peeringId: inputs.peeringId,
      ownerRef: inputs.ownerRef,
      ...definedFields(inputs, ["description"]),
    };
    const create = () =>
      createOnce(
        inputs.ownerRef,
        body,
        (token) => client.createRoute(op, inputs.routeTableId, body, token),
        async (r) => !isGone(await findRoute(client, op, r.routeTableId, r.routeId)),
        (x) => x.routeId,
        `${inputs.ownerRef}\n${inputs.routeTableId}`,
      );
    // One write when the next hop is Activated (the usual case: the peering was created first). Only a
    // next hop that is not yet is waited for, outside the create (other checks must not wait on it),
    // then the same create (same token: the refused one was not remembered) runs again.
    let made: ApiRoute;
    try {
      made = await create();
    } catch (e) {
      if (!isApiError(e, "PeeringNotActive")) throw e;
      await waitActivated(client, op, inputs.peeringId);
      made = await create();
    }
    return { id: made.routeId, outs: routeOutputs(made, { ...inputs, accountId: account.accountId } as Partial<RouteEntryInputs>) };
  },

  async read(client, id, props) {
    const op = `reading RouteEntry (${id})`;
    // In its table when known (a border router's table is not among the listed ones); else in any table.
    let route = props?.routeTableId ? await findRoute(client, op, props.routeTableId, id) : GONE;
    // An adoption (its props are the declaration) looks further, so a route in another table is a mismatch.
    if (isGone(route) && (adoptionRead(props) !== undefined || !props?.routeTableId)) route = await findRouteAnywhere(client, op, id);
    if (isGone(route)) return route;
    if (route.nextHopType === "Local") {
      throw new InvalidStateApiError(op, `route ${id} is the table's Local route, which cannot be managed`);
    }
    const accountId = props?.accountId || (await accountOf(client, op)).accountId;
    return { outs: routeOutputs(route, { ...(props ?? {}), accountId } as Partial<RouteEntryInputs>), inputs: routeInputsFromApi(route) };
  },

  async update(client, id, olds, news) {
    const op = `updating RouteEntry (${news.routeTableId} ${news.destinationCidrBlock} -> ${news.peeringId})`;
    const patch: UpdateRouteBody = {};
    if (news.peeringId !== olds.peeringId) {
      await waitActivated(client, op, news.peeringId);
      patch.peeringId = news.peeringId;
    }
    if ((news.description ?? "") !== (olds.description ?? "")) patch.description = news.description ?? "";
    const r = Object.keys(patch).length > 0 ? await client.patchRoute(op, news.routeTableId, id, patch) : await findRoute(client, op, news.routeTableId, id);
    if (isGone(r)) throw new NotFoundApiError(op, `route ${id} no longer exists`, { hint: "run `pulumi refresh`, then `pulumi up` re-creates it" });
    return routeOutputs(r, { ...news, accountId: olds.accountId } as Partial<RouteEntryInputs>);
  },

  async delete(client, id, props) {
    await deleted(client.deleteRoute(`deleting RouteEntry (${props.routeTableId} ${props.destinationCidrBlock} ${id})`, props.routeTableId, id));
  },
});
