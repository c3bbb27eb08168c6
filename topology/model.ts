// A topology as the diagrams draw it: accounts, the VPCs and what is in them, peerings and routes, each
// optionally marked with the change a plan makes and the problems a preview found. Plain data: nothing
// here knows the domain's worlds or the HTTP contract, so the CLI, the provider's plan diagrams and any
// later page can all feed it.

/** What a plan does to an element. Absent: it exists and stays as it is. */
export type Change = "create" | "update" | "replace" | "delete";

export type NodeKind = "vpc" | "external" | "subnet" | "routeTable" | "borderRouter" | "resource";
export type EdgeKind = "peering" | "route" | "association";

export interface TopologyGroup {
  /** stable key (an account id) */
  key: string;
  label: string;
}

export interface TopologyNode {
  /** stable key (a resource id or planned key); never printed */
  key: string;
  kind: NodeKind;
  /** the group (account) it is drawn in; undefined: outside every group */
  group?: string;
  /** first line: the name */
  label: string;
  /** further lines: CIDR, region, ... */
  details?: string[];
  /** the VPC a subnet, table or border router belongs to */
  parent?: string;
  change?: Change;
  /** short codes of what the preview found wrong (e.g. "CidrOverlap") */
  problems?: string[];
}

export interface TopologyEdge {
  key: string;
  kind: EdgeKind;
  from: string;
  to: string;
  label: string;
  /** drawn dashed: a peering not active (yet), or a route */
  dashed?: boolean;
  change?: Change;
  problems?: string[];
}

export interface Topology {
  title?: string;
  groups: TopologyGroup[];
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}
