// RouteTable provider: runs in the dynamic-provider process, loaded by name
// ("peerlink/dist/provider/impl/route-table.js").

import { findRouteTable, InvalidStateApiError, type PeerlinkClient } from "../../contract";
import type { RouteTable as ApiTable, CreateRouteTableBody, RouteTableSummary, UpdateRouteTableBody } from "../../contract/types";
import type { Violation } from "../../domain";
import { accountOf } from "../facts";
import { previewRouteTable, readWorlds, reportDeferred } from "../preview/checks";
import { choseDeleteFirst, declare, type Order, type PlannedRouteTable } from "../preview/plan";
import type { RouteTableInputs, RouteTableOutputs } from "../types";
import {
  applyFieldRules,
  type DiffOutcome,
  type Failure,
  hasUnknown,
  knownString,
  nameFromOwnerRef,
  sameTags,
  subject,
  validateConnection,
  validateId,
  validateName,
  validateTags,
  withAccountRule,
} from "../validation";
import { adoptsNow, previewAdoption, withKnownRefs } from "./adopt";
import { definedFields } from "./common";
import { recordLifecycle } from "./crud";
import { defineProvider, type PreviewVerdict } from "./kit";

const KIND = "RouteTable";

export function routeTableFailures(news: Partial<RouteTableInputs>): Failure[] {
  const s = subject(KIND, news.ownerRef);
  return [
    ...validateId(news.vpcId, "vpc", "vpcId", s),
    ...validateName(news.name, "name", s),
    ...validateTags(news.tags, "tags", s),
    ...validateConnection(news.connection, "connection", s),
  ];
}

/** vpcId replaces; name and tags update in place (pure). */
export function diffRouteTable(olds: RouteTableOutputs, news: RouteTableInputs, newAccountId?: string): DiffOutcome {
  const d = applyFieldRules<RouteTableOutputs, RouteTableInputs>(olds, news, [
    { property: "vpcId", kind: "replace", same: (o, n) => o.vpcId === n.vpcId },
    { property: "name", kind: "update", same: (o, n) => n.name === undefined || o.name === n.name },
    { property: "tags", kind: "update", same: (o, n) => n.tags === undefined || sameTags(o.tags, n.tags) },
  ]);
  return withAccountRule(d, olds.accountId, newAccountId);
}

export function routeTableOutputs(t: ApiTable | RouteTableSummary, inputs: Partial<RouteTableInputs>): RouteTableOutputs {
  const outs: RouteTableOutputs = {
    routeTableId: t.routeTableId,
    vpcId: t.vpcId,
    accountId: t.accountId,
    name: t.name,
    tags: t.tags,
    main: t.main,
    ownerRef: inputs.ownerRef ?? "",
  };
  if (inputs.connection) outs.connection = inputs.connection;
  return outs;
}

export function routeTableInputsFromApi(t: ApiTable | RouteTableSummary): Partial<RouteTableInputs> {
  const inputs: Partial<RouteTableInputs> = { vpcId: t.vpcId };
  if (t.name) inputs.name = t.name;
  if (Object.keys(t.tags).length > 0) inputs.tags = t.tags;
  return inputs;
}

function label(inputs: Partial<RouteTableInputs>, id?: string): string {
  return [id, nameFromOwnerRef(inputs.ownerRef)].filter((x) => x).join(" ");
}

