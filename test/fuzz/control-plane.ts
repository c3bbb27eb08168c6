// What the fuzz runner asks the control plane directly: fresh accounts per case, a full dump of what the
// two accounts hold (to prove a failed preview changed nothing), and the existing part "made by hand".
import axios from "axios";
import { createClient, type PeerlinkClient } from "../../contract";
import type { CreatePeeringBody, Route } from "../../contract/types";
import { FINAL_STATES } from "../../domain";
import { TestServer } from "../helpers/server";
import { Alias, accountPlaceholder, EndRef, existingPlaceholder, materialize, Plan, PlanPeering } from "./plan";

export interface Account {
  accountId: string;
  apiKey: string;
}
export type Accounts = Record<Alias, Account>;

let accountCount = 0;

/** Two new accounts: nothing else on the control plane belongs to them. */
export async function freshAccounts(server: TestServer): Promise<Accounts> {
  // createAccount writes to the data dir synchronously: let any open server transaction commit first.
  await axios.get(`${server.url}/healthz`, { validateStatus: () => true });
  const n = ++accountCount;
  return { A: await server.createAccount(`fuzz-${n}-a`), B: await server.createAccount(`fuzz-${n}-b`) };
}

export function accountValues(accounts: Accounts): Record<string, string> {
  return { [accountPlaceholder("A")]: accounts.A.accountId, [accountPlaceholder("B")]: accounts.B.accountId };
}

/** PEERLINK_FUZZ_API_KEYS for the program: {"A": key, "B": key}. */
export function keysEnv(accounts: Accounts): string {
  return JSON.stringify({ A: accounts.A.apiKey, B: accounts.B.apiKey });
}

/** The contract's client; a refusal throws its typed error, naming the operation. */
function client(url: string, account: Account): PeerlinkClient {
  return createClient({ endpoint: url, apiKey: account.apiKey });
}

const TRANSITIONAL = ["Activating", "Suspending", "Deleting"];

/**
 * Everything both accounts can see: VPCs, subnets, route tables, border routers, every peering in any
 * state, every route of every table (the VPCs' tables and the border routers').
 */
export async function dump(url: string, accounts: Accounts): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const alias of ["A", "B"] as Alias[]) {
    const api = client(url, accounts[alias]);
    const vpcs = await api.listVpcs("list VPCs");
    const peerings = await api.listPeerings("list peerings");
    const subnets = await api.listSubnets("list subnets");
    const tables = await api.listRouteTables("list route tables");
    const borderRouters = await api.listBorderRouters("list border routers");
    const tableIds = new Set([...vpcs.map((v) => v.routeTableId), ...tables.map((t) => t.routeTableId), ...borderRouters.map((b) => b.routeTableId)]);
    const routes: Route[] = [];
    for (const id of tableIds) routes.push(...(await api.getRouteTable("list routes", id)).routes);
    const byId = (k: string) => (a: object, b: object) => String((a as Record<string, unknown>)[k]).localeCompare(String((b as Record<string, unknown>)[k]));
    out[alias] = {
      vpcs: vpcs.sort(byId("vpcId")),
      subnets: subnets.sort(byId("subnetId")),
      routeTables: tables.sort(byId("routeTableId")),
      borderRouters: borderRouters.sort(byId("borderRouterId")),
      peerings: peerings.sort(byId("peeringId")),
      routes: routes.sort(byId("routeId")),
    };
  }
  return JSON.stringify(out, null, 1);
}

