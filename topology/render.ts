// Renders a Topology as Mermaid (GitHub draws it in pull requests), Graphviz DOT, or JSON. The output is
// deterministic: elements are sorted by what is printed (group, kind, label), and the diagram's own ids
// are positions in that order, never resource ids, so checked-in expected diagrams compare as text.
import type { Change, EdgeKind, NodeKind, Topology, TopologyEdge, TopologyGroup, TopologyNode } from "./model";

const NODE_ORDER: NodeKind[] = ["vpc", "borderRouter", "routeTable", "subnet", "external", "resource"];
const EDGE_ORDER: EdgeKind[] = ["peering", "route", "association"];
const ID_PREFIX: Record<NodeKind, string> = { vpc: "vpc", borderRouter: "vbr", routeTable: "rtb", subnet: "sn", external: "ext", resource: "res" };
const CHANGE_MARK: Record<Change, string> = { create: "+ ", update: "~ ", replace: "± ", delete: "- " };

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The topology in print order, with the diagram ids of its groups and nodes. */
export interface Laid {
  groups: (TopologyGroup & { id: string })[];
  nodes: (TopologyNode & { id: string })[];
  edges: (TopologyEdge & { fromId: string; toId: string })[];
}

export function lay(t: Topology): Laid {
  // Groups (accounts) in the order of what they hold, so random account ids do not reorder them.
  const content = (g: TopologyGroup) =>
    t.nodes
      .filter((n) => n.group === g.key)
      .map((n) => n.label)
      .sort()
      .join("\n");
  const groups = [...t.groups]
    .sort((a, b) => byText(content(a), content(b)) || byText(a.label, b.label) || byText(a.key, b.key))
    .map((g, i) => ({ ...g, id: `acct${i + 1}` }));
  const groupRank = new Map(groups.map((g, i) => [g.key, i]));
  const rank = (n: TopologyNode) => (n.group === undefined ? groups.length : (groupRank.get(n.group) ?? groups.length));
  const sorted = [...t.nodes].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      NODE_ORDER.indexOf(a.kind) - NODE_ORDER.indexOf(b.kind) ||
      byText(a.label, b.label) ||
      byText((a.details ?? []).join("\n"), (b.details ?? []).join("\n")) ||
      byText(a.key, b.key),
  );
  const counters = new Map<NodeKind, number>();
  const nodes = sorted.map((n) => {
    const k = (counters.get(n.kind) ?? 0) + 1;
    counters.set(n.kind, k);
    return { ...n, id: `${ID_PREFIX[n.kind]}${k}` };
  });
  const idOf = new Map(nodes.map((n) => [n.key, n.id]));
  const edges = t.edges
    .filter((e) => idOf.has(e.from) && idOf.has(e.to))
    .map((e) => ({ ...e, fromId: idOf.get(e.from)!, toId: idOf.get(e.to)! }))
    .sort(
      (a, b) =>
        EDGE_ORDER.indexOf(a.kind) - EDGE_ORDER.indexOf(b.kind) ||
        byText(a.fromId, b.fromId) ||
        byText(a.toId, b.toId) ||
        byText(a.label, b.label) ||
        byText(a.key, b.key),
    );
  return { groups, nodes, edges };
}

/** The printed text of an element: change mark, label, problems. */
function headline(x: { label: string; change?: Change; problems?: string[] }): string {
  const problems = x.problems && x.problems.length > 0 ? ` ⚠ ${[...new Set(x.problems)].sort().join(", ")}` : "";
  return `${x.change ? CHANGE_MARK[x.change] : ""}${x.label}${problems}`;
}

function classOf(x: { change?: Change; problems?: string[] }): string | undefined {
  if (x.problems && x.problems.length > 0) return "violation";
  return x.change;
}

// ---------------------------------------------------------------------------------------------
// Mermaid

