// Vpc provider: runs in the dynamic-provider process, loaded by name ("peerlink/dist/provider/impl/vpc.js").
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ApiVpc } from "../client";
import type { VpcInputs, VpcOutputs } from "../types";
import {
  applyFieldRules,
  DiffOutcome,
  Failure,
  knownString,
  sameTags,
  subject,
  validateConnection,
  validateName,
  validateRegion,
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
  return inputs;
}

function label(inputs: Partial<VpcInputs>, id?: string): string {
  const name = knownString(inputs.name) ?? subject("", inputs.ownerRef).replace(/^ "|"$/g, "").trim();
  return [id, name, inputs.cidrBlock].filter((x) => x).join(" ");
}

export const provider: dynamic.ResourceProvider<VpcInputs, VpcOutputs> = {
  configure: configureProvider,

  async check(_olds, news) {
    return { inputs: withoutHidden(news), failures: vpcFailures(news) };
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
    const v = Object.keys(patch).length > 0 ? await client.patchVpc(op, id, patch) : await client.getVpc(op, id);
    return { outs: vpcOutputs(v, news) };
  },

  async delete(id, props) {
    await clientFor(props.connection).deleteVpc(`deleting Vpc (${id} ${props.cidrBlock ?? ""})`.replace(" )", ")"), id);
  },
};
