// Vpc provider: runs in the dynamic-provider process, loaded by name ("peerlink/dist/provider/impl/vpc.js").

import { findVpc, type PeerlinkClient } from "../../contract";
import type { Vpc as ApiVpc, CreateVpcBody, UpdateVpcBody } from "../../contract/types";
import type { Violation } from "../../domain";
import { accountOf } from "../facts";
import { previewVpc, readWorlds, reportDeferred } from "../preview/checks";
import { choseDeleteFirst, declare, type Order, type PlannedVpc } from "../preview/plan";
import type { VpcInputs, VpcOutputs } from "../types";
import {
  applyFieldRules,
  type DiffOutcome,
  type Failure,
  hasUnknown,
  knownString,
  nameFromOwnerRef,
  sameTags,
  sameValue,
  subject,
  validateConnection,
  validateName,
  validatePeerAccounts,
  validateRegion,
  validateTags,
  validateVpcCidr,
  withAccountRule,
} from "../validation";
import { adoptsNow, previewAdoption } from "./adopt";
import { definedFields } from "./common";
import { recordLifecycle } from "./crud";
import { defineProvider, type PreviewVerdict } from "./kit";

const KIND = "Vpc";

/** All input failures of a Vpc (pure). */
export function vpcFailures(news: Partial<VpcInputs>): Failure[] {
  const s = subject(KIND, news.ownerRef);
  return [
    ...validateRegion(news.region, "region", s),
    ...validateVpcCidr(news.cidrBlock, "cidrBlock", s),
    ...validateName(news.name, "name", s),
    ...validateTags(news.tags, "tags", s),
    ...validatePeerAccounts(news.allowedPeerAccountIds, "allowedPeerAccountIds", s),
    ...validateConnection(news.connection, "connection", s),
  ];
}

/** region and cidrBlock replace; name and tags update in place; another account replaces (pure). */
export function diffVpc(olds: VpcOutputs, news: VpcInputs, newAccountId?: string): DiffOutcome {
  const d = applyFieldRules<VpcOutputs, VpcInputs>(olds, news, [
    { property: "region", kind: "replace", same: (o, n) => o.region === n.region },
    { property: "cidrBlock", kind: "replace", same: (o, n) => o.cidrBlock === n.cidrBlock },
    // Omitted name/tags are not managed: an imported VPC keeps its own.
    { property: "name", kind: "update", same: (o, n) => n.name === undefined || o.name === n.name },
    { property: "tags", kind: "update", same: (o, n) => n.tags === undefined || sameTags(o.tags, n.tags) },
    {
      property: "allowedPeerAccountIds",
      kind: "update",
      same: (o, n) => n.allowedPeerAccountIds === undefined || sameValue(o.allowedPeerAccountIds ?? [], n.allowedPeerAccountIds),
    },
  ]);
  return withAccountRule(d, olds.accountId, newAccountId);
}

export function vpcOutputs(v: ApiVpc, inputs: Partial<VpcInputs>): VpcOutputs {
  const outs: VpcOutputs = {
    vpcId: v.vpcId,
    accountId: v.accountId,
    routeTableId: v.routeTableId,
    region: v.region,
    cidrBlock: v.cidrBlock,
    name: v.name ?? "",
    tags: v.tags ?? {},
    allowedPeerAccountIds: v.allowedPeerAccountIds ?? [],
    status: v.status,
    ownerRef: inputs.ownerRef ?? "",
  };
  if (inputs.connection) outs.connection = inputs.connection;
  return outs;
}

/** Inputs as a user would write them for this VPC (read for import). */
export function vpcInputsFromApi(v: ApiVpc): Partial<VpcInputs> {
  const inputs: Partial<VpcInputs> = { region: v.region, cidrBlock: v.cidrBlock };
  if (v.name) inputs.name = v.name;
  if (v.tags && Object.keys(v.tags).length > 0) inputs.tags = v.tags;
  if (v.allowedPeerAccountIds && v.allowedPeerAccountIds.length > 0) inputs.allowedPeerAccountIds = v.allowedPeerAccountIds;
  return inputs;
}

/** "vpc-123 app 10.0.0.0/16" for operation names: the id, the resource name and the CIDR, as known. */
function label(inputs: Partial<VpcInputs>, id?: string): string {
  return [id, nameFromOwnerRef(inputs.ownerRef) ?? knownString(inputs.name), knownString(inputs.cidrBlock)].filter((x) => x).join(" ");
}

