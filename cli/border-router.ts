// `peerlink border-router list | show <id>`: the caller's border routers (VBRs) as a network engineer reads
// them: the line (VLAN, interconnect subnet, gateways), the on-premises space behind it, its route table's
// routes and its peerings.
import { parseArgs } from "node:util";
import { PeerlinkApiError, type PeerlinkClient } from "../contract";
import type { BorderRouter, Peering, Route } from "../contract/types";
import { NotFoundError, ValidationError } from "../domain";
import type { Table } from "./traffic";

export const BORDER_ROUTER_USAGE = "peerlink border-router list [--region R] [--json] | show <vbr-id> [--json]";

const ID = /^vbr-[0-9a-f]{12}$/;
const HOW_TO_LIST = "list your border routers with `peerlink border-router list`";

export interface BorderRouterDeps {
  /** The API client of the caller's account, from --endpoint/PEERLINK_ENDPOINT and PEERLINK_API_KEY or --api-key-stdin. */
  client: (values: { endpoint?: string; "api-key-stdin"?: boolean }) => Promise<PeerlinkClient>;
  table: Table;
  usage: (message: string) => Error;
}

/** The router's detail: the router, its route table's routes (the Local one included) and the peerings it is an end of. */
export interface BorderRouterDetail {
  borderRouter: BorderRouter;
  routes: Route[];
  peerings: Peering[];
}

const endsAt = (p: Peering, id: string) => p.requester.borderRouterId === id || p.accepter.borderRouterId === id;

/** The other end of a peering seen from the router: a VPC or another border router, with its account. */
function farEnd(p: Peering, id: string): { kind: string; id: string; accountId: string; region: string } {
  const far = p.requester.borderRouterId === id ? p.accepter : p.requester;
  return far.borderRouterId
    ? { kind: "border router", id: far.borderRouterId, accountId: far.accountId, region: far.region ?? "" }
    : { kind: "VPC", id: far.vpcId, accountId: far.accountId, region: far.region ?? "" };
}

export function formatBorderRouterList(list: BorderRouter[], table: Table): string {
  if (list.length === 0) return "no border routers (create one with a BorderRouter resource, or POST /v1/border-routers)";
  const rows = list.map((b) => ({
    ID: b.borderRouterId,
    NAME: b.name,
    REGION: b.region,
    VLAN: b.vlanId,
    INTERCONNECT: b.interconnectCidrBlock,
    "ON-PREMISES": b.onPremisesCidrBlocks.join(","),
    STATE: b.status,
  }));
  return table(rows, ["ID", "NAME", "REGION", "VLAN", "INTERCONNECT", "ON-PREMISES", "STATE"]);
}

export function formatBorderRouter(d: BorderRouterDetail, table: Table): string {
  const b = d.borderRouter;
  const lines = [
    `${b.borderRouterId}${b.name ? ` "${b.name}"` : ""}  ${b.status}`,
    `  account        ${b.accountId}`,
    `  region         ${b.region}`,
    `  VLAN           ${b.vlanId}`,
    `  interconnect   ${b.interconnectCidrBlock} (local gateway ${b.localGatewayIp}, peer gateway ${b.peerGatewayIp})`,
    `  on-premises    ${b.onPremisesCidrBlocks.join(", ")}`,
    `  route table    ${b.routeTableId}`,
    `  may peer       ${b.allowedPeerAccountIds.length > 0 ? b.allowedPeerAccountIds.join(", ") : "(its own account only)"}`,
  ];
  if (Object.keys(b.tags).length > 0)
    lines.push(
      `  tags           ${Object.entries(b.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")}`,
    );
  lines.push("", `routes (${d.routes.length}):`);
  lines.push(
    d.routes.length === 0
      ? "  none"
      : indent(
          table(
            d.routes.map((r) => ({ DESTINATION: r.destinationCidrBlock, "NEXT HOP": r.nextHopType === "Local" ? "local" : r.peeringId, ROUTE: r.routeId })),
            ["DESTINATION", "NEXT HOP", "ROUTE"],
          ),
        ),
  );
  lines.push("", `peerings (${d.peerings.length}):`);
  if (d.peerings.length === 0) lines.push("  none");
  else {
    const rows = d.peerings.map((p) => {
      const far = farEnd(p, b.borderRouterId);
      return {
        ID: p.peeringId,
        ROLE: p.role,
        STATUS: p.status,
        PEER: `${far.kind} ${far.id}`,
        "PEER ACCOUNT": far.accountId,
        "PEER REGION": far.region,
        NAME: p.name,
      };
    });
    lines.push(indent(table(rows, ["ID", "ROLE", "STATUS", "PEER", "PEER ACCOUNT", "PEER REGION", "NAME"])));
  }
  return lines.join("\n");
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");

/** Reads one router and what hangs on it; an unknown id is a NotFound error that says how to list them. */
export async function borderRouterDetail(api: PeerlinkClient, id: string): Promise<BorderRouterDetail> {
  if (!ID.test(id)) throw new ValidationError(`"${id}" is not a border router id (they look like vbr-0123456789ab); ${HOW_TO_LIST}`, { borderRouterId: id });
  let borderRouter: BorderRouter;
  try {
    borderRouter = await api.getBorderRouter(`reading border router ${id}`, id);
  } catch (e) {
    if (e instanceof PeerlinkApiError && e.code === "NotFound") {
      throw new NotFoundError(`border router ${id} does not exist or is not your account's; ${HOW_TO_LIST}`, { borderRouterId: id });
    }
    throw e;
  }
  const table = await api.getRouteTable(`reading the route table of border router ${id}`, borderRouter.routeTableId);
  const peerings = (await api.listPeerings(`listing the peerings of border router ${id}`)).filter((p) => endsAt(p, id));
  return { borderRouter, routes: table.routes, peerings };
}

export async function borderRouterCommand(args: string[], io: { out: (s: string) => void }, deps: BorderRouterDeps): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    throw deps.usage(`${(e as Error).message}; usage: ${BORDER_ROUTER_USAGE}`);
  }
  const { values, positionals } = parsed;
  const [verb, id] = positionals;
  if (verb === "list" && positionals.length === 1) {
    const list = await (await deps.client(values)).listBorderRouters("listing border routers", values.region);
    io.out(values.json ? JSON.stringify(list, null, 2) : formatBorderRouterList(list, deps.table));
    return 0;
  }
  if (verb === "show" && id !== undefined && positionals.length === 2 && values.region === undefined) {
    const detail = await borderRouterDetail(await deps.client(values), id);
    io.out(values.json ? JSON.stringify(detail, null, 2) : formatBorderRouter(detail, deps.table));
    return 0;
  }
  throw deps.usage(`usage: ${BORDER_ROUTER_USAGE}`);
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: { endpoint: { type: "string" }, "api-key-stdin": { type: "boolean" }, json: { type: "boolean" }, region: { type: "string" } },
    strict: true,
    allowPositionals: true,
  });
}
