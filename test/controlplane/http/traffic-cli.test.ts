import { expect } from "chai";
import { activePeering, advanceClock, createVpc, expectStatus, startWorld, World } from "../../helpers/api";
import { runCli as peerlink } from "../../helpers/cli";
import { advanceToNextDay, record, WINDOW_MS, windowOf } from "../../helpers/traffic";

describe("peerlink CLI: peering metrics, bill and alarm events", function () {
  let w: World;
  let peeringId: string;
  let date: string;
  const as = (who: "a" | "b" | "c") => ({ PEERLINK_ENDPOINT: w.url, PEERLINK_API_KEY: w[who].apiKey });

  before(async function () {
    w = await startWorld({ transitionDelayMs: 0 });
    const va = await createVpc(w.a.api, { region: "ap-shanghai" });
    const vb = await createVpc(w.b.api, { region: "ap-guangzhou" });
    const p = await activePeering(w.a, va, w.b, vb, { bandwidthMbps: 30, name: "cli" });
    peeringId = p.peeringId;
    expectStatus(await w.a.api.patch(`/v1/peering-connections/${peeringId}`, { alarms: { lossRatePercent: 5 } }), 200);
    const day = await advanceToNextDay(w.a.api);
    date = day.date;
    const start = windowOf(day.now) - 3 * WINDOW_MS;
    // 20 out / 30 in at most (the seed's example), then a window above the 30 Mbps cap
    for (const [i, [out, inn]] of [
      [20, 5],
      [10, 30],
      [45, 10],
    ].entries()) {
      expectStatus(await record(w.a.api, peeringId, start + i * WINDOW_MS, out, inn), 200);
    }
  });
  after(async () => w?.close());

  it("prints a table and sparklines of bandwidth and loss", async function () {
    const res = await peerlink(["peering", "metrics", peeringId, "--since", "1h"], as("a"));
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.contain(`${peeringId} (initiator)`).and.contain("cap 30 Mbps");
    expect(res.stdout).to.match(/^out {2}[▁▂▃▄▅▆▇█]+ {2}max 30 Mbps$/m);
    expect(res.stdout).to.match(/^loss [▁▂▃▄▅▆▇█]+ {2}max 27\.273 %$/m);
    expect(res.stdout).to.contain("OUT Mbps").and.contain("LOSS %");
  });

  it("shows the acceptor its own directions, and a stranger nothing", async function () {
    const theirs = await peerlink(["peering", "metrics", peeringId, "--json"], as("b"));
    expect(theirs.code, theirs.stderr).to.equal(0);
    const m = JSON.parse(theirs.stdout);
    expect(m.role).to.equal("acceptor");
    expect(Math.max(...m.points.map((p: { inMbps: number }) => p.inMbps))).to.equal(30);
    const stranger = await peerlink(["peering", "metrics", peeringId], as("c"));
    expect(stranger.code).to.not.equal(0);
    expect(stranger.stderr).to.contain("NotFound");
  });

  it("refuses a --since that is not a duration", async function () {
    const res = await peerlink(["peering", "metrics", peeringId, "--since", "yesterday"], as("a"));
    expect(res.code).to.not.equal(0);
    expect(res.stderr).to.contain("30m, 24h or 7d");
  });

  it("prints the day's bill after the day ends, and the month", async function () {
    await advanceClock(w.a.api, 24 * 3600_000);
    const res = await peerlink(["bill", "--date", date], as("a"));
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.contain(`${date}: 360 CNY`).and.contain("cross-region interconnection (mainland)").and.contain("(20, 100]");
    const month = await peerlink(["bill", "--month", date.slice(0, 7)], as("a"));
    expect(month.code, month.stderr).to.equal(0);
    expect(month.stdout).to.match(new RegExp(`^${date}\\s+360 CNY`, "m"));
    const acceptor = await peerlink(["bill", "--date", date], as("b"));
    expect(acceptor.stdout).to.contain(`${date}: 0 CNY`).and.contain("nothing billed");
  });

  it("lists the alarm crossing in `peerlink events`", async function () {
    const res = await peerlink(["events", "--resource", peeringId], as("a"));
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout.split("\n").filter((l) => /\balarm\b/.test(l))).to.have.length(1);
  });
});
