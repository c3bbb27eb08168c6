// Shared setup for the provider CRUD tests: a real control plane (startTestServer) and two accounts.
import axios from "axios";
import { forgetWorlds } from "../../provider/facts";
import { declare, resetPlan } from "../../provider/preview/plan";
import type { ConnectionInputs, ResourceRefs } from "../../provider/types";
import { startTestServer, TestServer, TestServerOptions } from "../helpers/server";

/** As a new provider process starts (each engine run has its own): no plan, nothing cached. */
export function newProviderProcess(): void {
  resetPlan();
  forgetWorlds();
}

// Each test is its own engine run.
beforeEach(newProviderProcess);

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
  plannedAccount = a.accountId;
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

/** The account that plannedVpc() declares VPCs in (alice's, set by startEnv). */
let plannedAccount = "";

export interface PlannedVpcRef {
  ownerRef: string;
  name: string;
  cidr: string;
  region: string;
  id?: string;
}

/**
 * A VPC of the program: an existing one (with an id), or one the program will create, which is declared
 * in the provider process's plan as the engine's check of that Vpc would.
 */
export function plannedVpc(name: string, cidr: string, region: string, id?: string, accountId = plannedAccount): PlannedVpcRef {
  const ownerRef = ref("Vpc", name);
  declare({
    kind: "Vpc",
    ownerRef,
    label: `VPC "${name}"`,
    accountId,
    order: id ? "same" : "create",
    existingId: id,
    region,
    cidr,
    name,
  });
  return { ownerRef, name, cidr, region, ...(id ? { id } : {}) };
}

/** The hidden `__refs` of a peering between two program VPCs. */
export function singlePlan(_ownerRef: string, local: PlannedVpcRef, peer: PlannedVpcRef, acceptedInProgram = false): ResourceRefs {
  return { vpc: local.ownerRef, peerVpc: peer.ownerRef, acceptedInProgram };
}

/** A PeeringConnection of the program, declared in the plan as the engine's check of it would. */
export function plannedPeering(name: string, local: PlannedVpcRef, peer: PlannedVpcRef, acceptedInProgram = false, accountId = plannedAccount): string {
  const ownerRef = ref("PeeringConnection", name);
  declare({
    kind: "PeeringConnection",
    ownerRef,
    label: `PeeringConnection "${name}"`,
    accountId,
    order: "create",
    local: { ownerRef: local.ownerRef, id: local.id },
    peer: { ownerRef: peer.ownerRef, id: peer.id },
    peerAccountId: accountId,
    bandwidthMbps: null,
    acceptedInProgram,
  });
  return ownerRef;
}
