// What the end-to-end tests ask the control plane directly: the truth that `pulumi` claims to have made.
import axios from "axios";

export interface Account {
  accountId: string;
  apiKey: string;
}

export function api(url: string, account: Account) {
  const http = axios.create({
    baseURL: url,
    headers: { Authorization: `Bearer ${account.apiKey}` },
    validateStatus: () => true,
    timeout: 30000,
  });
  return {
    async vpcs(): Promise<any[]> {
      return (await http.get("/v1/vpcs")).data.vpcs;
    },
    async peerings(): Promise<any[]> {
      return (await http.get("/v1/peering-connections")).data.peeringConnections;
    },
    async livePeerings(): Promise<any[]> {
      const all = await this.peerings();
      return all.filter((p) => !["Deleted", "Rejected", "Expired"].includes(p.state));
    },
    async routes(routeTableId: string): Promise<any[]> {
      return (await http.get(`/v1/route-tables/${routeTableId}/routes`)).data.routes;
    },
    async createVpc(body: object): Promise<any> {
      const res = await http.post("/v1/vpcs", body);
      if (res.status >= 300) throw new Error(`create VPC: ${res.status} ${JSON.stringify(res.data)}`);
      return res.data;
    },
    async createPeering(body: object): Promise<any> {
      const res = await http.post("/v1/peering-connections", body);
      if (res.status >= 300) throw new Error(`create peering: ${res.status} ${JSON.stringify(res.data)}`);
      return res.data;
    },
    async waitForPeering(id: string, states: string[]): Promise<any> {
      const res = await http.get(`/v1/peering-connections/${id}`, {
        params: { waitFor: states.join(","), timeoutMs: 20000 },
      });
      return res.data;
    },
    async createRoute(routeTableId: string, body: object): Promise<any> {
      const res = await http.post(`/v1/route-tables/${routeTableId}/routes`, body);
      if (res.status >= 300) throw new Error(`create route: ${res.status} ${JSON.stringify(res.data)}`);
      return res.data;
    },
    async deletePeering(id: string): Promise<number> {
      return (await http.delete(`/v1/peering-connections/${id}`)).status;
    },
    async deleteRoute(routeTableId: string, routeId: string): Promise<number> {
      return (await http.delete(`/v1/route-tables/${routeTableId}/routes/${routeId}`)).status;
    },
    async deleteVpc(id: string): Promise<number> {
      return (await http.delete(`/v1/vpcs/${id}`)).status;
    },
    async patchPeering(id: string, body: object): Promise<any> {
      return (await http.patch(`/v1/peering-connections/${id}`, body)).data;
    },
  };
}

/** Every VPC, route and live peering the account can see: what "nothing left" is checked against. */
export async function inventory(url: string, account: Account) {
  const client = api(url, account);
  const vpcs = await client.vpcs();
  const peerings = await client.livePeerings();
  const routes: any[] = [];
  for (const vpc of vpcs) {
    routes.push(...(await client.routes(vpc.routeTableId)).filter((r) => r.nextHopType !== "Local"));
  }
  return { vpcs, peerings, routes };
}
