// What the end-to-end tests ask the control plane directly: the truth that `pulumi` claims to have made.
import { createClient } from "../../contract";
import type {
  BorderRouter,
  CreatePeeringBody,
  CreateRouteBody,
  CreateVpcBody,
  Peering,
  Route,
  RouteTableSummary,
  Subnet,
  UpdatePeeringBody,
  Vpc,
} from "../../contract/types";
import { FINAL_STATES } from "../../domain";

export interface Account {
  accountId: string;
  apiKey: string;
}

/** The contract's client, for an account; deletes answer their HTTP status. */
export function api(url: string, account: Account) {
  const c = createClient({ endpoint: url, apiKey: account.apiKey }, { retries: 1 });
  const status = async (path: string) => (await c.transport.raw(`DELETE ${path}`, "DELETE", path)).status;
  return {
    vpcs: (): Promise<Vpc[]> => c.listVpcs("listing VPCs"),
    peerings: (): Promise<Peering[]> => c.listPeerings("listing peerings"),
    async livePeerings(): Promise<Peering[]> {
      return (await this.peerings()).filter((p) => !FINAL_STATES.includes(p.state) && p.state !== "Expired");
    },
    subnets: (): Promise<Subnet[]> => c.listSubnets("listing subnets"),
    routeTables: (): Promise<RouteTableSummary[]> => c.listRouteTables("listing route tables"),
    borderRouters: (): Promise<BorderRouter[]> => c.listBorderRouters("listing border routers"),
    routes: async (routeTableId: string): Promise<Route[]> => (await c.getRouteTable("reading routes", routeTableId)).routes,
    createVpc: async (body: CreateVpcBody): Promise<Vpc> => (await c.transport.raw<Vpc>("creating VPC", "POST", "/v1/vpcs", { body })).data,
    createPeering: async (body: CreatePeeringBody): Promise<Peering> =>
      (await c.transport.raw<Peering>("creating peering", "POST", "/v1/peering-connections", { body })).data,
    /** One long-poll of up to 20 s for one of `states`. */
    waitForPeering: (id: string, states: string[]): Promise<Peering> => c.pollPeering("waiting for peering", id, states, 20_000),
    createRoute: async (routeTableId: string, body: CreateRouteBody): Promise<Route> =>
      (await c.transport.raw<Route>("creating route", "POST", `/v1/route-tables/${routeTableId}/routes`, { body })).data,
    deletePeering: (id: string): Promise<number> => status(`/v1/peering-connections/${id}`),
    deleteRoute: (routeTableId: string, routeId: string): Promise<number> => status(`/v1/route-tables/${routeTableId}/routes/${routeId}`),
    deleteVpc: (id: string): Promise<number> => status(`/v1/vpcs/${id}`),
    patchPeering: (id: string, body: UpdatePeeringBody): Promise<Peering> => c.patchPeering("updating peering", id, body),
  };
}

/** Every VPC, subnet, route table, route and live peering the account can see: what "nothing left" is checked against. */
export async function inventory(url: string, account: Account) {
  const client = api(url, account);
  const vpcs = await client.vpcs();
  const peerings = await client.livePeerings();
  const subnets = await client.subnets();
  const routeTables = await client.routeTables();
  const borderRouters = await client.borderRouters();
  const routes: Route[] = [];
  for (const id of [...routeTables.map((t) => t.routeTableId), ...borderRouters.map((b) => b.routeTableId)]) {
    routes.push(...(await client.routes(id)).filter((r) => r.nextHopType !== "Local"));
  }
  return { vpcs, peerings, routes, subnets, routeTables, borderRouters };
}
