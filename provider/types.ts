// Plain (resolved) input and output shapes shared by the resource classes (program process) and the
// provider implementations (dynamic-provider process). Type-only: nothing here exists at run time.

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
  /** An existing resource that create adopts (verified against the declaration) instead of making a new one. */
  importId?: string;
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
/**
 * Hidden input of PeeringConnection and RouteEntry: the program resources it points at, by ownerRef
 * (provider/planning.ts). The preview puts them together in the provider process; check drops it, so it
 * is never stored or diffed.
 */
export interface ResourceRefs {
  /** PeeringConnection: its Vpc; RouteEntry: the Vpc whose route table it is in */
  vpc?: string;
  /** PeeringConnection: the peer Vpc */
  peerVpc?: string;
  /** RouteEntry: the PeeringConnection of its next hop */
  peering?: string;
  /** PeeringConnection (or a RouteEntry's peering): a PeeringAcceptance of this program accepts it */
  acceptedInProgram?: boolean;
  /** RouteEntry, Subnet: the RouteTable of this program its routeTableId is */
  routeTable?: string;
  /** Subnet: its routeTableId is the main table of this program's Vpc (by ownerRef) */
  mainTableOf?: string;
  /** ReachabilityAssertion: the Vpc, Subnet or BorderRouter of this program its source and destination are */
  sourceVpc?: string;
  sourceSubnet?: string;
  sourceBorderRouter?: string;
  destinationVpc?: string;
  destinationSubnet?: string;
  destinationBorderRouter?: string;
  /** PeeringConnection (issue 11): its BorderRouter, and the peer BorderRouter, of this program */
  borderRouter?: string;
  peerBorderRouter?: string;
}

export interface PeeringConnectionInputs extends CommonInputs {
  /** exactly one of vpcId and borderRouterId, and of peerVpcId and peerBorderRouterId */
  vpcId?: string;
  borderRouterId?: string;
  peerVpcId?: string;
  peerBorderRouterId?: string;
  peerAccountId?: string;
  peerRegion?: string;
  bandwidthMbps?: number;
  name?: string;
  tags?: Tags;
  /** Alarm thresholds in percent (issue 12); absent = no alarm. */
  lossRateAlarmPercent?: number;
  peakUtilisationAlarmPercent?: number;
  __refs?: ResourceRefs;
}

/**
 * The control plane's daily cost estimate, as the PeeringConnection output carries it: the contract's
 * CostEstimate written out, so a program's type check does not load the contract's schemas (and TypeBox);
 * provider/impl/peering-connection.ts holds the two equal at build time.
 */
export interface CostEstimateOutput {
  priced: boolean;
  currency?: string;
  dailyCost?: number;
  ratePerMbpsDay?: number;
  tier?: string;
  reason?: string;
  peakBandwidthMbps: number;
}

/** One route of the caller's end that points at a peering (GET .../related-routes). */
export type RelatedRouteOutput = { destinationCidrBlock: string; routeTableId: string; subnetIds: string[] };

export interface PeeringConnectionOutputs extends CommonOutputs {
  peeringId: string;
  /** "" when that end is a border router */
  vpcId: string;
  peerVpcId: string;
  /** "" when that end is a VPC; absent in state written before border routers */
  borderRouterId?: string;
  peerBorderRouterId?: string;
  /** the routes of this side that point at the peering (refreshed by read) */
  relatedRoutes?: RelatedRouteOutput[];
  /** whether the peer side has a route back through the peering (refreshed by read) */
  peerHasReturnRoute?: boolean;
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
  lossRateAlarmPercent: number | null;
  peakUtilisationAlarmPercent: number | null;
}

// ---------------------------------------------------------------------------------------------
// PeeringAcceptance
export type OnDelete = "disconnect" | "retain";

export interface PeeringAcceptanceInputs extends CommonInputs {
  peeringId: string;
  __refs?: ResourceRefs;
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
// Subnet and RouteTable (issue 11)
export interface SubnetInputs extends CommonInputs {
  vpcId: string;
  cidrBlock: string;
  zone?: string;
  name?: string;
  tags?: Tags;
  routeTableId?: string;
  __refs?: ResourceRefs;
}

export interface SubnetOutputs extends CommonOutputs {
  subnetId: string;
  vpcId: string;
  cidrBlock: string;
  zone: string;
  name: string;
  tags: Tags;
  routeTableId: string;
  status: string;
}

export interface RouteTableInputs extends CommonInputs {
  vpcId: string;
  name?: string;
  tags?: Tags;
  __refs?: ResourceRefs;
}

export interface RouteTableOutputs extends CommonOutputs {
  routeTableId: string;
  vpcId: string;
  name: string;
  tags: Tags;
  main: boolean;
}

// ---------------------------------------------------------------------------------------------
// BorderRouter (issue 11)
export interface BorderRouterInputs extends CommonInputs {
  region: string;
  vlanId: number;
  interconnectCidrBlock: string;
  localGatewayIp: string;
  peerGatewayIp: string;
  onPremisesCidrBlocks: string[];
  name?: string;
  tags?: Tags;
  allowedPeerAccountIds?: string[];
}

export interface BorderRouterOutputs extends CommonOutputs {
  borderRouterId: string;
  region: string;
  vlanId: number;
  interconnectCidrBlock: string;
  localGatewayIp: string;
  peerGatewayIp: string;
  onPremisesCidrBlocks: string[];
  routeTableId: string;
  name: string;
  tags: Tags;
  allowedPeerAccountIds: string[];
  status: string;
}

// ---------------------------------------------------------------------------------------------
// RouteEntry
export interface RouteEntryInputs extends CommonInputs {
  routeTableId: string;
  destinationCidrBlock: string;
  peeringId: string;
  description?: string;
  __refs?: ResourceRefs;
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

// ---------------------------------------------------------------------------------------------
// ReachabilityAssertion (issue 16): creates nothing on the control plane
export type ReachabilityExpectation = "reachable" | "unreachable";

export interface ReachabilityAssertionInputs extends CommonInputs {
  /** an IPv4 address, a subnet id or a VPC id */
  source: string;
  destination: string;
  expect: ReachabilityExpectation;
  __refs?: ResourceRefs;
}

export interface ReachabilityAssertionOutputs extends CommonOutputs {
  assertionId: string;
  source: string;
  destination: string;
  expect: ReachabilityExpectation;
  /** the answer matched `expect` when last checked (create, update or refresh) */
  holds: boolean;
  /** "reachable", "unreachable" or "undetermined" */
  status: string;
  /** one line: the path both ways, or the broken hop */
  answer: string;
  /** the broken hop's code ("NoReturnRoute", ...), "" when reachable */
  brokenHop: string;
}
