// The one typed HTTP client of the control plane: the provider, the CLI and the tests all call it. Each
// method is one request of the contract (contract/schemas/); its types are the schemas' static types.
// Not-found and waiting live in contract/lifecycle.ts, transport and retries in contract/transport.ts.

import { type Answer, type Endpoint, Transport, type TransportOptions } from "./transport";
import type * as W from "./types";

const seg = encodeURIComponent;

export class PeerlinkClient {
  readonly transport: Transport;

  constructor(conn: Endpoint, opts: TransportOptions = {}) {
    this.transport = new Transport(conn, opts);
  }

  get endpoint(): string {
    return this.transport.endpoint;
  }

  // --- the caller's account ------------------------------------------------------------------
  getAccount(op = "reading account"): Promise<W.Account> {
    return this.transport.request(op, "GET", "/v1/account");
  }
  async getQuotas(op = "reading quotas"): Promise<W.Quota[]> {
    return (await this.transport.request<W.Quotas>(op, "GET", "/v1/quotas")).quotas;
  }
  /** Everything the caller can see that the rules read, in one request. */
  getWorld(op = "reading what the account can see"): Promise<W.World> {
    return this.transport.request(op, "GET", "/v1/world");
  }
  /** Can `source` reach `destination` (an address, a subnet id or a VPC id), and replies come back? */
  reachability(op: string, body: W.ReachabilityBody): Promise<W.ReachabilityAnswer> {
    return this.transport.request(op, "POST", "/v1/reachability", { body, readOnly: true });
  }
  getRegions(op = "reading regions"): Promise<W.Regions> {
    return this.transport.request(op, "GET", "/v1/regions");
  }
  async listEvents(op: string, query: W.EventsQuery = {}): Promise<W.AuditEvent[]> {
    return (await this.transport.request<{ events: W.AuditEvent[] }>(op, "GET", "/v1/events", { params: query })).events;
  }

  // --- VPCs ----------------------------------------------------------------------------------
  createVpc(op: string, body: W.CreateVpcBody, idempotencyKey: string): Promise<Answer<W.Vpc>> {
    return this.transport.raw(op, "POST", "/v1/vpcs", { body, idempotencyKey });
  }
  getVpc(op: string, vpcId: string): Promise<W.Vpc> {
    return this.transport.request(op, "GET", `/v1/vpcs/${seg(vpcId)}`);
  }
  async listVpcs(op: string): Promise<W.Vpc[]> {
    return (await this.transport.request<{ vpcs: W.Vpc[] }>(op, "GET", "/v1/vpcs")).vpcs;
  }
  patchVpc(op: string, vpcId: string, body: W.UpdateVpcBody): Promise<W.Vpc> {
    return this.transport.request(op, "PATCH", `/v1/vpcs/${seg(vpcId)}`, { body });
  }
  async deleteVpc(op: string, vpcId: string): Promise<void> {
    await this.transport.request(op, "DELETE", `/v1/vpcs/${seg(vpcId)}`);
  }

  // --- route tables and routes -----------------------------------------------------------------
  getRouteTable(op: string, routeTableId: string): Promise<W.RouteTable> {
    return this.transport.request(op, "GET", `/v1/route-tables/${seg(routeTableId)}`);
  }
  createRoute(op: string, routeTableId: string, body: W.CreateRouteBody, idempotencyKey: string): Promise<Answer<W.Route>> {
    return this.transport.raw(op, "POST", `/v1/route-tables/${seg(routeTableId)}/routes`, { body, idempotencyKey });
  }
  getRoute(op: string, routeTableId: string, routeId: string): Promise<W.Route> {
    return this.transport.request(op, "GET", `/v1/route-tables/${seg(routeTableId)}/routes/${seg(routeId)}`);
  }
  patchRoute(op: string, routeTableId: string, routeId: string, body: W.UpdateRouteBody): Promise<W.Route> {
    return this.transport.request(op, "PATCH", `/v1/route-tables/${seg(routeTableId)}/routes/${seg(routeId)}`, { body });
  }
  async deleteRoute(op: string, routeTableId: string, routeId: string): Promise<void> {
    await this.transport.request(op, "DELETE", `/v1/route-tables/${seg(routeTableId)}/routes/${seg(routeId)}`);
  }
  validateRoute(op: string, routeTableId: string, body: W.ValidateRouteBody): Promise<W.Validation> {
    return this.transport.request(op, "POST", `/v1/route-tables/${seg(routeTableId)}/routes/validate`, { body, readOnly: true });
  }

