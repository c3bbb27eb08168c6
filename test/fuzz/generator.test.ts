// The fuzz generator on its own (no server, no CLI): every case is well formed, the existing part keeps
// to the rules, and over a few thousand cases every class the differential test is meant to reach shows up.

import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import * as ts from "typescript";
import { REPO_ROOT } from "../e2e/harness";
import { cidrInside, cidrsOverlap, FUZZ_CIDRS, FUZZ_ON_PREM_CIDRS, FUZZ_QUOTAS, FUZZ_REGIONS, fuzzCase, placeholdersOf, withinRules } from "./generator";
import { declaredNames, EndRef, FuzzCase, materialize, Plan, PlanPeering, TableRef, toTypeScript, VpcRef } from "./plan";

const SAMPLES = 3000;
const cases: FuzzCase[] = fc.sample(fuzzCase(), { seed: 42, numRuns: SAMPLES });

/** The VPCs a plan's resources can name: its own and the existing part's (when it lives outside). */
function vpcFacts(c: FuzzCase) {
  const outside = c.existingVia === "otherStack" || c.existingVia === "byHand";
  const all = [
    ...c.plan.vpcs.map((v) => ({ ...v, key: `vpc:${v.name}` })),
    ...(outside ? c.existing.vpcs.map((v) => ({ ...v, key: `id:@${v.name}.vpcId` })) : []),
  ];
  const find = (ref: VpcRef) => all.find((v) => v.key === ("vpc" in ref ? `vpc:${ref.vpc}` : `id:${ref.id.replace(".routeTableId", ".vpcId")}`));
  return { all, find };
}

/** The peering ends a plan can name: VPCs (as vpcFacts) and its border routers (the interconnect as CIDR). */
function endFacts(c: FuzzCase) {
  const vpcs = vpcFacts(c);
  const routers = (c.plan.borderRouters ?? []).map((b) => ({ ...b, key: `br:${b.name}`, cidrBlock: b.interconnectCidrBlock }));
  const find = (ref: EndRef | TableRef) => {
    if ("borderRouter" in ref) return routers.find((b) => b.name === ref.borderRouter);
    if ("table" in ref) {
      const t = (c.plan.routeTables ?? []).find((x) => x.name === ref.table);
      return t ? vpcs.find(t.vpc) : undefined;
    }
    return vpcs.find(ref);
  };
  return { routers, find };
}

function peeringsOf(c: FuzzCase) {
  const { find } = endFacts(c);
  return c.plan.peerings.map((p) => ({ p, local: find(p.vpc)!, peer: find(p.peerVpc)! }));
}

const pairKey = (a: string, b: string) => [a, b].sort().join("|");

const share = (pred: (c: FuzzCase) => boolean) => cases.filter(pred).length / SAMPLES;

