// The code reader on output as the pulumi CLI prints it (copied from real runs of the fuzz test).
import { expect } from "chai";
import { diagnostics, errorCodes, errorCodesByResource } from "./error-codes";

const PREVIEW = `Previewing update (main):

Diagnostics:
  pulumi-nodejs:dynamic/peerlink:PeeringConnection (p0):
    warning: PeeringConnection "p0" has routes only on the side of VPC "v3" (RouteEntry "r0"); the side of VPC "xv0" has no route back: add a RouteEntry (NonTransitiveRoute: not an error)

  pulumi-nodejs:dynamic/peerlink:RouteEntry (r0):
    error: pulumi-nodejs:dynamic/peerlink:RouteEntry resource 'r0': property destinationCidrBlock value {192.168.0.0/24} has a problem: RouteEntry "r0": NonTransitiveRoute: destination 192.168.0.0/24 is not inside the peer VPC CIDR 10.1.0.0/17
    error: pulumi-nodejs:dynamic/peerlink:PeeringConnection resource 'p0': property vpcId value {vpc-740d86d49e2d} has a problem: PeeringConnection "p0": PeerCidrOverlap: VPC "xv0" (10.1.0.0/17) overlaps a CIDR

Resources:
    + 4 to create
    1 errored
`;

const UP = `Updating (main):

Diagnostics:
  pulumi:pulumi:Stack (peerlink-e2e-main):
    error: update failed

  pulumi-nodejs:dynamic/peerlink:PeeringConnection (p1):
    error: creating PeeringConnection (vpc-8edf7470cdc5 -> vpc-7b6dafdf69a6): NotFound: peer VPC vpc-7b6dafdf69a6 not found in account acc-fc3b54aee02c; check "peerVpcId" and "peerAccountId"

  pulumi-nodejs:dynamic/peerlink:PeeringConnection (p0):
    error: creating PeeringConnection (vpc-02413003d0a6 -> vpc-8edf7470cdc5): CidrOverlap: VPC "xv0" overlaps peer VPC vpc-8edf7470cdc5
      and this line continues the message: QuotaExceeded: quoted in a continuation

Resources:
    + 2 created
    3 errored

Duration: 3s
`;

describe("fuzz error codes", () => {
  it("reads the codes of a failed preview's check failures, not of its warnings", () => {
    expect(errorCodes(PREVIEW)).to.deep.equal(["NonTransitiveRoute", "PeerCidrOverlap"]);
    expect(errorCodes(PREVIEW.replace(/error:/g, "warning:"))).to.deep.equal([]);
  });

  it("reads the codes of a failed up's creates, continuation lines included", () => {
    expect(errorCodes(UP)).to.deep.equal(["CidrOverlap", "NotFound", "QuotaExceeded"]);
  });

  it("groups the codes by resource", () => {
    expect([...errorCodesByResource(PREVIEW)]).to.deep.equal([["r0", ["NonTransitiveRoute", "PeerCidrOverlap"]]]);
    expect([...errorCodesByResource(UP)]).to.deep.equal([
      ["p1", ["NotFound"]],
      ["p0", ["CidrOverlap", "QuotaExceeded"]],
    ]);
  });

  it("finds no code in a clean run", () => {
    expect(errorCodes("Updating (main):\n\nResources:\n    + 2 created\n\nDuration: 3s\n")).to.deep.equal([]);
  });

  it("shows the Diagnostics section", () => {
    expect(diagnostics(UP))
      .to.match(/^Diagnostics:/)
      .and.contain("NotFound");
  });
});