  createRouteTable(op: string, body: W.CreateRouteTableBody, idempotencyKey: string): Promise<Answer<W.RouteTable>> {
    return this.transport.raw(op, "POST", "/v1/route-tables", { body, idempotencyKey });
  }
  async listRouteTables(op: string, vpcId?: string): Promise<W.RouteTableSummary[]> {
    const params = vpcId === undefined ? {} : { vpcId };
    return (await this.transport.request<{ routeTables: W.RouteTableSummary[] }>(op, "GET", "/v1/route-tables", { params })).routeTables;
  }
  patchRouteTable(op: string, routeTableId: string, body: W.UpdateRouteTableBody): Promise<W.RouteTable> {
    return this.transport.request(op, "PATCH", `/v1/route-tables/${seg(routeTableId)}`, { body });
  }
  async deleteRouteTable(op: string, routeTableId: string): Promise<void> {
    await this.transport.request(op, "DELETE", `/v1/route-tables/${seg(routeTableId)}`);
  }

  // --- subnets ---------------------------------------------------------------------------------
  createSubnet(op: string, body: W.CreateSubnetBody, idempotencyKey: string): Promise<Answer<W.Subnet>> {
    return this.transport.raw(op, "POST", "/v1/subnets", { body, idempotencyKey });
  }
  getSubnet(op: string, subnetId: string): Promise<W.Subnet> {
    return this.transport.request(op, "GET", `/v1/subnets/${seg(subnetId)}`);
  }
  async listSubnets(op: string, vpcId?: string): Promise<W.Subnet[]> {
    const params = vpcId === undefined ? {} : { vpcId };
    return (await this.transport.request<{ subnets: W.Subnet[] }>(op, "GET", "/v1/subnets", { params })).subnets;
  }
  patchSubnet(op: string, subnetId: string, body: W.UpdateSubnetBody): Promise<W.Subnet> {
    return this.transport.request(op, "PATCH", `/v1/subnets/${seg(subnetId)}`, { body });
  }
  async deleteSubnet(op: string, subnetId: string): Promise<void> {
    await this.transport.request(op, "DELETE", `/v1/subnets/${seg(subnetId)}`);
  }

  // --- border routers (issue 11) -----------------------------------------------------------------
  createBorderRouter(op: string, body: W.CreateBorderRouterBody, idempotencyKey: string): Promise<Answer<W.BorderRouter>> {
    return this.transport.raw(op, "POST", "/v1/border-routers", { body, idempotencyKey });
  }
  getBorderRouter(op: string, borderRouterId: string): Promise<W.BorderRouter> {
    return this.transport.request(op, "GET", `/v1/border-routers/${seg(borderRouterId)}`);
  }
  async listBorderRouters(op: string, region?: string): Promise<W.BorderRouter[]> {
    const params = region === undefined ? {} : { region };
    return (await this.transport.request<{ borderRouters: W.BorderRouter[] }>(op, "GET", "/v1/border-routers", { params })).borderRouters;
  }
  patchBorderRouter(op: string, borderRouterId: string, body: W.UpdateBorderRouterBody): Promise<W.BorderRouter> {
    return this.transport.request(op, "PATCH", `/v1/border-routers/${seg(borderRouterId)}`, { body });
  }
  async deleteBorderRouter(op: string, borderRouterId: string): Promise<void> {
    await this.transport.request(op, "DELETE", `/v1/border-routers/${seg(borderRouterId)}`);
  }
  /** The routes of the caller's end that point at the peering, and whether the other end has a return route. */
  relatedRoutes(peeringId: string, op = `reading the related routes of peering ${peeringId}`): Promise<W.RelatedRoutes> {
    return this.transport.request(op, "GET", `/v1/peering-connections/${seg(peeringId)}/related-routes`);
  }

