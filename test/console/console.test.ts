/**
 * The console in a real headless Chromium, against a real control plane (SQLite in a temp dir): sign-in
 * with a one-time link, the quickstart's topology, the acceptor's accept and reject, a bandwidth change,
 * a peering's related routes and metrics, the events, a stranger who sees nothing, and the peering list by
 * keyboard alone. Each test leaves a screenshot in test-results/console/.
 */
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { signInTokenFor } from "../../controlplane/http/console/sessions";
import {
  type Actor,
  addRoute,
  allowPeer,
  bootServer,
  createPeering,
  createVpc,
  expectStatus,
  getPeering,
  newActor,
  type Peering,
  type ServerHandle,
  type Vpc,
  waitForState,
} from "../helpers/api";
import { createBorderRouter } from "../helpers/border-routers";
import { launchBrowser, newPage, screenshot } from "../helpers/browser";
import { awayFromMidnight, record, serverNow, WINDOW_MS, windowOf } from "../helpers/traffic";

describe("console (headless Chromium)", function () {
  this.timeout(120_000);
  let server: ServerHandle;
  let browser: Browser;
  let alice: Actor;
  let bob: Actor;
  let carol: Actor;
  let app: Vpc;
  let data: Vpc;
  let edge: Vpc;
  let quickstart: Peering;
  let crossRegion: Peering;
  let toAccept: Peering;
  let toReject: Peering;
  let vbrPeering: Peering;
  let page: Page;
  let errors: string[];

  const link = async (who: Actor) =>
    `${server.url}/console/#signin=${(await signInTokenFor({ dataDir: server.dataDir, storeUrl: server.storeUrl }, who.name)).token}`;

  async function signedIn(who: Actor, viewport?: { width: number; height: number }): Promise<Page> {
    ({ page, errors } = await newPage(browser, viewport));
    await page.goto(await link(who));
    await page.getByText(`Signed in as ${who.name}`).waitFor();
    return page;
  }

  const row = (id: string) => page.locator(`tr[data-peering-id="${id}"]`);

  before(async () => {
    browser = await launchBrowser();
    server = await bootServer();
    alice = await newActor(server, "alice");
    // The metrics test records the half hour before now, which must be in today's open bill.
    await awayFromMidnight(alice.api);
    bob = await newActor(server, "bob");
    carol = await newActor(server, "carol");
    // The quickstart (examples/quickstart): app and data, peered in one account, a route each way.
    app = await createVpc(alice.api, { region: "ap-guangzhou", cidrBlock: "10.10.0.0/16", name: "app" });
    data = await createVpc(alice.api, { region: "ap-guangzhou", cidrBlock: "10.20.0.0/16", name: "data" });
    expectStatus(await alice.api.post("/v1/subnets", { vpcId: app.vpcId, cidrBlock: "10.10.1.0/24", name: "web" }), 201);
    quickstart = await createPeering(alice.api, { vpcId: app.vpcId, peerVpcId: data.vpcId, name: "app-to-data" });
    await waitForState(alice.api, quickstart.peeringId, "Activated");
    await addRoute(alice.api, app.routeTableId, { destinationCidrBlock: "10.20.0.0/16", peeringId: quickstart.peeringId });
    await addRoute(alice.api, data.routeTableId, { destinationCidrBlock: "10.10.0.0/16", peeringId: quickstart.peeringId });
    // A cross-region peering of alice's own, with a route on one side only.
    edge = await createVpc(alice.api, { region: "ap-shanghai", cidrBlock: "10.30.0.0/16", name: "edge" });
    crossRegion = await createPeering(alice.api, { vpcId: app.vpcId, peerVpcId: edge.vpcId, name: "app-to-edge", bandwidthMbps: 10 });
    await waitForState(alice.api, crossRegion.peeringId, "Activated");
    await addRoute(alice.api, app.routeTableId, { destinationCidrBlock: "10.30.0.0/16", peeringId: crossRegion.peeringId });
    // Bob asks twice: alice accepts one and rejects the other.
    await allowPeer(alice, app, bob.accountId);
    await allowPeer(alice, data, bob.accountId);
    const partner = await createVpc(bob.api, { region: "ap-guangzhou", cidrBlock: "172.16.0.0/16", name: "partner" });
    const partner2 = await createVpc(bob.api, { region: "ap-guangzhou", cidrBlock: "172.17.0.0/16", name: "partner2" });
    toAccept = await createPeering(bob.api, { vpcId: partner.vpcId, peerVpcId: app.vpcId, peerAccountId: alice.accountId, name: "bob-asks-app" });
    toReject = await createPeering(bob.api, { vpcId: partner2.vpcId, peerVpcId: data.vpcId, peerAccountId: alice.accountId, name: "bob-asks-data" });
    // Issue 11: a border router of alice's, to her data centre, peered with data.
    const dc = await createBorderRouter(alice.api, { region: "ap-guangzhou", name: "dc1", onPremisesCidrBlocks: ["192.168.0.0/16"] });
    vbrPeering = expectStatus(
      await alice.api.post("/v1/peering-connections", { vpcId: data.vpcId, peerBorderRouterId: dc.borderRouterId, name: "data-to-dc1" }),
      201,
    );
    await waitForState(alice.api, vbrPeering.peeringId, "Activated");
  });

  afterEach(async function () {
    if (page) await screenshot(page, this.currentTest?.fullTitle() ?? "console").catch(() => undefined);
    await page?.context().close();
    expect(errors, "errors thrown in the page").to.deep.equal([]);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("signs in with the one-time link, wipes it from the address bar, and refuses it a second time", async () => {
    const once = await link(alice);
    ({ page, errors } = await newPage(browser));
    await page.goto(once);
    await page.getByText("Signed in as alice").waitFor();
    expect(await page.evaluate("location.href")).not.to.include("signin=");
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).to.deep.equal([["peerlink_console", true, "Strict"]]);
    expect(await page.evaluate("document.cookie"), "the session cookie is out of the page's reach").to.equal("");
    await page.context().close();

    ({ page, errors } = await newPage(browser));
    await page.goto(once);
    await page.locator("#signin-error").getByText("used already or has expired").waitFor();
    expect(await page.locator("#api-key").getAttribute("type")).to.equal("password");
  });

  it("shows the quickstart's topology: VPCs, subnet, peerings by state, bandwidth, pending and one-sided edges", async () => {
    await signedIn(alice);
    await page.locator("#graph canvas").first().waitFor();
    const graph = page.locator("#graph");
    // alice's account, app, data, edge, web, her border router dc1; bob's account and his two VPCs
    expect(await graph.getAttribute("data-nodes")).to.equal("9");
    expect(await graph.getAttribute("data-edges")).to.equal("5");
    expect(await page.locator("#topology-routers").innerText()).to.match(
      /^1 border router: dc1 \(vbr-[0-9a-f]+, VLAN \d+, ap-guangzhou, on-premises 192\.168\.0\.0\/16\)$/,
    );
    const item = (p: Peering) => page.locator(`#topology-list li[data-peering-id="${p.peeringId}"]`);
    expect(await item(quickstart).innerText()).to.match(/app-to-data .*Activated$/);
    expect(await item(crossRegion).innerText()).to.include("Activated (10 Mbps · one-sided: no route back from the acceptor)");
    expect(await item(toAccept).innerText()).to.include("Accepting (waiting for you to accept)");
    expect(await item(vbrPeering).innerText()).to.match(/^data-to-dc1 vpc-[0-9a-f]+ → vbr-[0-9a-f]+: Activated \(no routes\)$/);
  });

  it("as the acceptor, accepts a pending cross-account request and watches it turn Activated", async () => {
    await signedIn(alice);
    await page.getByRole("link", { name: "Peerings" }).click();
    await row(toAccept.peeringId).getByText("Accepting").waitFor();
    expect(
      await row(crossRegion.peeringId)
        .getByRole("button", { name: /^Accept/ })
        .count(),
      "accept is the acceptor's",
    ).to.equal(0);
    await row(toAccept.peeringId)
      .getByRole("button", { name: `Accept bob-asks-app (${toAccept.peeringId})` })
      .click();
    await page.locator("#dialog").getByText(`Account ${bob.accountId} asks to peer`).waitFor();
    await page.locator("#dialog-confirm").click();
    await row(toAccept.peeringId).locator('[data-status="Activated"]').waitFor();
    expect((await getPeering(bob.api, toAccept.peeringId)).state).to.equal("Activated");
  });

  it("rejects another request, naming whose it is", async () => {
    await signedIn(alice);
    await page.goto(`${server.url}/console/#/peerings`);
    await row(toReject.peeringId)
      .getByRole("button", { name: /^Reject/ })
      .click();
    await page.locator("#dialog").getByText("Rejected is final").waitFor();
    await page.locator("#dialog-confirm").click();
    await row(toReject.peeringId).locator('[data-status="Rejected"]').waitFor();
    expect((await getPeering(bob.api, toReject.peeringId)).state).to.equal("Rejected");
  });

  it("changes a bandwidth, showing the new estimate first", async () => {
    await signedIn(alice);
    await page.goto(`${server.url}/console/#/peerings`);
    await row(crossRegion.peeringId)
      .getByRole("button", { name: /^Change bandwidth/ })
      .click();
    await page.getByLabel("Bandwidth cap (Mbps)").fill("50");
    await page.locator("#bandwidth-estimate").getByText("Estimate at 50 Mbps: 600 CNY a day").waitFor();
    await page.locator("#dialog-confirm").click();
    await row(crossRegion.peeringId).getByText("50 Mbps").waitFor();
    expect((await getPeering(alice.api, crossRegion.peeringId)).bandwidthMbps).to.equal(50);
  });

  it("opens a peering's related routes and its metrics chart, and picks another time range", async () => {
    const now = await serverNow(alice.api);
    for (let i = 1; i <= 6; i++)
      expectStatus(await record(alice.api, crossRegion.peeringId, windowOf(now) - i * WINDOW_MS, 8 + i, 4, { packetsOut: 1000 * i, packetsIn: 500 }), 200);
    await signedIn(alice);
    await page.goto(`${server.url}/console/#/peerings/${crossRegion.peeringId}`);
    await page.locator("#routing-verdict").getByText("One-sided").waitFor();
    expect(await page.locator("#related-routes-table tbody").innerText()).to.include("10.30.0.0/16");
    await page.locator("#chart-bandwidth canvas").waitFor();
    expect(await page.locator("#metrics-summary").innerText()).to.match(/^6 points /);
    // Offered up to 14 Mbps under the 10 Mbps cap of then (the change to 50 applies from the next window).
    expect(await page.locator("#chart-bandwidth").innerText()).to.include("out: peak 10.00 Mbps");
    await page.locator("#chart-loss canvas").waitFor();
    expect(await page.locator("#chart-loss").innerText()).to.match(/loss: peak (?!0\.00)[0-9.]+ %/);
    await screenshot(page, "console metrics of a cross-region peering");
    await page.getByLabel("Time range").selectOption("1h");
    await page
      .locator("#metrics-summary")
      .getByText(/every 5 minutes/)
      .waitFor();
    await page.locator("#bill-table").waitFor();
    expect(await page.locator("#bill-table tbody").innerText()).to.match(/^\d{4}-\d{2}-\d{2} \(so far\)\t10\.000 Mbps out\t\(0, 20\]\t200 CNY$/m);
    const lastMonth = (await page.locator("#bill-month option").allTextContents())[1];
    await page.getByLabel("Bills of").selectOption(lastMonth);
    await page.locator("#bill-table caption").getByText(`Bills of ${lastMonth}`).waitFor();

    await page.goto(`${server.url}/console/#/peerings/${quickstart.peeringId}`);
    await page.locator("#routing-verdict").getByText("both sides").waitFor();
    expect(await page.locator("#related-routes-table tbody").innerText()).to.include("10.20.0.0/16");
  });

  it("shows the events: the accept, the reject, the bandwidth change and an alarm", async () => {
    expectStatus(await alice.api.patch(`/v1/peering-connections/${crossRegion.peeringId}`, { alarms: { lossRatePercent: 5 } }), 200);
    // 80 Mbps offered, far over the cap: a loss past the 5% alarm (the window before lost nothing).
    expectStatus(await record(alice.api, crossRegion.peeringId, windowOf(await serverNow(alice.api)), 80, 4), 200);
    await signedIn(alice);
    await page.getByRole("link", { name: "Events" }).click();
    await page.locator("#events-table tr[data-action='accept']").first().waitFor();
    for (const action of ["reject", "bandwidth-change", "route-add", "create"]) {
      expect(await page.locator(`#events-table tr[data-action='${action}']`).count(), action).to.be.greaterThan(0);
    }
    await page.getByLabel("Show").selectOption("alarm");
    const alarms = page.locator("#events-table tbody tr");
    expect(await alarms.count()).to.equal(1);
    const alarmText = await alarms.innerText();
    expect(alarmText).to.match(/lossRatePercent at [1-9][0-9.]*% crossed the alarm at 5%/);
  });

  it("asks before a delete, naming the routes the cascade removes in both accounts", async () => {
    const partnerTable = (await bob.api.get("/v1/route-tables")).data.routeTables.find((t: { vpcId: string }) => t.vpcId === toAccept.requester.vpcId);
    await addRoute(bob.api, partnerTable.routeTableId, { destinationCidrBlock: "10.10.0.0/16", peeringId: toAccept.peeringId });
    const mine = await addRoute(alice.api, app.routeTableId, { destinationCidrBlock: "172.16.0.0/16", peeringId: toAccept.peeringId });
    await signedIn(alice);
    await page.goto(`${server.url}/console/#/peerings`);
    await row(toAccept.peeringId)
      .getByRole("button", { name: /^Delete/ })
      .click();
    const dialog = page.locator("#dialog");
    await dialog.getByText("Routes removed with it in your account: 1.").waitFor();
    expect(await dialog.innerText()).to.include(mine.routeId);
    expect(await dialog.locator("[data-peer-routes]").getAttribute("data-peer-routes")).to.equal("1");
    expect(await dialog.innerText()).not.to.include(partnerTable.routeTableId);
    await page.locator("#dialog-confirm").click();
    await row(toAccept.peeringId).locator('[data-status="Deleted"]').waitFor();
    expect(
      (await bob.api.get(`/v1/route-tables/${partnerTable.routeTableId}/routes`)).data.routes.map((r: { nextHopType: string }) => r.nextHopType),
    ).to.deep.equal(["Local"]);
  });

  it("gives a stranger's session none of another account's resources", async () => {
    ({ page, errors } = await newPage(browser));
    await page.goto(`${server.url}/console/`);
    await page.getByLabel("API key").fill(carol.apiKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as carol").waitFor();
    await page.getByText("0 VPCs in your account carol").waitFor();
    expect(await page.locator("#graph").getAttribute("data-edges")).to.equal("0");
    expect(await page.locator("#topology-list li").count()).to.equal(0);
    await page.goto(`${server.url}/console/#/peerings`);
    await page.getByText("0 of 0 peering connections").waitFor();
    await page.goto(`${server.url}/console/#/events`);
    await page.getByText("No events yet.").waitFor();
    await page.goto(`${server.url}/console/#/peerings/${quickstart.peeringId}`);
    await page.getByText(`NotFound: peering connection ${quickstart.peeringId} not found`).waitFor();
    const text = await page.locator("body").innerText();
    for (const secret of [app.vpcId, data.vpcId, alice.accountId, "10.10.0.0/16"]) expect(text).not.to.include(secret);
  });

  it("moves through the peering list by keyboard alone, at a narrow window too", async () => {
    await signedIn(alice, { width: 420, height: 800 });
    await page.goto(`${server.url}/console/#/peerings`);
    await page.locator("#peering-table a.row-link").first().waitFor();
    // Tab from the top of the page to the first row's link, through labelled filters.
    await page.locator("body").focus();
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      const el = (await page.evaluate(`(() => {
        const a = document.activeElement;
        return { cls: a.className, label: (a.labels && a.labels[0] ? a.labels[0].textContent : a.textContent) || "" };
      })()`)) as { cls: string; label: string };
      seen.push(el.label.trim().split("\n")[0]);
      if (el.cls === "row-link") break;
    }
    for (const filter of ["Region", "VPC", "State", "Role"])
      expect(
        seen.some((s) => s.startsWith(filter)),
        `${filter} filter reached by Tab: ${seen.join(" | ")}`,
      ).to.equal(true);
    const focusedRow = 'document.activeElement.closest("tr").dataset.peeringId';
    const first = await page.evaluate(focusedRow);
    expect(first).to.equal(quickstart.peeringId);
    await page.keyboard.press("ArrowDown");
    const second = await page.evaluate(focusedRow);
    expect(second).to.equal(crossRegion.peeringId);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Peering app-to-edge" }).waitFor();
    expect(await page.evaluate("location.hash")).to.equal(`#/peerings/${crossRegion.peeringId}`);
  });
  // Last: it moves the test clock past the 7-day expiry.
  it("offers the initiator to re-enable an expired request, and the acceptor nothing but delete", async () => {
    const again = await createPeering(bob.api, {
      vpcId: toReject.requester.vpcId,
      peerVpcId: data.vpcId,
      peerAccountId: alice.accountId,
      name: "bob-asks-again",
    });
    expectStatus(await alice.api.post("/v1/test/clock/advance", { ms: 7 * 24 * 3600_000 + 60_000 }), 200);
    await waitForState(bob.api, again.peeringId, "Expired");
    await signedIn(alice);
    await page.goto(`${server.url}/console/#/peerings`);
    await row(again.peeringId).locator('[data-status="Expired"]').waitFor();
    expect(
      await row(again.peeringId)
        .locator("button")
        .evaluateAll((bs) => bs.map((b) => b.textContent)),
    ).to.deep.equal(["Delete"]);
    await page.context().close();

    await signedIn(bob);
    await page.goto(`${server.url}/console/#/peerings`);
    await row(again.peeringId)
      .getByRole("button", { name: /^Re-enable/ })
      .click();
    await page.locator("#dialog").getByText("7 days to accept").waitFor();
    await page.locator("#dialog-confirm").click();
    await row(again.peeringId).locator('[data-status="Connecting"]').waitFor();
    expect((await getPeering(alice.api, again.peeringId)).status).to.equal("Accepting");
  });
});
