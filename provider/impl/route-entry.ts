// RouteEntry provider: runs in the dynamic-provider process, loaded by name
// ("peerlink/dist/provider/impl/route-entry.js").
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { PeeringState, RouteFacts, routeViolations, Violation, VpcFacts } from "../../controlplane/domain";
import { ApiPeering, ApiRoute, ApiRouteTable, PeerlinkApiError, PeerlinkClient } from "../client";
import type { PlannedVpc, RouteEntryInputs, RouteEntryOutputs, RoutePlan } from "../types";
import {
  applyFieldRules,
  DiffOutcome,
  Failure,
  hasUnknown,
  knownString,
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
import { quotasFromRows, NO_QUOTAS } from "./peering-checks";

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

function sameVpc(a: PlannedVpc | undefined, b: PlannedVpc | undefined): boolean | undefined {
  if (!a || !b) return undefined;
  if (a.key && b.key) return a.key === b.key;
  const ia = knownString(a.id);
  const ib = knownString(b.id);
  if (ia && ib) return ia === ib;
  return undefined;
}

/**
 * Destinations that conflict with this route. An existing route with the same destination is ours
 * (an earlier run, or an interrupted create) when it points at the same peering or when the old inputs
 * named the same destination; other routes in the same table declared by this program always conflict.
 */
export function conflictingDestinations(
  destination: string,
  peeringId: string | undefined,
  existing: ApiRoute[],
  olds: Partial<RouteEntryInputs> | undefined,
): string[] {
  const sameAsOld = olds && olds.destinationCidrBlock === destination;
  return existing
    .filter((r) => r.nextHopType !== "Local")
    .filter((r) => !(r.destinationCidrBlock === destination && (sameAsOld || (peeringId !== undefined && r.peeringId === peeringId))))
    .map((r) => r.destinationCidrBlock);
}

async function gatherAndCheck(olds: Partial<RouteEntryInputs>, news: RouteEntryInputs, client: PeerlinkClient): Promise<Violation[]> {
  const s = subject(KIND, news.ownerRef);
  const op = `checking ${s}`;
  const plan: Partial<RoutePlan> = news.__plan && !hasUnknown(news.__plan?.ownerRef) ? news.__plan : {};
  const destination = news.destinationCidrBlock;
  const tableId = knownString(news.routeTableId);
  const peeringId = knownString(news.peeringId);
  const account = await client.getAccount(op);
  const quotas = quotasFromRows(await client.getQuotas(op));
  const isNew = !olds || olds.destinationCidrBlock === undefined;

  // The table and its VPC.
  const tableVpc: VpcFacts = {
    name: knownString(plan.tableVpc?.name),
    cidr: knownString(plan.tableVpc?.cidr),
    region: knownString(plan.tableVpc?.region),
    vpcId: knownString(plan.tableVpc?.id),
  };
  let table: ApiRouteTable | undefined;
  if (tableId) {
    table = await client.findRouteTable(op, tableId);
    if (!table) {
      return [
        {
          code: "NotFound",
          field: "routeTableId",
          message: `route table ${tableId} does not exist in account ${account.accountId}; check "routeTableId" and that the connection is the table owner's`,
        },
      ];
    }
    const v = await client.findVpc(op, table.vpcId);
    tableVpc.vpcId = table.vpcId;
    if (v) {
      tableVpc.cidr = v.cidrBlock;
      tableVpc.region = v.region;
      tableVpc.name = tableVpc.name ?? (v.name || undefined);
    }
  }

  // The peering: from the program's plan, or from the control plane when it exists.
  let peering: RouteFacts["peering"];
  let live: ApiPeering | undefined;
  if (peeringId) {
    live = await client.findPeering(op, peeringId);
    if (!live) {
      return [
        {
          code: "NotFound",
          field: "peeringId",
          message: `peering ${peeringId} does not exist or was deleted; check "peeringId"`,
        },
      ];
    }
  }
  if (live) {
    const ends = [live.requester, live.accepter];
    const mine = tableVpc.vpcId ? ends.find((e) => e.vpcId === tableVpc.vpcId) : undefined;
    const other = mine ? (mine === live.requester ? live.accepter : live.requester) : undefined;
    const acceptedInProgram = plan.peering?.acceptedInProgram === true;
    let state: PeeringState | undefined;
    // Only a new route needs an Activated peering; Activating settles by itself, and an acceptance in
    // this program will accept a Pending one.
    if (isNew && live.state !== "Activated" && live.state !== "Activating" && !(live.state === "Pending" && acceptedInProgram)) {
      state = live.state as PeeringState;
    }
    if (tableVpc.vpcId) {
      peering = {
        peeringId: live.peeringId,
        state,
        attachesTableVpc: mine !== undefined,
        peerVpc: { vpcId: other?.vpcId, cidr: other?.cidrBlock ?? undefined, region: other?.region ?? undefined, accountId: other?.accountId },
        mustAcceptAccountId: live.state === "Pending" ? live.accepter.accountId : undefined,
      };
    }
  } else if (plan.peering) {
    const pp = plan.peering;
    const onLocal = sameVpc(plan.tableVpc, pp.local);
    const onPeer = sameVpc(plan.tableVpc, pp.peer);
    const name = `PeeringConnection "${pp.name}"`;
    if (onLocal === true || onPeer === true) {
      const other = onLocal === true ? pp.peer : pp.local;
      peering = {
        peeringId: name,
        attachesTableVpc: true,
        peerVpc: { name: knownString(other.name), cidr: knownString(other.cidr), region: knownString(other.region), vpcId: knownString(other.id) },
      };
    } else if (onLocal === false && onPeer === false) {
      peering = { peeringId: name, attachesTableVpc: false, peerVpc: {} };
    }
  }

  const dest = knownString(destination);
  const others = (plan.sameTable ?? []).filter((o) => o.ownerRef !== news.ownerRef);
  const existing = table ? conflictingDestinations(dest ?? "", peeringId, table.routes, olds) : [];
  const plannedDupes = dest ? others.filter((o) => knownString(o.destination) === dest) : [];
  const existingPeeringRoutes = table ? table.routes.filter((r) => r.nextHopType !== "Local" && !(dest && r.destinationCidrBlock === dest && (!isNew || r.peeringId === peeringId))) : [];
  const plannedNotExisting = others.filter((o) => !existingPeeringRoutes.some((r) => r.destinationCidrBlock === knownString(o.destination)));
  if (!dest) return [];

  const facts: RouteFacts = {
    tableVpc,
    routeTableId: tableId,
    destination: dest,
    peering,
    existingDestinations: [...existing, ...plannedDupes.map(() => dest)],
    routeCount: existingPeeringRoutes.length + plannedNotExisting.length,
    quotas: tableId ? quotas : NO_QUOTAS,
  };
  const out = routeViolations(facts);
  // Name the program's own duplicates rather than "the table already has a route".
  return out.map((v) => {
    if (v.code !== "RouteConflict" || existing.includes(dest) || plannedDupes.length === 0) return v;
    const names = plannedDupes.map((o) => `RouteEntry "${o.name}"`).join(" and ");
    return {
      ...v,
      message: `${names} in this program also routes ${dest} in the same table; a destination may appear once per table: remove one of them or change its destination`,
    };
  });
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
    return { changes: d.changes, replaces: d.replaces };
  },

  async create(inputs) {
    const op = `creating RouteEntry (${inputs.routeTableId} ${inputs.destinationCidrBlock} -> ${inputs.peeringId})`;
    const client = clientFor(inputs.connection);
    const account = await client.getAccount(op);
    await waitActivated(client, op, inputs.peeringId);
    const body: Record<string, unknown> = { destinationCidrBlock: inputs.destinationCidrBlock, peeringId: inputs.peeringId };
    if (inputs.description !== undefined) body.description = inputs.description;
    const { made } = await createIdempotent(
      `${inputs.ownerRef}\n${inputs.routeTableId}`,
      body,
      (token) => client.createRoute(op, inputs.routeTableId, body, token),
      async (r) => (await client.findRoute(op, r.routeTableId, r.routeId)) !== undefined,
    );
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
