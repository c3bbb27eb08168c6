// The quickstart and the cross-account example under the real pulumi CLI against two control-plane
// replicas on one PostgreSQL database: the provider is given both endpoints, or one replica each.
import { expect } from "chai";
import { ReplicaSet, startReplicaSet } from "../helpers/replicas";
import { Account, api, inventory } from "./control-plane";
import { PulumiWorkspace } from "./harness";

function expectOk(result: { code: number; output: string }, what: string): void {
  expect(result.code, `${what} failed:\n${result.output}`).to.equal(0);
}

async function expectNothingLeft(url: string, account: Account): Promise<void> {
  const left = await inventory(url, account);
  expect(left.vpcs, "VPCs left on the control plane").to.deep.equal([]);
  expect(left.peerings, "live peerings left on the control plane").to.deep.equal([]);
}

describe("examples under the real pulumi CLI on two PostgreSQL replicas", function () {
  let set: ReplicaSet;
  let alice: Account;
  let bob: Account;
  const workspaces: PulumiWorkspace[] = [];

  before(async () => {
    set = await startReplicaSet(2, { transitionDelayMs: 50 });
  });
  beforeEach(async () => {
    alice = await set.createAccount("alice");
    bob = await set.createAccount("bob");
  });
  afterEach(() =>
    workspaces.splice(0).forEach((w) => {
      w.dispose();
    }),
  );
  after(async () => {
    await set?.close();
  });

  it("quickstart: deploys through a list of both endpoints and keeps working after a kill -9 of the first", async () => {
    const [r1, r2] = set.replicas;
    const ws = await PulumiWorkspace.create({ example: "quickstart", endpoint: `${r1.url},${r2.url}`, apiKey: alice.apiKey });
    workspaces.push(ws);
    expectOk(await ws.preview(), "preview");
    expectOk(await ws.up(), "up");
    const outputs = await ws.outputs();
    expect(outputs.peeringStatus).to.equal("Activated");
    // what replica 1 wrote, replica 2 serves
    const live = await inventory(r2.url, alice);
    expect(live.vpcs).to.have.length(2);
    expect(live.peerings).to.have.length(1);
    expect(live.routes).to.have.length(2);

    await r1.kill9!();
    expectOk(await ws.preview("--expect-no-changes"), "preview with replica 1 down");
    await ws.setConfig("peeringName", "app-data-renamed");
    const update = await ws.up();
    expectOk(update, "update in place with replica 1 down");
    expect(update.output).not.to.match(/replaced/);
    expect((await api(r2.url, alice).livePeerings())[0].name).to.equal("app-data-renamed");
    expectOk(await ws.refresh(), "refresh");
    expectOk(await ws.destroy(), "destroy");
    await r1.restart();
    await expectNothingLeft(r1.url, alice);
  });

  it("cross-account: the acceptor's stack on replica 2, the requester's on replica 1", async () => {
    const [r1, r2] = set.replicas;
    // The two-ended flow (issue 10): B lists A before A requests.
    const acceptor = await PulumiWorkspace.create({
      example: "cross-account/acceptor",
      endpoint: r2.url,
      apiKey: bob.apiKey,
      config: { requesterAccountId: alice.accountId },
    });
    workspaces.push(acceptor);
    expectOk(await acceptor.up(), "acceptor up (VPC only)");
    const partner = await acceptor.outputs();

    const requester = await PulumiWorkspace.create({
      example: "cross-account/requester",
      endpoint: r1.url,
      apiKey: alice.apiKey,
      config: { peerVpcId: partner.vpcId, peerAccountId: partner.accountId, peerCidr: partner.cidrBlock },
    });
    workspaces.push(requester);
    expectOk(await requester.preview(), "requester preview");
    expectOk(await requester.up(), "requester up");
    const request = await requester.outputs();
    expect(request.peeringStatus).to.equal("Connecting");

    await acceptor.setConfig("peeringId", request.peeringId);
    expect(request.accountId).to.equal(alice.accountId);
    await acceptor.setConfig("requesterCidr", request.cidrBlock);
    expectOk(await acceptor.up(), "acceptor accepts and routes back");
    expectOk(await acceptor.preview("--expect-no-changes"), "acceptor second preview");

    await requester.setConfig("accepted", "true");
    expectOk(await requester.up(), "requester adds its route");
    expectOk(await requester.refresh(), "requester refresh");
    const peering = (await requester.resources("PeeringConnection"))["app-to-partner"];
    expect(peering.outputs.status).to.equal("Activated");
    expectOk(await requester.preview("--expect-no-changes"), "requester second preview");

    expectOk(await acceptor.destroy(), "acceptor destroy");
    expectOk(await requester.refresh(), "requester refresh after the peering went away");
    expectOk(await requester.destroy(), "requester destroy");
    await expectNothingLeft(r2.url, alice);
    await expectNothingLeft(r1.url, bob);
  });
});
