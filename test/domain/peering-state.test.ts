import { expect } from "chai";
import { assertTransition, InvalidStateError, LIVE_STATES, sideStatus } from "../../domain";
import { shouldReject } from "../helpers/assert";

describe("domain/peering-state", () => {
  it("shows Connecting to the initiator and Accepting to the acceptor while pending", () => {
    expect(sideStatus("Pending", "initiator")).to.equal("Connecting");
    expect(sideStatus("Pending", "acceptor")).to.equal("Accepting");
    expect(sideStatus("Activated", "acceptor")).to.equal("Activated");
  });
  it("follows the seed's suspend and resume sequence", () => {
    let s = assertTransition("Activated", "suspend");
    expect(s).to.equal("Suspending");
    s = assertTransition(s, "complete");
    expect(s).to.equal("Suspended");
    s = assertTransition(s, "resume");
    expect(s).to.equal("Activating");
    expect(assertTransition(s, "complete")).to.equal("Activated");
  });
  it("re-enables an expired request back to Pending", () => {
    expect(assertTransition("Pending", "expire")).to.equal("Expired");
    expect(assertTransition("Expired", "enable")).to.equal("Pending");
  });
  it("keeps Rejected terminal", () => {
    for (const a of ["accept", "enable", "suspend", "resume"] as const) {
      expect(() => assertTransition("Rejected", a)).to.throw(InvalidStateError);
    }
  });
  it("reports the current state when refusing", async () => {
    const e = await shouldReject(() => assertTransition("Activated", "accept", "pcx-000000000001"), "InvalidState");
    expect(e.details.state).to.equal("Activated");
  });
  it("counts pending and active states as live", () => {
    expect(LIVE_STATES).to.include.members(["Pending", "Activated", "Suspended"]);
    expect(LIVE_STATES).to.not.include("Expired");
  });
});