/** Waits until no peering of the accounts is between states, so two dumps differ only by writes. */
export async function settle(url: string, accounts: Accounts, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let moving = 0;
    for (const alias of ["A", "B"] as Alias[]) {
      const list = await client(url, accounts[alias]).listPeerings("list peerings");
      moving += list.filter((p) => TRANSITIONAL.includes(p.state)).length;
    }
    if (moving === 0) return;
    if (Date.now() > deadline) throw new Error(`peerings still changing state after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The ids of what the existing part made, as placeholder values ("@xv0.vpcId" ...), found by display
 * name (the existing part names every VPC and peering after its logical name).
 */
export async function existingIds(url: string, accounts: Accounts, existing: Plan): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const alias of ["A", "B"] as Alias[]) {
    const api = client(url, accounts[alias]);
    const vpcs = await api.listVpcs("list VPCs");
    for (const v of existing.vpcs.filter((x) => x.account === alias)) {
      const found = vpcs.find((x) => x.name === v.name);
      if (!found) continue;
      values[existingPlaceholder(v.name, "vpcId")] = found.vpcId;
      values[existingPlaceholder(v.name, "routeTableId")] = found.routeTableId;
    }
    const peerings = await api.listPeerings("list peerings", { role: "initiator" });
    for (const p of existing.peerings.filter((x) => x.account === alias)) {
      const found = peerings.find((x) => x.name === p.name && !FINAL_STATES.includes(x.state) && x.state !== "Expired");
      if (found) values[existingPlaceholder(p.name, "peeringId")] = found.peeringId;
    }
  }
  return values;
}

/** Makes the existing part through the HTTP API, as a person would by hand. Throws on the first refusal. */
export async function makeByHand(url: string, accounts: Accounts, existing: Plan): Promise<void> {
  const plan = materialize(existing, accountValues(accounts));
  const vpcIds = new Map<string, { vpcId: string; routeTableId: string; region: string; account: Alias }>();
  const peeringIds = new Map<string, string>();
  for (const v of plan.vpcs) {
    const body = {
      region: v.region,
      cidrBlock: v.cidrBlock,
      name: v.displayName ?? v.name,
      ...(v.allowedPeerAccountIds ? { allowedPeerAccountIds: v.allowedPeerAccountIds } : {}),
      ...(v.tags ? { tags: v.tags } : {}),
    };
    const made = await client(url, accounts[v.account]).transport.request<{ vpcId: string; routeTableId: string }>(`create VPC ${v.name}`, "POST", "/v1/vpcs", {
      body,
    });
    vpcIds.set(v.name, { vpcId: made.vpcId, routeTableId: made.routeTableId, region: v.region, account: v.account });
  }
  const vpcOf = (ref: EndRef) => {
    if (!("vpc" in ref)) throw new Error("the existing part refers to VPCs of its own only");
    return vpcIds.get(ref.vpc)!;
  };
  for (const p of plan.peerings) {
    const local = vpcOf(p.vpc);
    const peer = vpcOf(p.peerVpc);
    const body: CreatePeeringBody = { vpcId: local.vpcId, peerVpcId: peer.vpcId, name: p.displayName ?? p.name };
    if (peer.account !== local.account) body.peerAccountId = accounts[peer.account].accountId;
    if (p.peerRegion !== undefined) body.peerRegion = p.peerRegion;
    if (p.bandwidthMbps !== undefined) body.bandwidthMbps = p.bandwidthMbps;
    const made = await client(url, accounts[p.account]).transport.request<{ peeringId: string }>(
      `create peering ${p.name}`,
      "POST",
      "/v1/peering-connections",
      {
        body,
      },
    );
    peeringIds.set(p.name, made.peeringId);
  }
  for (const a of plan.acceptances) {
    const name = "peering" in a.peering ? a.peering.peering : undefined;
    const id = name ? peeringIds.get(name) : undefined;
    if (!id) throw new Error(`acceptance ${a.name}: the existing part accepts its own peerings only`);
    await client(url, accounts[a.account]).peeringAction(`accept ${name}`, id, "accept");
  }
  for (const [name, id] of peeringIds) {
    const p = plan.peerings.find((x) => x.name === name) as PlanPeering;
    const accepted = vpcOf(p.vpc).account === vpcOf(p.peerVpc).account || plan.acceptances.some((a) => "peering" in a.peering && a.peering.peering === name);
    if (!accepted) continue;
    const settled = await client(url, accounts[p.account]).pollPeering(`wait for ${name}`, id, ["Activated"], 15_000);
    if (settled.state !== "Activated") throw new Error(`peering ${name} did not become Activated: ${JSON.stringify(settled)}`);
  }
  for (const r of plan.routes) {
    if (!("vpc" in r.table || "id" in r.table)) throw new Error("the existing part routes in its VPCs' main tables only");
    const table = "vpc" in r.table ? vpcIds.get(r.table.vpc)!.routeTableId : r.table.id;
    const hop = r.peering;
    const peeringName =
      "peering" in hop
        ? hop.peering
        : "acceptance" in hop
          ? (plan.acceptances.find((a) => a.name === hop.acceptance)!.peering as { peering: string }).peering
          : undefined;
    const peeringId = peeringName ? peeringIds.get(peeringName)! : (hop as { id: string }).id;
    await client(url, accounts[r.account]).transport.request(`add route ${r.name}`, "POST", `/v1/route-tables/${table}/routes`, {
      body: { destinationCidrBlock: r.destinationCidrBlock, peeringId },
    });
  }
}
