import { expect } from "chai";
import { activePeering, addRoute, createVpc, startWorld, World } from "../../helpers/api";
import { runCli as peerlink } from "../../helpers/cli";

describe("peerlink reach FROM TO", function () {
  let w: World;
  before(async () => {
    w = await startWorld({ transitionDelayMs: 0 });
  });
  after(async () => {
    await w?.close();
  });

  it("prints the path both ways and exits 0; prints the broken hop and exits 2 once the route back is gone", async () => {
    const env = { PEERLINK_ENDPOINT: w.url, PEERLINK_API_KEY: w.a.apiKey };
    const app = await createVpc(w.a.api, { region: "ap-guangzhou", name: "app" });
    const data = await createVpc(w.a.api, { region: "ap-guangzhou", name: "data" });
    const pcx = (await activePeering(w.a, app, w.a, data)).peeringId;
    await addRoute(w.a.api, app.routeTableId, { destinationCidrBlock: data.cidrBlock, peeringId: pcx });
    const back = await addRoute(w.a.api, data.routeTableId, { destinationCidrBlock: app.cidrBlock, peeringId: pcx });

    const ok = await peerlink(["reach", app.vpcId, data.vpcId], env);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.include(`VPC "app" (${app.vpcId}) reaches VPC "data" (${data.vpcId})`);
    expect(ok.stdout).to.include("there:").and.include("back:").and.include(`${pcx} (Activated)`);

    await w.a.api.delete(`/v1/route-tables/${data.routeTableId}/routes/${back.routeId}`);
    const red = await peerlink(["reach", app.vpcId, data.vpcId], env);
    expect(red.code).to.equal(2);
    expect(red.stdout).to.include("cannot reach").and.include("NoReturnRoute").and.include(`add a RouteEntry via ${pcx}`);

    const json = await peerlink(["reach", app.vpcId, data.vpcId, "--json"], env);
    expect(json.code).to.equal(2);
    expect(JSON.parse(json.stdout).broken.code).to.equal("NoReturnRoute");
  });

  it("exits 1 with a usage line for a missing end, and with the server's error for a bad one", async () => {
    const env = { PEERLINK_ENDPOINT: w.url, PEERLINK_API_KEY: w.a.apiKey };
    const usage = await peerlink(["reach", "vpc-000000000000"], env);
    expect(usage.code).to.equal(1);
    expect(usage.stderr).to.include("usage: peerlink reach FROM TO");
    const bad = await peerlink(["reach", "10.0.0.0/8", "vpc-000000000000"], env);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include("ValidationError");
  });
});
