import { expect } from "chai";
import * as fc from "fast-check";
import { checkVpcCidr, cidrContains, cidrsOverlap, findOverlaps, PeerlinkError, parseCidr } from "../../domain";
import { RejectedWith, shouldReject } from "../helpers/assert";

/** The call must throw the domain's ValidationError (a PeerlinkError); returns it for further assertions. */
async function refused(fn: () => unknown): Promise<RejectedWith> {
  const r = await shouldReject(fn, "ValidationError");
  expect(r.error).to.be.instanceOf(PeerlinkError);
  return r;
}

describe("domain/cidr", () => {
  describe("parseCidr", () => {
    it("parses a canonical CIDR into unsigned bounds", () => {
      const c = parseCidr("10.0.0.0/16");
      expect(c).to.deep.equal({ text: "10.0.0.0/16", start: 0x0a000000, end: 0x0a00ffff, prefix: 16 });
      expect(parseCidr("255.255.255.255/32").end).to.equal(0xffffffff);
      expect(parseCidr("0.0.0.0/0").end).to.equal(0xffffffff);
    });
    for (const bad of [
      "10.0.0/16",
      "10.0.0.0",
      "0xa.0.0.0/8",
      "010.0.0.0/8",
      "3232235777/32",
      "10.0.0.256/32",
      "10.0.0.0/33",
      "10.0.0.0/016",
      " 10.0.0.0/16",
      "10.0.0.0/16 ",
      "10.0.0.0/-1",
      "a.b.c.d/8",
      "10.0.0.0/16'; DROP TABLE vpcs;--",
      "",
    ]) {
      it(`refuses ${JSON.stringify(bad)}`, async () => {
        await refused(() => parseCidr(bad));
      });
    }
    it("refuses non-strings", async () => {
      await refused(() => parseCidr(42));
    });
    it("names the canonical form when host bits are set", async () => {
      const e = await refused(() => parseCidr("10.0.0.1/16"));
      expect(e.details.canonical).to.equal("10.0.0.0/16");
      expect(e.message).to.contain("use 10.0.0.0/16");
    });
  });
  describe("parseCidr on ipaddr.js, against arithmetic", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const prefix = fc.integer({ min: 0, max: 32 });
    const mask = (p: number) => (p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0);

    it("gives the network of any decimal address and prefix as its canonical form", () => {
      fc.assert(
        fc.property(fc.tuple(octet, octet, octet, octet), prefix, (o, p) => {
          const addr = ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
          const start = (addr & mask(p)) >>> 0;
          const text = `${o.join(".")}/${p}`;
          const canonical = `${[start >>> 24, (start >>> 16) & 255, (start >>> 8) & 255, start & 255].join(".")}/${p}`;
          if (start === addr) {
            expect(parseCidr(text)).to.deep.equal({ text, start, end: start + 2 ** (32 - p) - 1, prefix: p });
          } else {
            expect(() => parseCidr(text))
              .to.throw(PeerlinkError)
              .with.nested.property("details.canonical", canonical);
          }
        }),
        { numRuns: 500 },
      );
    });

    it("refuses leading zeros, hex and out-of-range parts however they are placed", () => {
      const bad = fc.oneof(
        fc.tuple(octet, octet, octet, octet, prefix).map(([a, b, c, d, p]) => `0${a}.${b}.${c}.${d}/${p}`),
        fc.tuple(octet, octet, octet, octet, prefix).map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/0${p}`),
        fc.tuple(octet, octet, octet, prefix).map(([a, b, c, p]) => `0x${a.toString(16)}.${b}.${c}.0/${p}`),
        fc.tuple(fc.integer({ min: 256, max: 999 }), octet, octet, prefix).map(([a, b, c, p]) => `${b}.${a}.${c}.0/${p}`),
        fc.tuple(octet, octet, octet, fc.integer({ min: 33, max: 99 })).map(([a, b, c, p]) => `${a}.${b}.${c}.0/${p}`),
      );
      fc.assert(
        fc.property(bad, (text) => {
          expect(() => parseCidr(text), text)
            .to.throw(PeerlinkError)
            .with.property("code", "ValidationError");
        }),
        { numRuns: 500 },
      );
    });
  });

  describe("checkVpcCidr", () => {
    it("accepts /8 to /28", () => {
      expect(checkVpcCidr("10.0.0.0/8").prefix).to.equal(8);
      expect(checkVpcCidr("10.0.0.0/28").prefix).to.equal(28);
    });
    it("refuses /7 and /29", async () => {
      await refused(() => checkVpcCidr("10.0.0.0/7"));
      expect((await refused(() => checkVpcCidr("10.0.0.0/29"))).message).to.contain("/8 and /28");
    });
  });
  describe("overlap and containment", () => {
    it("detects nested and disjoint blocks", () => {
      expect(cidrsOverlap("10.0.0.0/16", "10.0.128.0/17")).to.equal(true);
      expect(cidrsOverlap("10.0.0.0/16", "10.1.0.0/16")).to.equal(false);
      expect(cidrContains("10.0.0.0/16", "10.0.1.0/24")).to.equal(true);
      expect(cidrContains("10.0.1.0/24", "10.0.0.0/16")).to.equal(false);
    });
    it("findOverlaps returns every overlapping pair", () => {
      const pairs = findOverlaps([
        { key: "a", cidr: "10.0.0.0/8" },
        { key: "b", cidr: "10.1.0.0/16" },
        { key: "c", cidr: "192.168.0.0/16" },
        { key: "d", cidr: "10.1.2.0/24" },
        { key: "e", cidr: "11.0.0.0/8" },
      ]);
      const keys = pairs.map(([x, y]) => [x.key, y.key].sort().join("-")).sort();
      expect(keys).to.deep.equal(["a-b", "a-d", "b-d"]);
    });
    it("findOverlaps handles many disjoint blocks", () => {
      const items = Array.from({ length: 5000 }, (_, i) => ({ key: String(i), cidr: `10.${i >> 8}.${i & 255}.0/24` }));
      expect(findOverlaps(items)).to.have.length(0);
    });
  });
});