describe("fuzz generator", () => {
  it("is deterministic for a seed", () => {
    const again = fc.sample(fuzzCase(), { seed: 42, numRuns: 50 });
    expect(again).to.deep.equal(cases.slice(0, 50));
  });

  it("declares unique names, resolvable references and at most 5 VPCs (2 when nothing exists)", () => {
    for (const c of cases) {
      const names = declaredNames(c.plan);
      expect(new Set(names).size, JSON.stringify(c.plan)).to.equal(names.length);
      const { all } = vpcFacts(c);
      const { find } = endFacts(c);
      expect(all.length).to.be.at.most(5);
      if (c.existingVia === "none") expect(all.length).to.be.within(2, 5);
      for (const s of c.plan.subnets ?? []) {
        expect(vpcFacts(c).find(s.vpc), JSON.stringify(s)).to.not.equal(undefined);
        if (s.table) expect(find(s.table), JSON.stringify(s)).to.not.equal(undefined);
      }
      for (const t of c.plan.routeTables ?? []) expect(vpcFacts(c).find(t.vpc), JSON.stringify(t)).to.not.equal(undefined);
      for (const p of c.plan.peerings) {
        expect(find(p.vpc), JSON.stringify(p)).to.not.equal(undefined);
        expect(find(p.peerVpc), JSON.stringify(p)).to.not.equal(undefined);
      }
      const hops = new Set([...c.plan.peerings.map((p) => `peering:${p.name}`), ...c.plan.acceptances.map((a) => `acceptance:${a.name}`)]);
      for (const r of c.plan.routes) {
        expect(find(r.table), JSON.stringify(r)).to.not.equal(undefined);
        if (!("id" in r.peering))
          expect(hops.has("peering" in r.peering ? `peering:${r.peering.peering}` : `acceptance:${r.peering.acceptance}`)).to.equal(true);
      }
    }
  });

  it("keeps the existing part within the rules, so that making it cannot fail", () => {
    for (const c of cases) {
      expect(withinRules(c.existing), JSON.stringify(c.existing)).to.deep.equal(c.existing);
      const byName = new Map(c.existing.vpcs.map((v) => [v.name, v]));
      for (const p of c.existing.peerings) {
        const [a, b] = [byName.get((p.vpc as { vpc: string }).vpc)!, byName.get((p.peerVpc as { vpc: string }).vpc)!];
        expect(a).to.not.equal(b);
        expect(cidrsOverlap(a.cidrBlock, b.cidrBlock)).to.equal(false);
      }
    }
  });

  it("uses only placeholders that a copy of the case provides", () => {
    for (const c of cases) {
      const values: Record<string, string> = { "@account:A": "acc-a", "@account:B": "acc-b" };
      for (const v of c.existing.vpcs) Object.assign(values, { [`@${v.name}.vpcId`]: "vpc-1", [`@${v.name}.routeTableId`]: "rtb-1" });
      for (const p of c.existing.peerings) values[`@${p.name}.peeringId`] = "pcx-1";
      for (const p of placeholdersOf(c)) expect(values, p).to.have.property(p);
      expect(() => materialize(c, values)).to.not.throw();
    }
  });

  it("prints declarations that parse as TypeScript", () => {
    for (const c of cases.slice(0, 200)) {
      const out = ts.transpileModule(toTypeScript(c.plan), { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
      expect(out.diagnostics ?? [], toTypeScript(c.plan)).to.have.length(0);
    }
  });

  it("type-checks the generic program against peerlink's public API", function () {
    this.timeout(120_000);
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(REPO_ROOT, "test", "fuzz", "plan-program", "tsconfig.json")], {
      stdio: "pipe",
    });
  });

  describe("reaches every class often", () => {
    const often = (what: string, pred: (c: FuzzCase) => boolean, min = 0.02) =>
      it(`${what} (at least ${min * 100}% of cases)`, () => {
        expect(share(pred)).to.be.at.least(min);
      });

    for (const via of ["none", "sameStack", "otherStack", "byHand"] as const) often(`existing part made via ${via}`, (c) => c.existingVia === via, 0.1);
    for (const region of FUZZ_REGIONS) often(`VPCs in ${region}`, (c) => c.plan.vpcs.some((v) => v.region === region), 0.1);

    often("cross-account peerings", (c) => peeringsOf(c).some(({ local, peer }) => local.account !== peer.account), 0.2);
    often("same-account peerings", (c) => peeringsOf(c).some(({ local, peer }) => local.account === peer.account), 0.2);
    often("cross-region peerings", (c) => peeringsOf(c).some(({ local, peer }) => local.region !== peer.region), 0.2);
    often("same-region peerings", (c) => peeringsOf(c).some(({ local, peer }) => local.region === peer.region), 0.2);
    often(
      "peerings between overlapping VPCs",
      (c) => peeringsOf(c).some(({ local, peer }) => local !== peer && cidrsOverlap(local.cidrBlock, peer.cidrBlock)),
      0.1,
    );
    often("peerings between adjacent VPCs", (c) =>
      peeringsOf(c).some(
        ({ local, peer }) =>
          pairKey(local.cidrBlock, peer.cidrBlock) === pairKey("10.0.0.0/17", "10.0.128.0/17") ||
          pairKey(local.cidrBlock, peer.cidrBlock) === pairKey("10.0.0.0/16", "10.1.0.0/16"),
      ),
    );
    often("self-peering", (c) => peeringsOf(c).some(({ local, peer }) => local === peer));
    often("a wrong peerRegion", (c) => peeringsOf(c).some(({ p, peer }) => p.peerRegion !== undefined && p.peerRegion !== peer.region));
    often("a right, explicit peerRegion", (c) => peeringsOf(c).some(({ p, peer }) => p.peerRegion === peer.region));
    often("a wrong peerAccountId", (c) => peeringsOf(c).some(({ p, peer }) => p.peerAccountId !== undefined && p.peerAccountId !== `@account:${peer.account}`));
    often("bandwidth above the cap", (c) => c.plan.peerings.some((p) => (p.bandwidthMbps ?? 0) > FUZZ_QUOTAS.crossRegionBandwidthMbps));
    often("bandwidth exactly at the cap", (c) => c.plan.peerings.some((p) => p.bandwidthMbps === FUZZ_QUOTAS.crossRegionBandwidthMbps));
    often("a cross-region peering without bandwidth", (c) =>
      peeringsOf(c).some(({ p, local, peer }) => local.region !== peer.region && p.bandwidthMbps === undefined),
    );
    often("a regional peering with bandwidth", (c) =>
      peeringsOf(c).some(({ p, local, peer }) => local.region === peer.region && p.bandwidthMbps !== undefined),
    );
    often("two peerings of one pair in the same direction", (c) => {
      const keys = peeringsOf(c).map(({ local, peer }) => `${local.key}>${peer.key}`);
      return new Set(keys).size < keys.length;
    });
    often("two peerings of one pair in opposite directions", (c) => {
      const keys = peeringsOf(c).map(({ local, peer }) => `${local.key}>${peer.key}`);
      return keys.some((k) => keys.includes(k.split(">").reverse().join(">")) && k.split(">")[0] !== k.split(">")[1]);
    });
    often(
      "a peering duplicating an existing one",
      (c) => {
        if (c.existingVia !== "otherStack" && c.existingVia !== "byHand") return false;
        const existing = new Set(
          c.existing.peerings.map((p) => pairKey(`@${(p.vpc as { vpc: string }).vpc}.vpcId`, `@${(p.peerVpc as { vpc: string }).vpc}.vpcId`)),
        );
        return c.plan.peerings.some((p) => "id" in p.vpc && "id" in p.peerVpc && existing.has(pairKey(p.vpc.id, p.peerVpc.id)));
      },
      0.005,
    );
    often("an accepted cross-account request", (c) => c.plan.acceptances.length > 0, 0.1);
    often("an acceptance that allows the wrong account", (c) =>
      c.plan.acceptances.some((a) => {
        const p = c.plan.peerings.find((x) => "peering" in a.peering && x.name === a.peering.peering);
        return p !== undefined && a.allowedRequesterAccountIds[0] !== `@account:${p.account}`;
      }),
    );
    often("an acceptance of a request that exists outside the program", (c) => c.plan.acceptances.some((a) => "id" in a.peering), 0.005);
    often("a pending cross-account request (no acceptance)", (c) =>
      peeringsOf(c).some(
        ({ p, local, peer }) => local.account !== peer.account && !c.plan.acceptances.some((a) => "peering" in a.peering && a.peering.peering === p.name),
      ),
    );

    const routeFacts = (c: FuzzCase) => {
      const { find } = endFacts(c);
      return c.plan.routes.map((r) => ({ r, table: find(r.table) }));
    };
    often("routes", (c) => c.plan.routes.length > 0, 0.3);
    often("a duplicate destination in one table", (c) => {
      const keys = c.plan.routes.map((r) => `${JSON.stringify(r.table)} ${r.destinationCidrBlock}`);
      return new Set(keys).size < keys.length;
    });
    often(
      "a route overlapping the table's own VPC",
      (c) => routeFacts(c).some(({ r, table }) => table !== undefined && cidrsOverlap(r.destinationCidrBlock, table.cidrBlock)),
      0.1,
    );
    often("a route to a block of the space outside both VPCs", (c) => routeFacts(c).some(({ r }) => FUZZ_CIDRS.includes(r.destinationCidrBlock as never)), 0.1);
    often("a route in a table that exists outside the program", (c) => c.plan.routes.some((r) => "id" in r.table), 0.02);

    // Issue 11: subnets, route tables, border routers and their peerings and routes.
    const subnetFacts = (c: FuzzCase) => {
      const { find } = vpcFacts(c);
      return (c.plan.subnets ?? []).map((s) => ({ s, vpc: find(s.vpc)! }));
    };
    const borderPeerings = (c: FuzzCase) => peeringsOf(c).filter(({ p }) => "borderRouter" in p.vpc || "borderRouter" in p.peerVpc);
    const tableOf = (c: FuzzCase, name: string) => (c.plan.routeTables ?? []).find((t) => t.name === name)!;
    often("subnets inside their VPC", (c) => subnetFacts(c).some(({ s, vpc }) => cidrInside(s.cidrBlock, vpc.cidrBlock)), 0.2);
    often("a subnet outside its VPC", (c) => subnetFacts(c).some(({ s, vpc }) => !cidrInside(s.cidrBlock, vpc.cidrBlock)), 0.02);
    often("two overlapping subnets of one VPC", (c) =>
      subnetFacts(c).some(({ s, vpc }, i, all) => all.slice(0, i).some((x) => x.vpc === vpc && cidrsOverlap(x.s.cidrBlock, s.cidrBlock))),
    );
    often("more subnets in one VPC than the quota", (c) => countBy(c.plan.subnets ?? [], (s) => JSON.stringify(s.vpc)) > FUZZ_QUOTAS.subnetsPerVpc, 0.02);
    often("extra route tables", (c) => (c.plan.routeTables ?? []).length > 0, 0.2);
    often(
      "more route tables in one VPC than the quota (the main one counts)",
      (c) => countBy(c.plan.routeTables ?? [], (t) => JSON.stringify(t.vpc)) + 1 > FUZZ_QUOTAS.routeTablesPerVpc,
      0.05,
    );
    often("a subnet associated with an extra table of its VPC", (c) =>
      (c.plan.subnets ?? []).some((s) => s.table && "table" in s.table && JSON.stringify(tableOf(c, s.table.table).vpc) === JSON.stringify(s.vpc)),
    );
    often(
      "a subnet associated with another VPC's table",
      (c) => (c.plan.subnets ?? []).some((s) => s.table && "table" in s.table && JSON.stringify(tableOf(c, s.table.table).vpc) !== JSON.stringify(s.vpc)),
      0.005,
    );
    often("a route in an extra route table", (c) => c.plan.routes.some((r) => "table" in r.table), 0.05);
    often("border routers", (c) => (c.plan.borderRouters ?? []).length > 0, 0.2);
    often(
      "two border routers of one account and region on one VLAN",
      (c) => {
        const keys = (c.plan.borderRouters ?? []).map((b) => `${b.account} ${b.region} ${b.vlanId}`);
        return new Set(keys).size < keys.length;
      },
      0.005,
    );
    often(
      "a border router whose on-premises blocks overlap each other",
      (c) =>
        (c.plan.borderRouters ?? []).some((b) => b.onPremisesCidrBlocks.some((x, i) => b.onPremisesCidrBlocks.slice(0, i).some((y) => cidrsOverlap(x, y)))),
      0.01,
    );
    often("VPC-VBR peerings in one account", (c) => borderPeerings(c).some(({ local, peer }) => local.account === peer.account), 0.05);
    often("VPC-VBR peerings across accounts", (c) => borderPeerings(c).some(({ local, peer }) => local.account !== peer.account), 0.05);
    often("a VBR-requested peering", (c) => borderPeerings(c).some(({ p }) => "borderRouter" in p.vpc), 0.05);
    often("an accepted cross-account VPC-VBR peering", (c) =>
      borderPeerings(c).some(
        ({ p, local, peer }) => local.account !== peer.account && c.plan.acceptances.some((a) => "peering" in a.peering && a.peering.peering === p.name),
      ),
    );
    often("a VPC-VBR peering whose VPC overlaps the on-premises blocks or the interconnect", (c) =>
      (c.plan.peerings ?? []).some((p) => {
        const ends = [p.vpc, p.peerVpc];
        const br = ends.find((e) => "borderRouter" in e) as { borderRouter: string } | undefined;
        const vpc = ends.find((e) => !("borderRouter" in e)) as VpcRef | undefined;
        if (!br || !vpc) return false;
        const b = c.plan.borderRouters!.find((x) => x.name === br.borderRouter)!;
        const v = vpcFacts(c).find(vpc)!;
        return [b.interconnectCidrBlock, ...b.onPremisesCidrBlocks].some((x) => cidrsOverlap(x, v.cidrBlock));
      }),
    );
    const vbrRoutes = (c: FuzzCase) =>
      c.plan.routes.flatMap((r) => {
        const hop = r.peering;
        const name =
          "peering" in hop
            ? hop.peering
            : "acceptance" in hop
              ? (c.plan.acceptances.find((a) => a.name === hop.acceptance)?.peering as { peering?: string })?.peering
              : undefined;
        const p = c.plan.peerings.find((x) => x.name === name);
        const br = p && ([p.vpc, p.peerVpc].find((e) => "borderRouter" in e) as { borderRouter: string } | undefined);
        return br ? [{ r, router: c.plan.borderRouters!.find((b) => b.name === br.borderRouter)! }] : [];
      });
    const inOnPrem = (cidr: string, blocks: string[]) => blocks.some((b) => cidrInside(cidr, b));
    often(
      "a VPC-table route inside the router's on-premises space",
      (c) => vbrRoutes(c).some(({ r, router }) => !("borderRouter" in r.table) && inOnPrem(r.destinationCidrBlock, router.onPremisesCidrBlocks)),
      0.05,
    );
    often(
      "a VPC-table route outside the router's on-premises space",
      (c) => vbrRoutes(c).some(({ r, router }) => !("borderRouter" in r.table) && !inOnPrem(r.destinationCidrBlock, router.onPremisesCidrBlocks)),
      0.01,
    );
    often("a VBR-table route", (c) => vbrRoutes(c).some(({ r }) => "borderRouter" in r.table), 0.03);
    it("draws every on-premises block", () => {
      for (const x of FUZZ_ON_PREM_CIDRS)
        expect(
          cases.some((k) => (k.plan.borderRouters ?? []).some((b) => b.onPremisesCidrBlocks.includes(x))),
          x,
        ).to.equal(true);
    });

    const countBy = <T>(items: T[], key: (t: T) => string) => {
      const m = new Map<string, number>();
      for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
      return Math.max(0, ...m.values());
    };
    often(
      "more VPCs in one account and region than the quota, counting the existing ones",
      (c) => countBy(vpcFacts(c).all, (v) => `${v.account} ${v.region}`) > FUZZ_QUOTAS.vpcsPerRegion,
      0.01,
    );
    often(
      "more peerings on one VPC than the quota",
      (c) =>
        countBy(
          peeringsOf(c).flatMap(({ local, peer }) => [local.key, peer.key]),
          (k) => k,
        ) > FUZZ_QUOTAS.peeringsPerVpc,
      0.05,
    );
    often("more routes in one table than the quota", (c) => countBy(c.plan.routes, (r) => JSON.stringify(r.table)) > FUZZ_QUOTAS.routesPerTable, 0.02);
    often(
      "more pending requests of one account than the quota, counting the existing ones",
      (c) => {
        const outside = c.existingVia === "otherStack" || c.existingVia === "byHand";
        const acceptedHere = (p: PlanPeering, plan: Plan, id: string) =>
          plan.acceptances.some((a) => ("peering" in a.peering && a.peering.peering === p.name) || ("id" in a.peering && a.peering.id === id));
        const requesters: string[] = [];
        const existingVpc = (ref: EndRef) => c.existing.vpcs.find((v) => "vpc" in ref && v.name === ref.vpc)!;
        for (const p of outside ? c.existing.peerings : []) {
          const [l, r] = [existingVpc(p.vpc), existingVpc(p.peerVpc)];
          if (l.account !== r.account && !acceptedHere(p, c.existing, "") && !acceptedHere(p, c.plan, `@${p.name}.peeringId`)) requesters.push(l.account);
        }
        for (const { p, local, peer } of peeringsOf(c)) {
          if (local.account !== peer.account && !acceptedHere(p, c.plan, "")) requesters.push(local.account);
        }
        return countBy(requesters, (a) => a) > FUZZ_QUOTAS.pendingRequestsPerAccount;
      },
      0.003,
    );

    const changed = (c: FuzzCase, pred: (before: Plan, after: Plan) => boolean) => c.existingVia === "sameStack" && pred(c.existing, c.plan);
    often("an update in place of what the stack deployed (tags)", (c) =>
      changed(c, (b, a) => a.vpcs.some((v) => v.tags && b.vpcs.some((w) => w.name === v.name && !w.tags))),
    );
    often(
      "an update in place of a peering's bandwidth",
      (c) =>
        changed(c, (b, a) =>
          a.peerings.some((p) =>
            b.peerings.some((q) => q.name === p.name && q.bandwidthMbps !== p.bandwidthMbps && JSON.stringify(q.peerVpc) === JSON.stringify(p.peerVpc)),
          ),
        ),
      0.005,
    );
    often("a replacement of a VPC (new CIDR or region)", (c) =>
      changed(c, (b, a) => a.vpcs.some((v) => b.vpcs.some((w) => w.name === v.name && (w.cidrBlock !== v.cidrBlock || w.region !== v.region)))),
    );
    often(
      "a replacement of a peering (new peer VPC)",
      (c) =>
        changed(c, (b, a) =>
          a.peerings.some((p) => b.peerings.some((q: PlanPeering) => q.name === p.name && JSON.stringify(q.peerVpc) !== JSON.stringify(p.peerVpc))),
        ),
      0.005,
    );
    often("a removal of something the stack deployed", (c) => changed(c, (b, a) => declaredNames(b).some((n) => !declaredNames(a).includes(n))));
  });
});
