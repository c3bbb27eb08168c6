import { expect } from "chai";
import { peeringInputFailures, provider } from "../../provider/impl/peering-connection";
import { provider as vpcProvider } from "../../provider/impl/vpc";
import type { ConnectionInputs, PeeringConnectionInputs } from "../../provider/types";
import { UNKNOWN } from "../../provider/validation";
import { api, Env, ref, startEnv } from "./fixtures";

async function makeVpc(conn: ConnectionInputs, name: string, cidrBlock: string, region: string) {
  const { id } = await vpcProvider.create({ region, cidrBlock, name, ownerRef: ref("Vpc", name), connection: conn });
  return id;
}

const REF = ref("PeeringConnection", "alarmed");
const base = { vpcId: "vpc-000000000001", peerVpcId: "vpc-000000000002", ownerRef: REF };

describe("PeeringConnection alarm thresholds", () => {
  describe("check", () => {
    it("accepts thresholds in (0, 100] on a peering with a bandwidth cap, and unknowns", () => {
      expect(peeringInputFailures({ ...base, bandwidthMbps: 20, lossRateAlarmPercent: 5, peakUtilisationAlarmPercent: 100 })).to.deep.equal([]);
      expect(peeringInputFailures({ ...base, bandwidthMbps: 20, lossRateAlarmPercent: UNKNOWN as unknown as number })).to.deep.equal([]);
    });
    it("refuses a threshold outside (0, 100], naming the input", () => {
      const f = peeringInputFailures({ ...base, bandwidthMbps: 20, lossRateAlarmPercent: 0, peakUtilisationAlarmPercent: 120 });
      expect(f.map((x) => x.property)).to.deep.equal(["lossRateAlarmPercent", "peakUtilisationAlarmPercent"]);
      expect(f[0].reason).to.contain('PeeringConnection "alarmed"').and.contain('"lossRateAlarmPercent" must be a percentage');
    });
    it("refuses alarms on a peering without bandwidthMbps (regional: not monitored)", () => {
      const f = peeringInputFailures({ ...base, lossRateAlarmPercent: 5 });
      expect(f).to.have.length(1);
      expect(f[0].reason).to.contain("NotMonitored").and.contain("bandwidthMbps");
    });
  });

  describe("against the control plane", () => {
    let env: Env;
    before(async () => {
      env = await startEnv({ transitionDelayMs: 0 });
    });
    after(async () => env.server.stop());

    it("creates with thresholds, updates them in place and clears them", async () => {
      const a = await makeVpc(env.a.conn, "al-a", "10.90.0.0/16", "ap-shanghai");
      const b = await makeVpc(env.a.conn, "al-b", "10.91.0.0/16", "ap-guangzhou");
      const ins: PeeringConnectionInputs = { vpcId: a, peerVpcId: b, bandwidthMbps: 20, lossRateAlarmPercent: 5, ownerRef: REF, connection: env.a.conn };
      const { id, outs } = await provider.create(ins);
      expect(outs).to.include({ lossRateAlarmPercent: 5, peakUtilisationAlarmPercent: null });
      expect((await api(env, "a", "GET", `/v1/peering-connections/${id}`)).data.alarms).to.deep.equal({ lossRatePercent: 5, peakUtilisationPercent: null });

      const news = { ...ins, lossRateAlarmPercent: 2, peakUtilisationAlarmPercent: 90 };
      expect(await provider.diff!(id, outs!, news)).to.deep.include({ changes: true, replaces: [] });
      const upd = await provider.update!(id, outs!, news);
      expect(upd.outs).to.include({ peeringId: id, lossRateAlarmPercent: 2, peakUtilisationAlarmPercent: 90 });

      const cleared = await provider.update!(id, upd.outs!, { ...ins, lossRateAlarmPercent: undefined });
      expect(cleared.outs).to.include({ lossRateAlarmPercent: null, peakUtilisationAlarmPercent: null });
      const read = await provider.read!(id, cleared.outs!);
      expect(read.props).to.include({ lossRateAlarmPercent: null });
      await provider.delete!(id, cleared.outs!);
    });
  });
});
