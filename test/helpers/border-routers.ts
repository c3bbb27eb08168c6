// Fixtures for border routers (issue 11): a VBR body with a fresh VLAN and interconnect subnet per call.
import type { BorderRouter } from "../../contract/types";
import { Api, expectStatus } from "./api";

export type { BorderRouter } from "../../contract/types";

let counter = 0;

/** A valid body: a VLAN unused in this process, its own /30 in 169.254.0.0/16, on-premises 172.16.0.0/16 unless given. */
export function vbrBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const n = 100 + (counter++ % 2800);
  const base = `169.254.${Math.floor(n / 64)}`;
  const host = (n % 64) * 4;
  return {
    region: "ap-shanghai",
    vlanId: n,
    interconnectCidrBlock: `${base}.${host}/30`,
    localGatewayIp: `${base}.${host + 1}`,
    peerGatewayIp: `${base}.${host + 2}`,
    onPremisesCidrBlocks: ["172.16.0.0/16"],
    ...extra,
  };
}

export async function createBorderRouter(api: Api, extra: Record<string, unknown> = {}): Promise<BorderRouter> {
  return expectStatus(await api.post("/v1/border-routers", vbrBody(extra)), 201);
}
