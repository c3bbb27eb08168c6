// Shared setup for the provider CRUD tests: a real control plane (startTestServer) and two accounts.
import axios from "axios";
import { startTestServer, TestServer, TestServerOptions } from "../helpers/server";
import type { ConnectionInputs, PeeringPlan, PlannedVpc } from "../../provider/types";
import { resetConfiguration } from "../../provider/config";

export interface Env {
  server: TestServer;
  a: { accountId: string; apiKey: string; conn: ConnectionInputs };
  b: { accountId: string; apiKey: string; conn: ConnectionInputs };
}

export async function startEnv(opts: TestServerOptions = {}): Promise<Env> {
  const server = await startTestServer({ transitionDelayMs: 20, ...opts });
  const a = await server.createAccount("alice");
  const b = await server.createAccount("bob");
  resetConfiguration();
  return {
    server,
    a: { ...a, conn: { endpoint: server.url, apiKey: a.apiKey } },
    b: { ...b, conn: { endpoint: server.url, apiKey: b.apiKey } },
  };
}

/** Raw API call for setup and assertions (not through the provider). */
export async function api<T = any>(env: Env, who: "a" | "b", method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
  const res = await axios.request({
    method,
    url: `${env.server.url}${path}`,
    data: body,
    headers: { Authorization: `Bearer ${env[who].apiKey}` },
    validateStatus: () => true,
  });
  return { status: res.status, data: res.data };
}

export async function advanceClock(env: Env, ms: number): Promise<void> {
  const r = await api(env, "a", "POST", "/v1/test/clock/advance", { ms });
  if (r.status !== 200) throw new Error(`clock advance failed: ${JSON.stringify(r.data)}`);
}

let counter = 0;
/** A unique ownerRef like the program would compute. */
export function ref(type: string, name: string): string {
  counter++;
  return `proj/test${process.pid}x${counter}/${type}/${name}`;
}

export function plannedVpc(name: string, cidr: string, region: string, id?: string): PlannedVpc {
  return { key: `vpc:${name}`, name, cidr, region, ...(id ? { id } : {}) };
}

/** A minimal plan for a single peering between two planned VPCs. */
export function singlePlan(ownerRef: string, local: PlannedVpc, peer: PlannedVpc): PeeringPlan {
  const name = ownerRef.split("/").slice(3).join("/");
  return {
    ownerRef,
    local,
    peer,
    localPeerings: [{ ownerRef, name, self: local, other: peer }],
    peerPeerings: [{ ownerRef, name, self: peer, other: local }],
  };
}
