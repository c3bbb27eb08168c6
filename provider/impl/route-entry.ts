// RouteEntry provider: runs in the dynamic-provider process, loaded by name
// ("peerlink/dist/provider/impl/route-entry.js").
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { Violation } from "../../domain";
import { ApiRoute, PeerlinkApiError, PeerlinkClient } from "../client";
import { previewRoute, readWorlds, reportDeferred } from "../preview/checks";
import { acceptedInProgram, choseDeleteFirst, declare, Order, PlannedRoute, written } from "../preview/plan";
import type { RouteEntryInputs, RouteEntryOutputs } from "../types";
import {
  applyFieldRules,
  DiffOutcome,
  Failure,
  hasUnknown,
  knownString,
  nameFromOwnerRef,
  subject,
  validateConnection,
  validateDescription,
  validateDestinationCidr,
  validateId,
  violationsToFailures,
  withAccountRule,
} from "../validation";
import {
  acceptWaitMs,
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
async function gatherAndCheck(olds: Partial<RouteEntryInputs>, news: RouteEntryInputs, client: PeerlinkClient): Promise<Violation[]> {
  const s = subject(KIND, news.ownerRef);
  const op = `checking ${s}`;
  const label = `${KIND} "${nameFromOwnerRef(news.ownerRef) ?? news.ownerRef}"`;
  const account = await client.getAccount(op);
  const refs = news.__refs && !hasUnknown(news.__refs) ? news.__refs : {};
  const tableId = knownString(news.routeTableId);
  const peeringId = knownString(news.peeringId);
  const { own } = await readWorlds(client, op);
  const table = tableId ? own.vpcs.find((v) => v.routeTableId === tableId) : undefined;
  if (tableId && !table && !refs.vpc) {
    return [
      {
        code: "NotFound",
        field: "routeTableId",
        message: `route table ${tableId} does not exist in account ${account.accountId}; check "routeTableId" and that the connection is the table owner's`,
      },
    ];
  }
  if (peeringId && !refs.peering && !own.peerings.some((p) => p.peeringId === peeringId)) {
    return [{ code: "NotFound", field: "peeringId", message: `peering ${peeringId} does not exist or was deleted; check "peeringId"` }];
  }
  if (peeringId && refs.acceptedInProgram) acceptedInProgram(peeringId);
  // Ours: the route of the old inputs, or one this resource made (its ownerRef; e.g. an interrupted create).
  const oldTable = knownString(olds.routeTableId);
  const existing =
    own.routes.find((r) => r.nextHopType === "Peering" && r.routeTableId === oldTable && r.destinationCidrBlock === knownString(olds.destinationCidrBlock)) ??
    own.routes.find((r) => r.nextHopType === "Peering" && r.ownerRef === news.ownerRef);
  let order: Order = existing ? "same" : "create";
  if (existing && olds.routeTableId !== undefined) {
    const d = diffRoute({ ...(olds as RouteEntryOutputs), peeringId: existing.peeringId ?? "" }, news);
    order = d.replaces.length > 0 ? (choseDeleteFirst(news.ownerRef) ? "replaceDeleteFirst" : "replaceCreateFirst") : d.updates.includes("peeringId") ? "update" : "same";
  }
  const entry: PlannedRoute = {
    kind: "RouteEntry",
    ownerRef: news.ownerRef,
    label,
    accountId: account.accountId,
    existingId: existing?.routeId,
    order,
    connection: news.connection,
    table: { ownerRef: refs.vpc, id: table?.vpcId },
    peering: { ownerRef: refs.peering, id: peeringId },
    destination: hasUnknown(news.destinationCidrBlock) ? { $unknown: `the destination of ${label} comes from an output not known yet` } : news.destinationCidrBlock,
  };
  declare(entry);
  const verdict = await previewRoute(client, op, entry);
  await reportDeferred(label, verdict.deferred);
  return verdict.violations;
}

async function waitActivated(client: PeerlinkClient, op: string, peeringId: string): Promise<void> {
  const p = await client.getPeering(op, peeringId);
  if (p.state === "Activated") return;
  if (p.state === "Deleted" || p.state === "Rejected" || p.state === "Expired" || p.state === "Suspended") {
    throw new PeerlinkApiError(op, "PeeringNotActive", `peering ${peeringId} is ${p.state}, not Activated; ${pendingHint(p)}`, {
      details: { state: p.state, peeringId },
    });
  }
  try {
    await client.waitForPeering(op, peeringId, ["Activated"], {
      timeoutMs: p.state === "Pending" ? acceptWaitMs() : waitTimeoutMs(),
      failOn: ["Rejected", "Deleted", "Expired", "Suspending", "Suspended"],
      describe: pendingHint,
    });
  } catch (e) {
    if (e instanceof PeerlinkApiError && (e.code === "Timeout" || e.code === "InvalidState")) {
      throw new PeerlinkApiError(op, "PeeringNotActive", e.serverMessage, { details: e.details });
    }
    throw e;
  }
}

async function findRouteAnywhere(client: PeerlinkClient, op: string, routeId: string): Promise<ApiRoute | undefined> {
  for (const v of await client.listVpcs(op)) {
    const t = await client.findRouteTable(op, v.routeTableId);
    const r = t?.routes.find((x) => x.routeId === routeId);
    if (r) return r;
  }
  return undefined;
}

export const provider: dynamic.ResourceProvider<RouteEntryInputs, RouteEntryOutputs> = {
  configure: configureProvider,

  async check(olds, news) {
    const inputs = withoutHidden(news);
    const failures = routeInputFailures(news);
    if (failures.length > 0 || hasUnknown(news.connection) || !controlPlaneChecksEnabled()) return { inputs, failures };
    try {
      const violations = await gatherAndCheck(olds ?? {}, news, clientFor(news.connection));
      return { inputs, failures: violationsToFailures(violations, "destinationCidrBlock", subject(KIND, news.ownerRef)) };
    } catch (e) {
      return { inputs, failures: [connectionFailure(e)] };
    }
  },

  async diff(_id, olds, news) {
    const d = diffRoute(olds, news, await newAccountIfConnectionChanged(olds.connection, news.connection));
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.replaces.length > 0 && choseDeleteFirst(news.ownerRef) };
  },

  async create(inputs) {
    const op = `creating RouteEntry (${inputs.routeTableId} ${inputs.destinationCidrBlock} -> ${inputs.peeringId})`;
    const client = clientFor(inputs.connection);
    const account = await client.getAccount(op);
    await waitActivated(client, op, inputs.peeringId);
    const body: Record<string, unknown> = { destinationCidrBlock: inputs.destinationCidrBlock, peeringId: inputs.peeringId, ownerRef: inputs.ownerRef };
    if (inputs.description !== undefined) body.description = inputs.description;
    const { made } = await createIdempotent(
      `${inputs.ownerRef}\n${inputs.routeTableId}`,
      body,
      (token) => client.createRoute(op, inputs.routeTableId, body, token),
      async (r) => (await client.findRoute(op, r.routeTableId, r.routeId)) !== undefined,
    );
    written(inputs.ownerRef, made.routeId);
    return { id: made.routeId, outs: routeOutputs(made, { ...inputs, accountId: account.accountId } as Partial<RouteEntryInputs>) };
  },

  async read(id, props) {
    const client = clientFor(props?.connection);
    const op = `reading RouteEntry (${id})`;
    const route = props?.routeTableId ? await client.findRoute(op, props.routeTableId, id) : await findRouteAnywhere(client, op, id);
    if (!route) return { id: "", props: {} as RouteEntryOutputs };
    if (route.nextHopType === "Local") {
      throw new PeerlinkApiError(op, "InvalidState", `route ${id} is the table's Local route, which cannot be managed`);
    }
    const accountId = props?.accountId || (await client.getAccount(op)).accountId;
    const outs = routeOutputs(route, { ...(props ?? {}), accountId } as Partial<RouteEntryInputs>);
    if (props && props.ownerRef !== undefined) return { id, props: outs };
    return { id, props: outs, inputs: routeInputsFromApi(route) as RouteEntryOutputs };
  },

  async update(id, olds, news) {
    const op = `updating RouteEntry (${news.routeTableId} ${news.destinationCidrBlock} -> ${news.peeringId})`;
    const client = clientFor(news.connection);
    const patch: Record<string, unknown> = {};
    if (news.peeringId !== olds.peeringId) {
      await waitActivated(client, op, news.peeringId);
      patch.peeringId = news.peeringId;
    }
    if ((news.description ?? "") !== (olds.description ?? "")) patch.description = news.description ?? "";
    const r = Object.keys(patch).length > 0 ? await client.patchRoute(op, news.routeTableId, id, patch) : await client.findRoute(op, news.routeTableId, id);
    if (!r) throw new PeerlinkApiError(op, "NotFound", `route ${id} no longer exists`, { hint: "run `pulumi refresh`, then `pulumi up` re-creates it" });
    return { outs: routeOutputs(r, { ...news, accountId: olds.accountId } as Partial<RouteEntryInputs>) };
  },

  async delete(id, props) {
    const client = clientFor(props.connection);
    await client.deleteRoute(`deleting RouteEntry (${props.routeTableId} ${props.destinationCidrBlock} ${id})`, props.routeTableId, id);
  },
};
