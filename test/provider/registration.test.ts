// How a Peerlink resource hands itself to the SDK (provider/resource.ts), in the program process under
// Pulumi's mocks: inputs that are not outputs are left out when not given, and the SDK's per-property
// debug promises are made without stack frames, while every error still carries where it was declared.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as peerlink from "../../provider";
import { resetPlanning } from "../../provider/planning";

function mockEngine(): void {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, vpcId: `${args.name}-id`, routeTableId: `rtb-of-${args.name}` } }),
      call: () => ({}),
    },
    "proj",
    "dev",
    true,
  );
}

describe("resource registration (program process)", () => {
  beforeEach(() => {
    resetPlanning();
    mockEngine();
  });

  it("gives the SDK no property for connection or importId when the program sets neither", async () => {
    const plain = new peerlink.Vpc("plain", { region: "ap-guangzhou", cidrBlock: "10.0.0.0/16" });
    const adopted = new peerlink.Vpc("adopted", {
      region: "ap-guangzhou",
      cidrBlock: "10.1.0.0/16",
      importId: "vpc-0123456789ab",
      connection: { endpoint: "http://127.0.0.1:1" },
    });
    const props = (r: pulumi.Resource) => r as unknown as Record<string, unknown>;
    expect(props(plain).connection).to.equal(undefined);
    expect(props(plain).importId).to.equal(undefined);
    expect(pulumi.Output.isInstance(props(adopted).importId)).to.equal(true);
    expect(pulumi.Output.isInstance(props(adopted).connection)).to.equal(true);
    // The outputs a program reads are all there.
    for (const k of ["vpcId", "accountId", "routeTableId", "region", "cidrBlock", "name", "tags", "status"]) {
      expect(pulumi.Output.isInstance(props(plain)[k]), k).to.equal(true);
    }
    const [cidr, importId] = await new Promise<[string, string]>((resolve) =>
      pulumi.all([plain.cidrBlock, props(adopted).importId as pulumi.Output<string>]).apply(([c, i]) => resolve([c, i])),
    );
    expect(cidr).to.equal("10.0.0.0/16");
    expect(importId).to.equal("vpc-0123456789ab");
  });

  it("leaves Error.stackTraceLimit as it found it, after a resource and after an SDK error", () => {
    const before = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = 17;
      new peerlink.Vpc("limit", { region: "ap-guangzhou", cidrBlock: "10.2.0.0/16" });
      expect(Error.stackTraceLimit).to.equal(17);
      expect(() => new peerlink.Vpc("orphan", { region: "ap-guangzhou", cidrBlock: "10.3.0.0/16" }, { parent: {} as pulumi.Resource })).to.throw(
        /parent is not a valid Resource/,
      );
      expect(Error.stackTraceLimit).to.equal(17);
    } finally {
      Error.stackTraceLimit = before;
    }
  });

  it("shows where the program declared a resource the SDK refuses", () => {
    let caught: unknown;
    try {
      new peerlink.Vpc("orphan2", { region: "ap-guangzhou", cidrBlock: "10.4.0.0/16" }, { parent: {} as pulumi.Resource });
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(Error);
    const stack = (caught as Error).stack ?? "";
    expect(stack).to.contain("parent is not a valid Resource");
    expect(stack).to.contain("registration.test");
  });
});
