import { expect } from "chai";
import { Actor, bootServer, createVpc, expectError, expectStatus, newActor, ServerHandle, Vpc } from "../../helpers/api";
import { createBorderRouter } from "../../helpers/border-routers";

/**
 * No oracle: with a VPC id and an account of their own, a stranger learns nothing of another account's
 * VPC, and a listed peer learns no more than the overlap rule must tell, at a rate-limited pace.
 */
describe("control plane: no oracle", function () {
  let server: ServerHandle;
  let a: Actor; // listed peer (requester)
  let b: Actor; // acceptor
  let c: Actor; // stranger
  let secret: Vpc; // b's VPC, 10.123.64.0/18, lists a
  const SECRET_CIDR = "10.123.64.0/18";

  before(async function () {
    server = await bootServer({ limits: { dryRunsPerPeerVpc: { perSecond: 0.01, burst: 8 } } });
    a = await newActor(server, "requester");
    b = await newActor(server, "acceptor");
    c = await newActor(server, "stranger");
    secret = await createVpc(b.api, { region: "ap-beijing", cidrBlock: SECRET_CIDR, name: "secret-db", allowedPeerAccountIds: [a.accountId] });
  });
  after(async () => server?.close());

  const probe = (who: Actor, cidr: string) =>
    who.api.post("/v1/peering-connections/validate", {
      localVpc: { region: "ap-beijing", cidrBlock: cidr },
      peerVpcId: secret.vpcId,
      peerAccountId: b.accountId,
    });

  function leaks(text: string): string[] {
    return [SECRET_CIDR, "10.123.64", "secret-db", "ap-beijing"].filter((s) => text.includes(s));
  }

  it("gives a stranger the same answer for every probe CIDR: NotFound", async function () {
    const answers = new Set<string>();
    for (const cidr of ["10.0.0.0/8", "10.123.0.0/16", "10.123.64.0/18", "192.168.0.0/16"]) {
      const body = expectStatus(await probe(c, cidr), 200);
      expect(body.violations.map((v: any) => v.code)).to.deep.equal(["NotFound"]);
      answers.add(JSON.stringify(body));
    }
    expect(answers.size, [...answers].join("\n")).to.equal(1);
  });

  it("answers a listed peer's overlapping probe without the other CIDR, name or region", async function () {
    const body = expectStatus(await probe(a, "10.0.0.0/8"), 200);
    const overlap = body.violations.find((v: any) => v.code === "CidrOverlap");
    expect(overlap, JSON.stringify(body)).to.not.equal(undefined);
    const text = JSON.stringify(body).replace(/"localVpc"[^}]*}/, "");
    expect(leaks(text.replace("10.0.0.0/8", "")), text).to.deep.equal([]);
  });

  it("answers a create that overlaps without the other CIDR, name or region", async function () {
    const mine = await createVpc(a.api, { region: "ap-shanghai", cidrBlock: "10.123.0.0/16" });
    const res = await a.api.post("/v1/peering-connections", { vpcId: mine.vpcId, peerVpcId: secret.vpcId, peerAccountId: b.accountId, bandwidthMbps: 10 });
    expectError(res, 422, "CidrOverlap");
    expect(leaks(JSON.stringify(res.data).replace("10.123.0.0/16", "")), JSON.stringify(res.data)).to.deep.equal([]);
  });

  it("shows the requester nothing of the acceptor's VPC until it accepts", async function () {
    const mine = await createVpc(a.api, { region: "ap-shanghai", cidrBlock: "10.124.0.0/16" });
    const created = await a.api.post("/v1/peering-connections", { vpcId: mine.vpcId, peerVpcId: secret.vpcId, peerAccountId: b.accountId, bandwidthMbps: 10 });
    const p = expectStatus(created, 201);
    const views = [JSON.stringify(p)];
    views.push(JSON.stringify(expectStatus(await a.api.get(`/v1/peering-connections/${p.peeringId}`), 200)));
    views.push(JSON.stringify(expectStatus(await a.api.get("/v1/peering-connections"), 200)));
    for (const v of views) expect(leaks(v), v).to.deep.equal([]);
    // The acceptor sees its own VPC, of course; once it accepts, the requester sees it too.
    expectStatus(await b.api.post(`/v1/peering-connections/${p.peeringId}/accept`), 200);
    const after = expectStatus(await a.api.get(`/v1/peering-connections/${p.peeringId}`, { params: { waitFor: "Activated", timeoutMs: 5000 } }), 200);
    expect(after.accepter.cidrBlock).to.equal(SECRET_CIDR);
    expect(after.accepter.region).to.equal("ap-beijing");
    expectStatus(await a.api.delete(`/v1/peering-connections/${p.peeringId}`), 200);
  });

  it("rate-limits a listed peer's dry runs against the VPC with 429 and Retry-After, per caller and VPC", async function () {
    let limited: any;
    for (let i = 0; i < 50 && !limited; i++) {
      const res = await probe(a, `10.${i}.0.0/16`);
      if (res.status === 429) limited = res;
      else expectStatus(res, 200);
    }
    expect(limited, "the dry runs were never limited").to.not.equal(undefined);
    const err = expectError(limited, 429, "TooManyRequests");
    expect(Number(limited.headers["retry-after"])).to.be.at.least(1);
    expect(err.details.retryAfterSeconds).to.equal(Number(limited.headers["retry-after"]));
    expect(leaks(JSON.stringify(limited.data))).to.deep.equal([]);
    // Another VPC of the caller's own is not limited.
    const own1 = await createVpc(a.api, { region: "ap-shanghai" });
    const own2 = await createVpc(a.api, { region: "ap-shanghai" });
    for (let i = 0; i < 12; i++) {
      expectStatus(await a.api.post("/v1/peering-connections/validate", { vpcId: own1.vpcId, peerVpcId: own2.vpcId }), 200);
    }
  });

  it("rate-limits dry runs naming another account's border router the same way; the caller's own are free", async function () {
    const vbr = await createBorderRouter(b.api, { onPremisesCidrBlocks: ["10.125.0.0/16"], allowedPeerAccountIds: [a.accountId] });
    let limited: any;
    for (let i = 0; i < 50 && !limited; i++) {
      const res = await a.api.post("/v1/peering-connections/validate", {
        localVpc: { region: "ap-shanghai", cidrBlock: `10.${i}.0.0/16` },
        peerBorderRouterId: vbr.borderRouterId,
        peerAccountId: b.accountId,
      });
      if (res.status === 429) limited = res;
      else expectStatus(res, 200);
    }
    expect(limited, "the dry runs were never limited").to.not.equal(undefined);
    expect(expectError(limited, 429, "TooManyRequests").message).to.include(`border router ${vbr.borderRouterId}`);
    const own = await createBorderRouter(a.api);
    for (let i = 0; i < 12; i++) {
      const res = await a.api.post("/v1/peering-connections/validate", {
        localVpc: { region: "ap-shanghai", cidrBlock: "10.200.0.0/16" },
        peerBorderRouterId: own.borderRouterId,
      });
      expectStatus(res, 200);
    }
  });

  it("limits a stranger's probes the same way, so the limit says nothing about existence", async function () {
    const d = await newActor(server, "another stranger");
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await probe(d, `10.${i}.0.0/16`)).status);
    expect(statuses).to.include(429);
    const missing: number[] = [];
    for (let i = 0; i < 20; i++) {
      missing.push(
        (
          await d.api.post("/v1/peering-connections/validate", {
            localVpc: { region: "ap-beijing", cidrBlock: `10.${i}.0.0/16` },
            peerVpcId: "vpc-0123456789ab",
          })
        ).status,
      );
    }
    expect(missing.indexOf(429), "a VPC that does not exist is limited after as many probes").to.equal(statuses.indexOf(429));
  });
});