async function previewCheck(
  client: PeerlinkClient,
  olds: Partial<RouteTableInputs & RouteTableOutputs>,
  news: RouteTableInputs,
): Promise<PreviewVerdict<RouteTableOutputs>> {
  const op = `checking ${subject(KIND, news.ownerRef)}`;
  const account = await accountOf(client, op);
  const refs = news.__refs && !hasUnknown(news.__refs) ? news.__refs : {};
  const { own } = await readWorlds(client, op);
  const vpcId = knownString(news.vpcId);
  if (vpcId && !refs.vpc && !own.vpcs.some((v) => v.vpcId === vpcId)) {
    return {
      violations: [
        { code: "NotFound", field: "vpcId", message: `VPC ${vpcId} does not exist in account ${account.accountId}; check "vpcId" and the connection` },
      ],
    };
  }
  const tables = (own.routeTables ?? []).filter((t) => !t.main);
  let existing = (olds.routeTableId ? tables.find((t) => t.routeTableId === olds.routeTableId) : undefined) ?? tables.find((t) => t.ownerRef === news.ownerRef);
  let order: Order = "create";
  let failures: Failure[] = [];
  if (adoptsNow(olds, news)) {
    existing = tables.find((t) => t.routeTableId === news.importId);
    const main = (own.routeTables ?? []).find((t) => t.main && t.routeTableId === news.importId);
    if (main) {
      failures = [
        {
          property: "importId",
          reason: `${subject(KIND, news.ownerRef)}: InvalidState: ${main.routeTableId} is the main table of VPC ${main.vpcId}; it belongs to that Vpc (its routeTableId) and cannot be adopted as a RouteTable`,
        },
      ];
    } else {
      const declared = withKnownRefs(news, { vpcId: refs.vpc });
      ({ failures, order } = previewAdoption(RULES, declared, existing && routeTableOutputs(existing, news), account.accountId));
    }
  } else if (existing && olds.vpcId !== undefined) {
    const d = diffRouteTable({ ...(olds as RouteTableOutputs), vpcId: existing.vpcId }, news);
    order = d.replaces.length > 0 ? (choseDeleteFirst(news.ownerRef) ? "replaceDeleteFirst" : "replaceCreateFirst") : d.changes ? "update" : "same";
  } else if (existing) order = "same";
  const entry: PlannedRouteTable = {
    kind: "RouteTable",
    ownerRef: news.ownerRef,
    label: `RouteTable "${nameFromOwnerRef(news.ownerRef) ?? news.ownerRef}"`,
    accountId: account.accountId,
    existingId: existing?.routeTableId,
    order,
    connection: news.connection,
    vpc: { ownerRef: refs.vpc, id: vpcId },
  };
  declare(entry);
  const verdict = await previewRouteTable(client, op, entry);
  await reportDeferred(entry.label, verdict.deferred);
  // The id joins the checked inputs the state keeps, so later runs find an adopted table (no ownerRef of ours).
  const known = existing && (order === "same" || order === "update") ? { routeTableId: existing.routeTableId } : {};
  return { known, failures, violations: verdict.violations as Violation[] };
}

const RULES = { kind: KIND, diff: diffRouteTable };

export const provider = defineProvider<RouteTableInputs, RouteTableOutputs>({
  kind: KIND,
  idKind: "rtb",
  validate: routeTableFailures,
  ruleProperty: "vpcId",
  preview: previewCheck,
  diff: diffRouteTable,

  ...recordLifecycle<RouteTableInputs, RouteTableOutputs, ApiTable, CreateRouteTableBody, UpdateRouteTableBody>({
    kind: KIND,
    noun: "route table",
    label,
    idOf: (t) => t.routeTableId,
    body: (inputs) => ({ vpcId: inputs.vpcId, ownerRef: inputs.ownerRef, ...definedFields(inputs, ["name", "tags"]) }),
    patchable: ["name", "tags"],
    post: (client, op, body, token) => client.createRouteTable(op, body, token),
    find: findRouteTable,
    patch: (client, op, id, patch) => client.patchRouteTable(op, id, patch),
    remove: (client, op, id) => client.deleteRouteTable(op, id),
    outputs: routeTableOutputs,
    inputsFromApi: routeTableInputsFromApi,
    // The main table is the Vpc's: managing it as a RouteTable would try to delete it with the resource.
    refuseRead(t, op, id) {
      if (t.main)
        throw new InvalidStateApiError(
          op,
          `route table ${id} is the main table of VPC ${t.vpcId}; it belongs to that Vpc and cannot be managed as a RouteTable`,
        );
    },
  }),
});
