import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { expect } from "chai";
import { acceptanceInputFailures } from "../../provider/impl/peering-acceptance";
import { peeringInputFailures } from "../../provider/impl/peering-connection";
import { routeInputFailures } from "../../provider/impl/route-entry";
import { vpcFailures } from "../../provider/impl/vpc";
import {
  hasUnknown,
  nameFromOwnerRef,
  sameValue,
  UNKNOWN,
  validateAllowedAccounts,
  validateBandwidthInput,
  validateConnection,
  validateDestinationCidr,
  validateId,
  validateOnDelete,
  validateRegion,
  validateTags,
  validateVpcCidr,
  violationsToFailures,
} from "../../provider/validation";

const REF = "proj/dev/Vpc/app";

describe("provider validation", () => {
  describe("unknowns", () => {
    it("uses the SDK's unknown sentinel", () => {
      expect(UNKNOWN).to.equal(rpc.unknownValue);
    });
    it("finds the sentinel in strings, arrays, numbers' positions and nested objects", () => {
      expect(hasUnknown(UNKNOWN)).to.equal(true);
      expect(hasUnknown(["acc-000000000001", UNKNOWN])).to.equal(true);
      expect(hasUnknown({ a: { b: [UNKNOWN] } })).to.equal(true);
      expect(hasUnknown({ a: 1, b: ["x"] })).to.equal(false);
    });
    it("skips every rule whose input is unknown", () => {
      expect(vpcFailures({ region: UNKNOWN, cidrBlock: UNKNOWN, ownerRef: REF })).to.deep.equal([]);
      expect(peeringInputFailures({ vpcId: UNKNOWN, peerVpcId: UNKNOWN, bandwidthMbps: UNKNOWN as unknown as number, ownerRef: REF })).to.deep.equal([]);
      expect(routeInputFailures({ routeTableId: UNKNOWN, destinationCidrBlock: UNKNOWN, peeringId: UNKNOWN, ownerRef: REF })).to.deep.equal([]);
      expect(acceptanceInputFailures({ peeringId: UNKNOWN, allowedRequesterAccountIds: UNKNOWN as unknown as string[], ownerRef: REF })).to.deep.equal([]);
      expect(validateAllowedAccounts(["acc-0123456789ab", UNKNOWN])).to.deep.equal([]);
    });
  });

  describe("CIDR", () => {
    it("rejects a non-canonical CIDR and names the canonical form", () => {
      const f = validateVpcCidr("10.0.0.1/16", "cidrBlock", 'Vpc "app"');
      expect(f).to.have.length(1);
      expect(f[0].property).to.equal("cidrBlock");
      expect(f[0].reason).to.contain('Vpc "app"').and.contain("use 10.0.0.0/16");
    });
    it("rejects malformed CIDRs, odd address forms and out-of-range VPC sizes", () => {
      for (const bad of ["10.0.0.0", "0x0a.0.0.0/8", "10.0.0.0/33", "256.0.0.0/8", "10.00.0.0/16", "10.0.0.0/29", "10.0.0.0/7", 42]) {
        expect(validateVpcCidr(bad), String(bad)).to.have.length(1);
      }
    });
    it("accepts canonical VPC CIDRs from /8 to /28", () => {
      expect(validateVpcCidr("10.0.0.0/8")).to.deep.equal([]);
      expect(validateVpcCidr("192.168.1.16/28")).to.deep.equal([]);
    });
    it("accepts any canonical destination and rejects host bits", () => {
      expect(validateDestinationCidr("10.1.2.3/32")).to.deep.equal([]);
      expect(validateDestinationCidr("10.1.2.3/24")[0].reason).to.contain("use 10.1.2.0/24");
    });
  });

  describe("regions", () => {
    it("lists the valid ids for an unknown region", () => {
      const f = validateRegion("us-east-1");
      expect(f[0].property).to.equal("region");
      expect(f[0].reason).to.contain("ap-guangzhou").and.contain("na-toronto");
    });
    it("accepts a known region", () => {
      expect(validateRegion("ap-shanghai")).to.deep.equal([]);
    });
  });

  describe("ids, tags, bandwidth, connection, onDelete", () => {
    it("checks id shapes", () => {
      expect(validateId("vpc-0123456789ab", "vpc", "vpcId")).to.deep.equal([]);
      expect(validateId("vpc-XYZ", "vpc", "vpcId")[0].reason).to.contain('"vpcId"');
      expect(validateId(undefined, "acc", "peerAccountId", undefined, false)).to.deep.equal([]);
      expect(validateId(undefined, "vpc", "vpcId")[0].reason).to.contain("required");
    });
    it("limits tags to 50 string values", () => {
      const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
      expect(validateTags(many)[0].reason).to.contain("at most 50");
      expect(validateTags({ a: 1 })[0].reason).to.contain("string value");
      expect(validateTags({ a: "b" })).to.deep.equal([]);
    });
    it("wants a whole number of Mbps >= 1", () => {
      expect(validateBandwidthInput(0)).to.have.length(1);
      expect(validateBandwidthInput(1.5)).to.have.length(1);
      expect(validateBandwidthInput(100)).to.deep.equal([]);
    });
    it("checks the connection without echoing the key", () => {
      expect(validateConnection({ endpoint: "ftp://x" })[0].reason).to.contain("http(s) URL");
      const f = validateConnection({ apiKey: 12345 });
      expect(f[0].reason).not.to.contain("12345");
      expect(validateConnection({ endpoint: "http://127.0.0.1:1", apiKey: "plk_x" })).to.deep.equal([]);
      expect(validateConnection({ token: "x" })[0].reason).to.contain("unknown field");
    });
    it("allows only disconnect or retain", () => {
      expect(validateOnDelete("keep")[0].reason).to.contain('"disconnect"');
      expect(validateOnDelete("retain")).to.deep.equal([]);
    });
    it("requires a non-empty allow-list of account ids", () => {
      expect(validateAllowedAccounts([])[0].reason).to.contain("required");
      expect(validateAllowedAccounts(undefined)[0].property).to.equal("allowedRequesterAccountIds");
      expect(validateAllowedAccounts(["acc-1"])[0].reason).to.contain("acc id");
    });
  });

  describe("resource-level failures", () => {
    it("reports every Vpc failure at once, each on its property", () => {
      const f = vpcFailures({ region: "mars-1", cidrBlock: "10.0.0.1/16", tags: { a: 1 as unknown as string }, ownerRef: REF });
      expect(f.map((x) => x.property)).to.deep.equal(["region", "cidrBlock", "tags"]);
      expect(f.every((x) => x.reason.startsWith('Vpc "app": '))).to.equal(true);
    });
    it("checks a RouteEntry's destination and ids", () => {
      const f = routeInputFailures({ routeTableId: "rtb-x", destinationCidrBlock: "10.1.0.1/16", peeringId: "pcx-0123456789ab", ownerRef: REF });
      expect(f.map((x) => x.property)).to.deep.equal(["routeTableId", "destinationCidrBlock"]);
    });
  });

  describe("helpers", () => {
    it("reads the resource name from an ownerRef", () => {
      expect(nameFromOwnerRef("p/s/Vpc/app")).to.equal("app");
      expect(nameFromOwnerRef("p/s/Vpc/a/b")).to.equal("a/b");
      expect(nameFromOwnerRef(UNKNOWN)).to.equal(undefined);
    });
    it("compares JSON values with missing == null == undefined", () => {
      expect(sameValue({ a: 1, b: undefined }, { a: 1 })).to.equal(true);
      expect(sameValue(null, undefined)).to.equal(true);
      expect(sameValue(["a"], ["a", "b"])).to.equal(false);
    });
    it("turns violations into failures on their field, deduplicated", () => {
      const v = { code: "CidrOverlap" as const, field: "peerVpcId", message: "x overlaps y" };
      const f = violationsToFailures([v, v, { code: "QuotaExceeded", message: "q" }], "vpcId", 'PeeringConnection "p"');
      expect(f).to.deep.equal([
        { property: "peerVpcId", reason: 'PeeringConnection "p": CidrOverlap: x overlaps y' },
        { property: "vpcId", reason: 'PeeringConnection "p": QuotaExceeded: q' },
      ]);
    });
  });
});
