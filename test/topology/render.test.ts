import { expect } from "chai";
import type { Topology } from "../../topology/model";
import { lay, toDot, toJson, toMermaid } from "../../topology/render";

const sample = (): Topology => ({
  groups: [
    { key: "acc-b", label: "account acc-b" },
    { key: "acc-a", label: "account acc-a" },
  ],
  nodes: [
    { key: "vpc-2", kind: "vpc", group: "acc-a", label: "spoke", details: ["10.1.0.0/16 · ap-beijing"], change: "create" },
    { key: "vpc-1", kind: "vpc", group: "acc-a", label: "hub", details: ["10.0.0.0/16 · ap-beijing"] },
    { key: "vpc-9", kind: "external", group: "acc-b", label: "vpc-9" },
    { key: "sn-1", kind: "subnet", group: "acc-a", parent: "vpc-1", label: 'app "one"', details: ["10.0.1.0/24"], problems: ["CidrOverlap"] },
  ],
  edges: [
    { key: "rt-1", kind: "route", from: "vpc-1", to: "vpc-2", label: "→ 10.1.0.0/16", change: "create" },
    { key: "pcx-1", kind: "peering", from: "vpc-1", to: "vpc-2", label: "hub-to-spoke", change: "create", dashed: true },
    { key: "pcx-2", kind: "peering", from: "vpc-1", to: "vpc-9", label: "partner · Activated" },
    { key: "assoc", kind: "association", from: "vpc-1", to: "sn-1", label: "" },
    { key: "dangling", kind: "route", from: "vpc-1", to: "nowhere", label: "x" },
  ],
});

describe("topology renderers", () => {
  describe("lay", () => {
    it("orders groups, nodes and edges by what is printed, so the input order does not matter", () => {
      const a = lay(sample());
      const reversed = sample();
      reversed.nodes.reverse();
      reversed.edges.reverse();
      reversed.groups.reverse();
      expect(lay(reversed)).to.deep.equal(a);
      expect(a.groups.map((g) => g.key)).to.deep.equal(["acc-a", "acc-b"]);
      expect(a.nodes.map((n) => `${n.id}=${n.key}`)).to.deep.equal(["vpc1=vpc-1", "vpc2=vpc-2", "sn1=sn-1", "ext1=vpc-9"]);
    });
    it("drops edges whose ends are not drawn", () => {
      expect(lay(sample()).edges.map((e) => e.key)).to.not.include("dangling");
    });
  });

  describe("toMermaid", () => {
    it("draws accounts as subgraphs, marks changes and problems, and escapes quotes", () => {
      const text = toMermaid(sample());
      expect(text.startsWith("flowchart LR\n")).to.equal(true);
      expect(text).to.contain('  subgraph acct1["account acc-a"]\n    vpc1["hub<br/>10.0.0.0/16 · ap-beijing"]');
      expect(text).to.contain('vpc2["+ spoke<br/>10.1.0.0/16 · ap-beijing"]');
      expect(text).to.contain('sn1("app #quot;one#quot; ⚠ CidrOverlap<br/>10.0.1.0/24")');
      expect(text).to.contain('vpc1 <-.->|"+ hub-to-spoke"| vpc2');
      expect(text).to.contain('vpc1 <-->|"partner · Activated"| ext1');
      expect(text).to.contain('vpc1 -.->|"+ → 10.1.0.0/16"| vpc2');
      expect(text).to.contain("  class vpc2 create");
      expect(text).to.contain("  class sn1 violation");
      // Edges are styled by their position: the peering to be created is the second (ext1 sorts before vpc2).
      expect(text).to.contain("  linkStyle 1 stroke:#1a7f37");
    });
  });

  describe("toDot and toJson", () => {
    it("draws the same elements as DOT clusters", () => {
      const text = toDot(sample());
      expect(text).to.contain("subgraph cluster_acct1 {");
      expect(text).to.contain('vpc1 -> vpc2 [label="+ hub-to-spoke", dir=both, style=dashed, color="#1a7f37", penwidth=2];');
    });
    it("gives the laid-out topology as JSON", () => {
      const parsed = JSON.parse(toJson(sample()));
      expect(parsed.nodes.map((n: { id: string }) => n.id)).to.deep.equal(["vpc1", "vpc2", "sn1", "ext1"]);
      expect(parsed.edges[1]).to.include({ kind: "peering", fromId: "vpc1", toId: "vpc2" });
    });
  });
});
