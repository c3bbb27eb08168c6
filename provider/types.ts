// Plain (resolved) input and output shapes shared by the resource classes (program process) and the
// provider implementations (dynamic-provider process). Type-only: nothing here exists at run time.
import type { ApiCostEstimate } from "./client";

/** A resolved per-resource connection. Both fields are optional; see `resolveConnection`. */
export interface ConnectionInputs {
  endpoint?: string;
  apiKey?: string;
}

/** What every provider input carries besides its own fields. */
export interface CommonInputs {
  /** Per-resource connection override (secret as a whole in state). */
  connection?: ConnectionInputs;
  /** `${project}/${stack}/${type}/${name}`: stable identity of the resource across runs. */
  ownerRef: string;
}

/** What every provider output carries besides its own fields. */
export interface CommonOutputs {
  connection?: ConnectionInputs;
  ownerRef: string;
  /** The account the resource was created in (the caller's account). */
  accountId: string;
}

export type Tags = Record<string, string>;

// ---------------------------------------------------------------------------------------------
// Vpc
export interface VpcInputs extends CommonInputs {
  region: string;
  cidrBlock: string;
  name?: string;
  tags?: Tags;
  allowedPeerAccountIds?: string[];
}

export interface VpcOutputs extends CommonOutputs {
  vpcId: string;
  routeTableId: string;
  region: string;
  cidrBlock: string;
  name: string;
  tags: Tags;
  /** absent in state written before the field existed */
  allowedPeerAccountIds?: string[];
  status: string;
}

// ---------------------------------------------------------------------------------------------
// PeeringConnection
/** One VPC as the program declares it (from a `Vpc` object or an id), with unknowns left undefined. */
export interface PlannedVpc {
  /** "vpc:<resource name>" for a Vpc object of this program. */
  key?: string;
  /** The Pulumi resource name of the Vpc object, or undefined for an id. */
  name?: string;
  id?: string;
  cidr?: string;
  region?: string;
}

/** A peering declared somewhere in the same program, seen from one of its VPCs. */
export interface PlannedPeering {
  ownerRef: string;
  name: string;
  /** The VPC at the other end, seen from the VPC this list belongs to. */
  other: PlannedVpc;
  /** The VPC this list belongs to (so the consumer can tell the regions apart). */
  self: PlannedVpc;
  peerRegion?: string;
}

export interface PeeringPlan {
  ownerRef: string;
  local: PlannedVpc;
  peer: PlannedVpc;
  /** Every peering of this program attaching the local VPC (this one included). */
  localPeerings: PlannedPeering[];
  /** Every peering of this program attaching the peer VPC (this one included). */
  peerPeerings: PlannedPeering[];
}

export interface PeeringConnectionInputs extends CommonInputs {
  vpcId: string;
  peerVpcId: string;
  peerAccountId?: string;
  peerRegion?: string;
  bandwidthMbps?: number;
  name?: string;
  tags?: Tags;
  /** An existing peering that create adopts instead of requesting a new one. */
  importId?: string;
  /** Hidden program-wide facts (see planning.ts); dropped by check, never stored or diffed. */
  __plan?: PeeringPlan;
}

/** The control plane's daily cost estimate, as the PeeringConnection output carries it. */
export type CostEstimateOutput = ApiCostEstimate;

export interface PeeringConnectionOutputs extends CommonOutputs {
  peeringId: string;
  vpcId: string;
  peerVpcId: string;
  peerAccountId: string;
  peerRegion: string;
  region: string;
  bandwidthMbps: number | null;
  name: string;
  tags: Tags;
  state: string;
  status: string;
  initiatorStatus: string;
  acceptorStatus: string;
  crossRegion: boolean;
  expiresAt: string | null;
  costEstimate: CostEstimateOutput | null;
}

// ---------------------------------------------------------------------------------------------
// PeeringAcceptance
export type OnDelete = "disconnect" | "retain";

export interface PeeringAcceptanceInputs extends CommonInputs {
  peeringId: string;
  allowedRequesterAccountIds: string[];
  onDelete?: OnDelete;
}

export interface PeeringAcceptanceOutputs extends CommonOutputs {
  peeringId: string;
  allowedRequesterAccountIds: string[];
  onDelete: OnDelete;
  requesterAccountId: string;
  requesterVpcId: string;
  accepterVpcId: string;
  crossRegion: boolean;
  state: string;
  status: string;
}

// ---------------------------------------------------------------------------------------------
// RouteEntry
export interface RoutePlan {
  ownerRef: string;
  /** The table's VPC when routeTableId comes from a Vpc object of this program. */
  tableVpc?: PlannedVpc;
  tableId?: string;
  /** The peering when peeringId comes from a PeeringConnection of this program. */
  peering?: {
    ownerRef: string;
    name: string;
    local: PlannedVpc;
    peer: PlannedVpc;
    /** A PeeringAcceptance of this program accepts it. */
    acceptedInProgram: boolean;
  };
  /** Other RouteEntry resources of this program in the same table. */
  sameTable: { ownerRef: string; name: string; destination?: string }[];
}

export interface RouteEntryInputs extends CommonInputs {
  routeTableId: string;
  destinationCidrBlock: string;
  peeringId: string;
  description?: string;
  __plan?: RoutePlan;
}

export interface RouteEntryOutputs extends CommonOutputs {
  routeId: string;
  routeTableId: string;
  vpcId: string;
  destinationCidrBlock: string;
  peeringId: string;
  nextHopType: string;
  description: string;
}
