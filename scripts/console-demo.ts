// `npm start`'s demo for the console (issue 13), beside the quickstart stack and outside it: bob asks, from
// a VPC in ap-shanghai, to peer with an "inbox" VPC of alice's in ap-guangzhou (a cross-region request with a
// 20 Mbps cap), so a newcomer has a request to accept in the console and then a cross-region peering whose
// traffic to watch. Found by name on a second run, so running `npm start` again adds nothing; a request
// that was rejected or deleted is asked again.
import { createClient } from "../contract";

export const DEMO = { inbox: "console-demo-inbox", partner: "console-demo-partner", peering: "console-demo-request" } as const;

export type DemoAccount = { accountId: string; apiKey: string };

export async function seedConsoleDemo(endpoint: string, alice: DemoAccount, bob: DemoAccount): Promise<{ peeringId: string; status: string }> {
  const a = createClient({ endpoint, apiKey: alice.apiKey }, { retries: 1 });
  const b = createClient({ endpoint, apiKey: bob.apiKey }, { retries: 1 });
  const inbox =
    (await a.listVpcs("listing alice's VPCs")).find((v) => v.name === DEMO.inbox) ??
    (
      await a.createVpc(
        "creating the console demo's inbox VPC",
        { region: "ap-guangzhou", cidrBlock: "10.90.0.0/16", name: DEMO.inbox, allowedPeerAccountIds: [bob.accountId] },
        `${DEMO.inbox}-${alice.accountId}`,
      )
    ).data;
  const partner =
    (await b.listVpcs("listing bob's VPCs")).find((v) => v.name === DEMO.partner) ??
    (
      await b.createVpc(
        "creating the console demo's partner VPC",
        { region: "ap-shanghai", cidrBlock: "172.30.0.0/16", name: DEMO.partner },
        `${DEMO.partner}-${bob.accountId}`,
      )
    ).data;
  const live = (await b.listPeerings("listing bob's peerings")).find(
    (p) => p.requester.vpcId === partner.vpcId && p.accepter.vpcId === inbox.vpcId && !["Rejected", "Deleted", "Expired"].includes(p.state),
  );
  if (live) return { peeringId: live.peeringId, status: live.status };
  const asked = await b.createPeering(
    "asking alice to peer (console demo)",
    { vpcId: partner.vpcId, peerVpcId: inbox.vpcId, peerAccountId: alice.accountId, bandwidthMbps: 20, name: DEMO.peering },
    `${DEMO.peering}-${Date.now()}`,
  );
  return { peeringId: asked.data.peeringId, status: asked.data.status };
}
