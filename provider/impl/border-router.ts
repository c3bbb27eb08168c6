// BorderRouter provider (issue 11): runs in the dynamic-provider process, loaded by name
// ("peerlink/dist/provider/impl/border-router.js").

import { findBorderRouter, type PeerlinkClient } from "../../contract";
import type { BorderRouter as ApiRouter, CreateBorderRouterBody, UpdateBorderRouterBody } from "../../contract/types";
import { borderRouterFieldViolations, type Violation } from "../../domain";
import { accountOf } from "../facts";
import { previewBorderRouter, readWorlds, reportDeferred } from "../preview/checks";
import { choseDeleteFirst, declare, type Order, type PlannedBorderRouter } from "../preview/plan";
import type { BorderRouterInputs, BorderRouterOutputs } from "../types";
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
  withAccountRule,
} from "../validation";
import { adoptsNow, previewAdoption } from "./adopt";
import { definedFields } from "./common";
import { recordLifecycle } from "./crud";
import { defineProvider, type PreviewVerdict } from "./kit";

const KIND = "BorderRouter";
const LINE_FIELDS = ["vlanId", "interconnectCidrBlock", "localGatewayIp", "peerGatewayIp", "onPremisesCidrBlocks"] as const;

/** All input failures of a BorderRouter (pure): the line's own fields through the domain's rules. */
export function borderRouterFailures(news: Partial<BorderRouterInputs>): Failure[] {
  const s = subject(KIND, news.ownerRef);
  const line = LINE_FIELDS.some((k) => hasUnknown(news[k]))
    ? []
    : borderRouterFieldViolations({
        vlanId: news.vlanId,
        interconnectCidrBlock: news.interconnectCidrBlock,
        localGatewayIp: news.localGatewayIp,
        peerGatewayIp: news.peerGatewayIp,
        onPremisesCidrBlocks: news.onPremisesCidrBlocks,
      }).map((v) => ({ property: (v.field ?? "vlanId").replace(/\[\d+\]$/, ""), reason: `${s}: ${v.code}: ${v.message}` }));
  return [
    ...validateRegion(news.region, "region", s),
    ...line,
    ...validateName(news.name, "name", s),
    ...validateTags(news.tags, "tags", s),
    ...validatePeerAccounts(news.allowedPeerAccountIds, "allowedPeerAccountIds", s),
    ...validateConnection(news.connection, "connection", s),
  ];
}

