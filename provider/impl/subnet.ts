// Subnet provider: runs in the dynamic-provider process, loaded by name ("peerlink/dist/provider/impl/subnet.js").

import { findSubnet, type PeerlinkClient } from "../../contract";
import type { Subnet as ApiSubnet, CreateSubnetBody, UpdateSubnetBody } from "../../contract/types";
import type { Violation } from "../../domain";
import { accountOf } from "../facts";
import { previewSubnet, readWorlds, reportDeferred } from "../preview/checks";
import { choseDeleteFirst, declare, type Order, type PlannedSubnet } from "../preview/plan";
import type { SubnetInputs, SubnetOutputs } from "../types";
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
  validateSubnetCidr,
  validateTags,
  validateZone,
  withAccountRule,
} from "../validation";
import { adoptsNow, previewAdoption, withKnownRefs } from "./adopt";
import { definedFields } from "./common";
import { recordLifecycle } from "./crud";
import { defineProvider, type PreviewVerdict } from "./kit";

const KIND = "Subnet";

/** All input failures of a Subnet (pure). */
export function subnetFailures(news: Partial<SubnetInputs>): Failure[] {
  const s = subject(KIND, news.ownerRef);
  return [
    ...validateId(news.vpcId, "vpc", "vpcId", s),
    ...validateSubnetCidr(news.cidrBlock, "cidrBlock", s),
    ...validateZone(news.zone, "zone", s),
    ...validateId(news.routeTableId, "rtb", "routeTableId", s, false),
    ...validateName(news.name, "name", s),
    ...validateTags(news.tags, "tags", s),
    ...validateConnection(news.connection, "connection", s),
  ];
}

/** vpcId, cidrBlock and zone replace; the route table association, name and tags update in place (pure). */
export function diffSubnet(olds: SubnetOutputs, news: SubnetInputs, newAccountId?: string): DiffOutcome {
  const d = applyFieldRules<SubnetOutputs, SubnetInputs>(olds, news, [
    { property: "vpcId", kind: "replace", same: (o, n) => o.vpcId === n.vpcId },
    { property: "cidrBlock", kind: "replace", same: (o, n) => o.cidrBlock === n.cidrBlock },
    { property: "zone", kind: "replace", same: (o, n) => (n.zone ?? "") === (o.zone ?? "") },
    // Omitted routeTableId, name and tags are not managed: an imported subnet keeps its own.
    { property: "routeTableId", kind: "update", same: (o, n) => n.routeTableId === undefined || o.routeTableId === n.routeTableId },
    { property: "name", kind: "update", same: (o, n) => n.name === undefined || o.name === n.name },
    { property: "tags", kind: "update", same: (o, n) => n.tags === undefined || sameTags(o.tags, n.tags) },
  ]);
  return withAccountRule(d, olds.accountId, newAccountId);
}

export function subnetOutputs(s: ApiSubnet, inputs: Partial<SubnetInputs>): SubnetOutputs {
  const outs: SubnetOutputs = {
    subnetId: s.subnetId,
    vpcId: s.vpcId,
    accountId: s.accountId,
    cidrBlock: s.cidrBlock,
    zone: s.zone,
    name: s.name,
    tags: s.tags,
    routeTableId: s.routeTableId,
    status: s.status,
    ownerRef: inputs.ownerRef ?? "",
  };
  if (inputs.connection) outs.connection = inputs.connection;
  return outs;
}

/** Inputs as a user would write them for this subnet (read for import). */
export function subnetInputsFromApi(s: ApiSubnet): Partial<SubnetInputs> {
  const inputs: Partial<SubnetInputs> = { vpcId: s.vpcId, cidrBlock: s.cidrBlock, routeTableId: s.routeTableId };
  if (s.zone) inputs.zone = s.zone;
  if (s.name) inputs.name = s.name;
  if (Object.keys(s.tags).length > 0) inputs.tags = s.tags;
  return inputs;
}

function label(inputs: Partial<SubnetInputs>, id?: string): string {
  return [id, nameFromOwnerRef(inputs.ownerRef), knownString(inputs.cidrBlock)].filter((x) => x).join(" ");
}

/**
 * Declares the subnet in the program's plan and evaluates its rules over the projected world. The subnet
 * is this resource's when it has the old subnetId, or was made by this resource (its ownerRef).
 */