  // --- peerings --------------------------------------------------------------------------------
  /** With `settle`, the answer comes once the new peering's state is one of `waitFor` (or after `pollMs`). */
  createPeering(
    op: string,
    body: W.CreatePeeringBody,
    idempotencyKey: string,
    settle?: { waitFor: readonly string[]; pollMs: number },
  ): Promise<Answer<W.Peering>> {
    if (!settle) return this.transport.raw(op, "POST", "/v1/peering-connections", { body, idempotencyKey });
    return this.transport.raw(op, "POST", "/v1/peering-connections", {
      body,
      idempotencyKey,
      params: { waitFor: settle.waitFor.join(","), timeoutMs: settle.pollMs },
      timeoutMs: settle.pollMs + this.transport.timeoutMs,
    });
  }
  getPeering(op: string, peeringId: string): Promise<W.Peering> {
    return this.transport.request(op, "GET", `/v1/peering-connections/${seg(peeringId)}`);
  }
  /** The long-poll read: answers once the peering's state or the caller's status is one of `waitFor`, or after `pollMs`. */
  pollPeering(op: string, peeringId: string, waitFor: readonly string[], pollMs: number): Promise<W.Peering> {
    return this.transport.request(op, "GET", `/v1/peering-connections/${seg(peeringId)}`, {
      params: { waitFor: waitFor.join(","), timeoutMs: pollMs },
      timeoutMs: pollMs + this.transport.timeoutMs,
    });
  }
  async listPeerings(op: string, query: W.PeeringListQuery = {}): Promise<W.Peering[]> {
    return (await this.transport.request<{ peeringConnections: W.Peering[] }>(op, "GET", "/v1/peering-connections", { params: query })).peeringConnections;
  }
  patchPeering(op: string, peeringId: string, body: W.UpdatePeeringBody): Promise<W.Peering> {
    return this.transport.request(op, "PATCH", `/v1/peering-connections/${seg(peeringId)}`, { body });
  }
  peeringAction(op: string, peeringId: string, action: W.PeeringAction): Promise<W.Peering> {
    return this.transport.request(op, "POST", `/v1/peering-connections/${seg(peeringId)}/${action}`, { repeatable: true });
  }
  /** Answers with the Deleted record (the routes through it went in the same transaction). */
  deletePeering(op: string, peeringId: string): Promise<W.Peering> {
    return this.transport.request(op, "DELETE", `/v1/peering-connections/${seg(peeringId)}`);
  }
  validatePeering(op: string, body: W.ValidatePeeringBody): Promise<W.Validation> {
    return this.transport.request(op, "POST", "/v1/peering-connections/validate", { body, readOnly: true });
  }
  peeringCost(op: string, peeringId: string, peakBandwidthMbps: number): Promise<W.CostEstimate> {
    return this.transport.request(op, "GET", `/v1/peering-connections/${seg(peeringId)}/cost`, { params: { peakBandwidthMbps } });
  }

  // --- traffic and the bill (issue 12) ------------------------------------------------------------
  /** Test mode (or --record-traffic): the offered load of one 5-minute window, as the caller sees it. */
  recordTraffic(op: string, peeringId: string, body: W.RecordTrafficBody): Promise<W.TrafficSample> {
    return this.transport.request(op, "POST", `/v1/peering-connections/${seg(peeringId)}/traffic`, { body, repeatable: true });
  }
  peeringMetrics(op: string, peeringId: string, query: W.MetricsQuery = {}): Promise<W.Metrics> {
    return this.transport.request(op, "GET", `/v1/peering-connections/${seg(peeringId)}/metrics`, { params: query });
  }
  getBill(op: string, query: W.BillQuery): Promise<W.Bill> {
    return this.transport.request(op, "GET", "/v1/bill", { params: query });
  }
}

export function createClient(conn: Endpoint, opts?: TransportOptions): PeerlinkClient {
  return new PeerlinkClient(conn, opts);
}
