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
  withAccountRule,
} from "../validation";
import { clientFor, configureProvider, createIdempotent, newAccountIfConnectionChanged, withoutHidden } from "./common";

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
 * Outputs that dependents need during a preview (when the engine shows a dynamic resource's checked
 * inputs as its outputs): the account, and for an existing VPC that is not being replaced its id and
 * route table. The VPC is the one named by the old inputs' vpcId, else the only one matching the old
 * region, CIDR and name.
 */
async function knownOutputs(olds: Partial<VpcInputs & VpcOutputs>, news: VpcInputs): Promise<Partial<VpcOutputs>> {
  const client = clientFor(news.connection);
  const op = `checking ${subject(KIND, news.ownerRef)}`;
  const out: Partial<VpcOutputs> = { accountId: (await client.getAccount(op)).accountId };
  if (olds.region === undefined || olds.region !== news.region || olds.cidrBlock !== news.cidrBlock) return out;
  let v: ApiVpc | undefined = olds.vpcId ? await client.findVpc(op, olds.vpcId) : undefined;
  if (!v) {
    const matches = (await client.listVpcs(op)).filter(
      (x) => x.region === olds.region && x.cidrBlock === olds.cidrBlock && (olds.name === undefined || x.name === olds.name),
    );
    v = matches.length === 1 ? matches[0] : undefined;
  }
  if (v && v.region === news.region && v.cidrBlock === news.cidrBlock) {
    out.vpcId = v.vpcId;
    out.routeTableId = v.routeTableId;
  }
  return out;
}

export const provider: dynamic.ResourceProvider<VpcInputs, VpcOutputs> = {
  configure: configureProvider,

  async check(olds, news) {
    const inputs = withoutHidden(news);
    const failures = vpcFailures(news);
    if (failures.length === 0 && !hasUnknown(news.connection)) {
      try {
        Object.assign(inputs, await knownOutputs(olds ?? {}, news));
      } catch {
        // Best effort, for previews only: create and update report connection problems themselves.
      }
    }
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    const d = diffVpc(olds, news, await newAccountIfConnectionChanged(olds.connection, news.connection));
    return { changes: d.changes, replaces: d.replaces };
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