/**
 * Declares the VPC in the program's plan and evaluates its rules; returns the outputs dependents need
 * during a preview (when the engine shows a dynamic resource's checked inputs as its outputs): the
 * account, and for an existing VPC that is not being replaced its id and route table. The VPC is the one
 * named by the old inputs' vpcId, else the only one matching the old region, CIDR and name, else the one
 * it adopts (`importId`).
 */
async function previewCheck(client: PeerlinkClient, olds: Partial<VpcInputs & VpcOutputs>, news: VpcInputs): Promise<PreviewVerdict<VpcOutputs>> {
  const op = `checking ${subject(KIND, news.ownerRef)}`;
  const account = await accountOf(client, op);
  const known: Partial<VpcOutputs> = { accountId: account.accountId };
  const { own } = await readWorlds(client, op);
  let existing: ApiVpc | undefined;
  if (olds.region !== undefined) {
    existing = olds.vpcId ? own.vpcs.find((v) => v.vpcId === olds.vpcId) : undefined;
    if (!existing) {
      const matches = own.vpcs.filter((x) => x.region === olds.region && x.cidrBlock === olds.cidrBlock && (olds.name === undefined || x.name === olds.name));
      existing = matches.length === 1 ? matches[0] : undefined;
    }
  }
  let order: Order = "create";
  let failures: Failure[] = [];
  if (adoptsNow(olds, news)) {
    const found = own.vpcs.find((v) => v.vpcId === news.importId);
    ({ failures, order } = previewAdoption(RULES, news, found && vpcOutputs(found, news), account.accountId));
    existing = found;
    if (found) {
      known.vpcId = found.vpcId;
      known.routeTableId = found.routeTableId;
    }
  } else if (existing) {
    const d = diffVpc({ ...(olds as VpcOutputs), region: existing.region, cidrBlock: existing.cidrBlock }, news);
    order = d.replaces.length > 0 ? (choseDeleteFirst(news.ownerRef) ? "replaceDeleteFirst" : "replaceCreateFirst") : d.changes ? "update" : "same";
    if (order === "same" || order === "update") {
      known.vpcId = existing.vpcId;
      known.routeTableId = existing.routeTableId;
    }
  }
  const entry: PlannedVpc = {
    kind: "Vpc",
    ownerRef: news.ownerRef,
    label: `VPC "${nameFromOwnerRef(news.ownerRef) ?? news.ownerRef}"`,
    accountId: account.accountId,
    existingId: existing?.vpcId,
    order,
    connection: news.connection,
    region: hasUnknown(news.region) ? { $unknown: `the region of Vpc "${nameFromOwnerRef(news.ownerRef)}" comes from an output not known yet` } : news.region,
    cidr: hasUnknown(news.cidrBlock)
      ? { $unknown: `the cidrBlock of Vpc "${nameFromOwnerRef(news.ownerRef)}" comes from an output not known yet` }
      : news.cidrBlock,
    name: knownString(news.name),
    allowedPeerAccountIds: hasUnknown(news.allowedPeerAccountIds) ? undefined : (news.allowedPeerAccountIds ?? []),
  };
  declare(entry);
  const verdict = await previewVpc(client, op, entry);
  await reportDeferred(entry.label, verdict.deferred);
  return { known, failures, violations: verdict.violations as Violation[] };
}

const RULES = { kind: KIND, diff: diffVpc };

export const provider = defineProvider<VpcInputs, VpcOutputs>({
  kind: KIND,
  idKind: "vpc",
  validate: vpcFailures,
  ruleProperty: "region",
  preview: previewCheck,
  diff: diffVpc,

  ...recordLifecycle<VpcInputs, VpcOutputs, ApiVpc, CreateVpcBody, UpdateVpcBody>({
    kind: KIND,
    noun: "VPC",
    label,
    idOf: (v) => v.vpcId,
    body: (inputs) => ({ region: inputs.region, cidrBlock: inputs.cidrBlock, ...definedFields(inputs, ["name", "tags", "allowedPeerAccountIds"]) }),
    patchable: ["name", "tags", "allowedPeerAccountIds"],
    post: (client, op, body, token) => client.createVpc(op, body, token),
    find: findVpc,
    patch: (client, op, id, patch) => client.patchVpc(op, id, patch),
    remove: (client, op, id) => client.deleteVpc(op, id),
    outputs: vpcOutputs,
    inputsFromApi: vpcInputsFromApi,
  }),
});