function mermaidText(s: string): string {
  return s.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

const SHAPES: Record<NodeKind, [string, string]> = {
  vpc: ["[", "]"],
  borderRouter: ["{{", "}}"],
  routeTable: ["[/", "/]"],
  subnet: ["(", ")"],
  external: ["[[", "]]"],
  resource: ["[", "]"],
};

const MERMAID_CLASSES: Record<string, string> = {
  create: "fill:#dafbe1,stroke:#1a7f37,color:#0f5323",
  update: "fill:#fff8c5,stroke:#9a6700,color:#4d2d00",
  replace: "fill:#ffe2cc,stroke:#bc4c00,color:#762c00",
  delete: "fill:#ffebe9,stroke:#cf222e,color:#82071e,stroke-dasharray:4 3",
  violation: "fill:#ffebe9,stroke:#cf222e,stroke-width:3px,color:#82071e",
};
const LINK_STYLES: Record<string, string> = {
  create: "stroke:#1a7f37,color:#1a7f37",
  update: "stroke:#9a6700,color:#9a6700",
  replace: "stroke:#bc4c00,color:#bc4c00",
  delete: "stroke:#cf222e,color:#cf222e",
  violation: "stroke:#cf222e,stroke-width:3px,color:#cf222e",
};

export function toMermaid(t: Topology): string {
  const laid = lay(t);
  const out: string[] = ["flowchart LR"];
  if (t.title) out.push(`  %% ${t.title}`);
  const nodeLine = (n: Laid["nodes"][number], indent: string) => {
    const [open, close] = SHAPES[n.kind];
    const text = [headline(n), ...(n.details ?? [])].map(mermaidText).join("<br/>");
    return `${indent}${n.id}${open}"${text}"${close}`;
  };
  for (const g of laid.groups) {
    out.push(`  subgraph ${g.id}["${mermaidText(g.label)}"]`);
    for (const n of laid.nodes.filter((x) => x.group === g.key)) out.push(nodeLine(n, "    "));
    out.push("  end");
  }
  for (const n of laid.nodes.filter((x) => x.group === undefined || !laid.groups.some((g) => g.key === x.group))) out.push(nodeLine(n, "  "));
  laid.edges.forEach((e) => {
    const label = mermaidText(headline(e));
    const arrow = e.kind === "peering" ? (e.dashed ? "<-.->" : "<-->") : e.kind === "route" ? "-.->" : "---";
    out.push(`  ${e.fromId} ${label === "" ? arrow : `${arrow}|"${label}"|`} ${e.toId}`);
  });
  const used = new Map<string, string[]>();
  for (const n of laid.nodes) {
    const c = classOf(n);
    if (c) used.set(c, [...(used.get(c) ?? []), n.id]);
  }
  for (const [c, ids] of [...used.entries()].sort(([a], [b]) => byText(a, b))) {
    out.push(`  classDef ${c} ${MERMAID_CLASSES[c]}`);
    out.push(`  class ${ids.join(",")} ${c}`);
  }
  laid.edges.forEach((e, i) => {
    const c = classOf(e);
    if (c) out.push(`  linkStyle ${i} ${LINK_STYLES[c]}`);
  });
  return `${out.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// Graphviz DOT

function dotText(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

const DOT_SHAPES: Record<NodeKind, string> = {
  vpc: "box",
  borderRouter: "hexagon",
  routeTable: "parallelogram",
  subnet: "ellipse",
  external: "box3d",
  resource: "note",
};
const DOT_COLOURS: Record<string, string> = { create: "#1a7f37", update: "#9a6700", replace: "#bc4c00", delete: "#cf222e", violation: "#cf222e" };

export function toDot(t: Topology): string {
  const laid = lay(t);
  const out: string[] = ["digraph peerlink {", "  rankdir=LR;", '  node [fontname="Helvetica"];'];
  const attrs = (x: { change?: Change; problems?: string[] }, extra: string[]) => {
    const c = classOf(x);
    const all = [...extra];
    if (c) all.push(`color="${DOT_COLOURS[c]}"`, c === "violation" ? "penwidth=3" : "penwidth=2");
    if (x.change === "delete") all.push("style=dashed");
    return all.join(", ");
  };
  const nodeLine = (n: Laid["nodes"][number], indent: string) =>
    `${indent}${n.id} [${attrs(n, [`shape=${DOT_SHAPES[n.kind]}`, `label="${dotText([headline(n), ...(n.details ?? [])].join("\n"))}"`])}];`;
  for (const g of laid.groups) {
    out.push(`  subgraph cluster_${g.id} {`, `    label="${dotText(g.label)}";`);
    for (const n of laid.nodes.filter((x) => x.group === g.key)) out.push(nodeLine(n, "    "));
    out.push("  }");
  }
  for (const n of laid.nodes.filter((x) => x.group === undefined || !laid.groups.some((g) => g.key === x.group))) out.push(nodeLine(n, "  "));
  for (const e of laid.edges) {
    const extra = [`label="${dotText(headline(e))}"`];
    if (e.kind === "peering") extra.push("dir=both");
    if (e.kind === "association") extra.push("arrowhead=none");
    if (e.dashed || e.kind === "route") extra.push("style=dashed");
    out.push(`  ${e.fromId} -> ${e.toId} [${attrs(e, extra)}];`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// JSON

/** The topology in print order, with the diagram ids, as indented JSON. */
export function toJson(t: Topology): string {
  const laid = lay(t);
  return `${JSON.stringify({ ...(t.title ? { title: t.title } : {}), ...laid }, null, 2)}\n`;
}

export type TopologyFormat = "mermaid" | "dot" | "json";
export const TOPOLOGY_FORMATS: readonly TopologyFormat[] = ["mermaid", "dot", "json"];

export function render(t: Topology, format: TopologyFormat): string {
  return format === "mermaid" ? toMermaid(t) : format === "dot" ? toDot(t) : toJson(t);
}