async function previewCheck(client: PeerlinkClient, olds: Partial<SubnetInputs & SubnetOutputs>, news: SubnetInputs): Promise<PreviewVerdict<SubnetOutputs>> {
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
  const subnets = own.subnets ?? [];
  let existing = (olds.subnetId ? subnets.find((s) => s.subnetId === olds.subnetId) : undefined) ?? subnets.find((s) => s.ownerRef === news.ownerRef);
  let order: Order = "create";
  let failures: Failure[] = [];
  if (adoptsNow(olds, news)) {
    existing = subnets.find((s) => s.subnetId === news.importId);
    const declared = withKnownRefs(news, { vpcId: refs.vpc, routeTableId: refs.routeTable });
    ({ failures, order } = previewAdoption(RULES, declared, existing && subnetOutputs(existing, news), account.accountId));
  } else if (existing && olds.vpcId !== undefined) {
    const d = diffSubnet({ ...(olds as SubnetOutputs), routeTableId: existing.routeTableId }, news);
    order = d.replaces.length > 0 ? (choseDeleteFirst(news.ownerRef) ? "replaceDeleteFirst" : "replaceCreateFirst") : d.changes ? "update" : "same";
  } else if (existing) order = "same"; // made by an interrupted create of this resource
  const tableId = knownString(news.routeTableId);
  const mainOfOwnVpc = refs.mainTableOf !== undefined && refs.mainTableOf === refs.vpc;
  // The table of another resource of the program (a BorderRouter's, or another Vpc's main one): named by that resource.
  const tableOfOther = refs.mainTableOf !== undefined && !mainOfOwnVpc ? refs.mainTableOf : undefined;
  const label = `Subnet "${nameFromOwnerRef(news.ownerRef) ?? news.ownerRef}"`;
  const entry: PlannedSubnet = {
    kind: "Subnet",
    ownerRef: news.ownerRef,
    label,
    accountId: account.accountId,
    existingId: existing?.subnetId,
    order,
    connection: news.connection,
    vpc: { ownerRef: refs.vpc, id: vpcId },
    // Omitted or the VPC's own main table: the main table. Another table: by its RouteTable or its id.
    routeTable:
      news.routeTableId === undefined || mainOfOwnVpc
        ? undefined
        : refs.routeTable || tableId || tableOfOther
          ? { ownerRef: refs.routeTable ?? tableOfOther, id: tableId }
          : { ownerRef: undefined, id: `unknown:route table of ${label}` },
    cidr: hasUnknown(news.cidrBlock) ? { $unknown: `the cidrBlock of ${label} comes from an output not known yet` } : news.cidrBlock,
  };
  declare(entry);
  const verdict = await previewSubnet(client, op, entry);
  await reportDeferred(label, verdict.deferred);
  // The id joins the checked inputs the state keeps, so later runs find an adopted subnet (no ownerRef of ours).
  const known = existing && (order === "same" || order === "update") ? { subnetId: existing.subnetId } : {};
  return { known, failures, violations: verdict.violations as Violation[] };
}

const RULES = { kind: KIND, diff: diffSubnet };

export const provider = defineProvider<SubnetInputs, SubnetOutputs>({
  kind: KIND,
  idKind: "subnet",
  validate: subnetFailures,
  ruleProperty: "cidrBlock",
  preview: previewCheck,
  diff: diffSubnet,

  ...recordLifecycle<SubnetInputs, SubnetOutputs, ApiSubnet, CreateSubnetBody, UpdateSubnetBody>({
    kind: KIND,
    noun: "subnet",
    label,
    idOf: (s) => s.subnetId,
    body: (inputs) => ({
      vpcId: inputs.vpcId,
      cidrBlock: inputs.cidrBlock,
      ownerRef: inputs.ownerRef,
      ...definedFields(inputs, ["zone", "routeTableId", "name", "tags"]),
    }),
    patchable: ["routeTableId", "name", "tags"],
    post: (client, op, body, token) => client.createSubnet(op, body, token),
    find: findSubnet,
    patch: (client, op, id, patch) => client.patchSubnet(op, id, patch),
    remove: (client, op, id) => client.deleteSubnet(op, id),
    outputs: subnetOutputs,
    inputsFromApi: subnetInputsFromApi,
  }),
});
