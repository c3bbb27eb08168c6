// Vpc provider: runs in the dynamic-provider process, loaded by name ("peerlink/dist/provider/impl/vpc.js").
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ApiVpc } from "../client";
import type { VpcInputs, VpcOutputs } from "../types";
import {
  applyFieldRules,
  DiffOutcome,
  Failure,
  hasUnknown,
  knownString,
  nameFromOwnerRef,
  sameTags,
  sameValue,
  subject,
  validateConnection,
  validateName,
  validateRegion,
  validatePeerAccounts,
  validateTags,
  validateVpcCidr,
  violationsToFailures,
  withAccountRule,
} from "../validation";
import type { Violation } from "../../domain";
import { previewVpc, readWorlds, reportDeferred } from "../preview/checks";
import { choseDeleteFirst, declare, Order, PlannedVpc, written } from "../preview/plan";
import { clientFor, configureProvider, connectionFailure, controlPlaneChecksEnabled, createIdempotent, newAccountIfConnectionChanged, withoutHidden } from "./common";

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
 * named by the old inputs' vpcId, else the only one matching the old region, CIDR and name.
 */
async function previewCheck(olds: Partial<VpcInputs & VpcOutputs>, news: VpcInputs): Promise<{ known: Partial<VpcOutputs>; violations: Violation[] }> {
  const client = clientFor(news.connection);
  const op = `checking ${subject(KIND, news.ownerRef)}`;
  const account = await client.getAccount(op);
  const known: Partial<VpcOutputs> = { accountId: account.accountId };
  const { own } = await readWorlds(client, op);
  let existing: ApiVpc | undefined;
  if (olds.region !== undefined) {
    existing = olds.vpcId ? own.vpcs.find((v) => v.vpcId === olds.vpcId) : undefined;
    if (!existing) {
      const matches = own.vpcs.filter(
        (x) => x.region === olds.region && x.cidrBlock === olds.cidrBlock && (olds.name === undefined || x.name === olds.name),
      );
      existing = matches.length === 1 ? matches[0] : undefined;
    }
  }
  let order: Order = "create";
  if (existing) {
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
    cidr: hasUnknown(news.cidrBlock) ? { $unknown: `the cidrBlock of Vpc "${nameFromOwnerRef(news.ownerRef)}" comes from an output not known yet` } : news.cidrBlock,
    name: knownString(news.name),
    allowedPeerAccountIds: hasUnknown(news.allowedPeerAccountIds) ? undefined : (news.allowedPeerAccountIds ?? []),
  };
  declare(entry);
  const verdict = await previewVpc(client, op, entry);
  await reportDeferred(entry.label, verdict.deferred);
  return { known, violations: verdict.violations };
}

export const provider: dynamic.ResourceProvider<VpcInputs, VpcOutputs> = {
  configure: configureProvider,

  async check(olds, news) {
    const inputs = withoutHidden(news);
    const failures = vpcFailures(news);
    if (failures.length > 0 || hasUnknown(news.connection) || !controlPlaneChecksEnabled()) return { inputs, failures };
    try {
      const { known, violations } = await previewCheck(olds ?? {}, news);
      Object.assign(inputs, known);
      return { inputs, failures: violationsToFailures(violations, "region", subject(KIND, news.ownerRef)) };
    } catch (e) {
      return { inputs, failures: [connectionFailure(e)] };
    }
  },

  async diff(_id, olds, news) {
    const d = diffVpc(olds, news, await newAccountIfConnectionChanged(olds.connection, news.connection));
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.replaces.length > 0 && choseDeleteFirst(news.ownerRef) };
  },

  async create(inputs) {
    const op = `creating Vpc (${label(inputs)})`;
    const client = clientFor(inputs.connection);
    const body: Record<string, unknown> = { region: inputs.region, cidrBlock: inputs.cidrBlock };
    if (inputs.name !== undefined) body.name = inputs.name;
    if (inputs.tags !== undefined) body.tags = inputs.tags;
    if (inputs.allowedPeerAccountIds !== undefined) body.allowedPeerAccountIds = inputs.allowedPeerAccountIds;
    const { made } = await createIdempotent(
      inputs.ownerRef,
      body,
      (token) => client.createVpc(op, body, token),
      async (v) => (await client.findVpc(op, v.vpcId)) !== undefined,
    );
    written(inputs.ownerRef, made.vpcId);
    return { id: made.vpcId, outs: vpcOutputs(made, inputs) };
  },

  async read(id, props) {
    const client = clientFor(props?.connection);
    const v = await client.findVpc(`reading Vpc (${id})`, id);
    if (!v) return { id: "", props: {} as VpcOutputs };
    const outs = vpcOutputs(v, props ?? {});
    // Import (no earlier state): also say which inputs reproduce this VPC, so no diff follows.
    return props && props.ownerRef !== undefined ? { id, props: outs } : { id, props: outs, inputs: vpcInputsFromApi(v) as VpcOutputs };
  },

  async update(id, olds, news) {
    const op = `updating Vpc (${label(news, id)})`;
    const client = clientFor(news.connection);
    const patch: Record<string, unknown> = {};
    if (news.name !== undefined && news.name !== olds.name) patch.name = news.name;
    if (news.tags !== undefined && !sameTags(olds.tags, news.tags)) patch.tags = news.tags;
    if (news.allowedPeerAccountIds !== undefined && !sameValue(olds.allowedPeerAccountIds ?? [], news.allowedPeerAccountIds)) {
      patch.allowedPeerAccountIds = news.allowedPeerAccountIds;
    }
    const v = Object.keys(patch).length > 0 ? await client.patchVpc(op, id, patch) : await client.getVpc(op, id);
    return { outs: vpcOutputs(v, news) };
  },

  async delete(id, props) {
    await clientFor(props.connection).deleteVpc(`deleting Vpc (${label(props, id)})`, id);
  },
};