/** The region and the line's fields replace; name, tags and the peer listing update in place (pure). */
export function diffBorderRouter(olds: BorderRouterOutputs, news: BorderRouterInputs, newAccountId?: string): DiffOutcome {
  const d = applyFieldRules<BorderRouterOutputs, BorderRouterInputs>(olds, news, [
    { property: "region", kind: "replace", same: (o, n) => o.region === n.region },
    ...LINE_FIELDS.map((k) => ({ property: k, kind: "replace" as const, same: (o: BorderRouterOutputs, n: BorderRouterInputs) => sameValue(o[k], n[k]) })),
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

/** The API's fields as outputs, less its times; the ownerRef and connection are the resource's. */
export function borderRouterOutputs(b: ApiRouter, inputs: Partial<BorderRouterInputs>): BorderRouterOutputs {
  const { createdAt: _created, updatedAt: _updated, ownerRef: _stored, ...fields } = b;
  return { ...fields, ownerRef: inputs.ownerRef ?? "", ...(inputs.connection ? { connection: inputs.connection } : {}) };
}

/** Inputs as a user would write them for this router (read for import). */
export function borderRouterInputsFromApi(b: ApiRouter): Partial<BorderRouterInputs> {
  const inputs: Partial<BorderRouterInputs> = { region: b.region, ...definedFields(b, LINE_FIELDS) };
  if (b.name) inputs.name = b.name;
  if (Object.keys(b.tags).length > 0) inputs.tags = b.tags;
  if (b.allowedPeerAccountIds.length > 0) inputs.allowedPeerAccountIds = b.allowedPeerAccountIds;
  return inputs;
}

function label(inputs: Partial<BorderRouterInputs>, id?: string): string {
  const vlan = typeof inputs.vlanId === "number" ? `VLAN ${inputs.vlanId}` : undefined;
  return [id, nameFromOwnerRef(inputs.ownerRef), vlan].filter((x) => x).join(" ");
}

const fact = <T>(v: T, what: string): T | { $unknown: string } => (hasUnknown(v) ? { $unknown: `${what} comes from an output not known yet` } : v);

/** Declares the router in the program's plan and evaluates its rules (the VLAN among stored and planned routers). */
async function previewCheck(
  client: PeerlinkClient,
  olds: Partial<BorderRouterInputs & BorderRouterOutputs>,
  news: BorderRouterInputs,
): Promise<PreviewVerdict<BorderRouterOutputs>> {
  const op = `checking ${subject(KIND, news.ownerRef)}`;
  const account = await accountOf(client, op);
  const { own } = await readWorlds(client, op);
  const routers = own.borderRouters ?? [];
  let existing =
    (olds.borderRouterId ? routers.find((b) => b.borderRouterId === olds.borderRouterId) : undefined) ?? routers.find((b) => b.ownerRef === news.ownerRef);
  let order: Order = "create";
  let failures: Failure[] = [];
  if (adoptsNow(olds, news)) {
    existing = routers.find((b) => b.borderRouterId === news.importId);
    ({ failures, order } = previewAdoption(RULES, news, existing && borderRouterOutputs(existing, news), account.accountId));
  } else if (existing && olds.region !== undefined) {
    const d = diffBorderRouter(olds as BorderRouterOutputs, news);
    order = d.replaces.length > 0 ? (choseDeleteFirst(news.ownerRef) ? "replaceDeleteFirst" : "replaceCreateFirst") : d.changes ? "update" : "same";
  } else if (existing) order = "same"; // made by an interrupted create of this resource
  const entry: PlannedBorderRouter = {
    kind: "BorderRouter",
    ownerRef: news.ownerRef,
    label: `BorderRouter "${nameFromOwnerRef(news.ownerRef) ?? news.ownerRef}"`,
    accountId: account.accountId,
    existingId: existing?.borderRouterId,
    order,
    connection: news.connection,
    region: fact(news.region, "the region"),
    vlanId: fact(news.vlanId, "the VLAN id"),
    interconnectCidr: fact(news.interconnectCidrBlock, "the interconnect subnet"),
    localGatewayIp: fact(news.localGatewayIp, "the local gateway IP"),
    peerGatewayIp: fact(news.peerGatewayIp, "the peer gateway IP"),
    onPremCidrs: fact(news.onPremisesCidrBlocks, "the on-premises blocks"),
    name: knownString(news.name),
    allowedPeerAccountIds: hasUnknown(news.allowedPeerAccountIds) ? undefined : (news.allowedPeerAccountIds ?? []),
  };
  declare(entry);
  const verdict = await previewBorderRouter(client, op, entry);
  await reportDeferred(entry.label, verdict.deferred);
  return {
    failures,
    violations: verdict.violations as Violation[],
    // The id joins the checked inputs the state keeps, so later runs find an adopted router (no ownerRef of ours).
    known: existing && (order === "same" || order === "update") ? { routeTableId: existing.routeTableId, borderRouterId: existing.borderRouterId } : {},
  };
}

const RULES = { kind: KIND, diff: diffBorderRouter };

export const provider = defineProvider<BorderRouterInputs, BorderRouterOutputs>({
  kind: KIND,
  idKind: "vbr",
  validate: borderRouterFailures,
  ruleProperty: "vlanId",
  preview: previewCheck,
  diff: diffBorderRouter,

  ...recordLifecycle<BorderRouterInputs, BorderRouterOutputs, ApiRouter, CreateBorderRouterBody, UpdateBorderRouterBody>({
    kind: KIND,
    noun: "border router",
    label,
    idOf: (b) => b.borderRouterId,
    body: (inputs) => ({
      region: inputs.region,
      vlanId: inputs.vlanId,
      interconnectCidrBlock: inputs.interconnectCidrBlock,
      localGatewayIp: inputs.localGatewayIp,
      peerGatewayIp: inputs.peerGatewayIp,
      onPremisesCidrBlocks: inputs.onPremisesCidrBlocks,
      ownerRef: inputs.ownerRef,
      ...definedFields(inputs, ["name", "tags", "allowedPeerAccountIds"]),
    }),
    patchable: ["name", "tags", "allowedPeerAccountIds"],
    post: (client, op, body, token) => client.createBorderRouter(op, body, token),
    find: findBorderRouter,
    patch: (client, op, id, patch) => client.patchBorderRouter(op, id, patch),
    remove: (client, op, id) => client.deleteBorderRouter(op, id),
    outputs: borderRouterOutputs,
    inputsFromApi: borderRouterInputsFromApi,
  }),
});
