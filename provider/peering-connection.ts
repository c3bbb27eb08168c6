// PeeringConnection: the requester's side of a VPC peering. Its traffic: `peerlink peering metrics <id>`;
// its daily bill (paid by this side, the initiator): `peerlink bill`.
import * as pulumi from "@pulumi/pulumi";
import type { Connection } from "./connection";
import { ownerRefFor, registerPeering, registerPeeringOutputs } from "./planning";
import { type OutputsOf, PeerlinkResource } from "./resource";
import type { CostEstimateOutput, PeeringConnectionInputs, PeeringConnectionOutputs } from "./types";
import type { Vpc } from "./vpc";

export interface PeeringConnectionArgs {
  /** The requester VPC as a Vpc of this program (its CIDR and region are then checked at preview). Set this or `vpcId`. */
  vpc?: Vpc;
  /** The requester VPC's id. Set this or `vpc`. Changing the VPC replaces the peering. */
  vpcId?: pulumi.Input<string>;
  /** The accepter VPC as a Vpc of this program. Set this or `peerVpcId`. */
  peerVpc?: Vpc;
  /** The accepter VPC's id (may belong to another account). Set this or `peerVpc`. Changing it replaces the peering. */
  peerVpcId?: pulumi.Input<string>;
  /**
   * The accepter's account. Default: the account of `peerVpc` when given, else the caller's own account.
   * A different account makes a cross-account request that its owner must accept. Changing it replaces.
   */
  peerAccountId?: pulumi.Input<string>;
  /** The accepter VPC's region; must match it. Default: the peer VPC's region. Changing it replaces. */
  peerRegion?: pulumi.Input<string>;
  /**
   * Bandwidth cap in Mbps: required for a cross-region peering (1 to the crossRegionBandwidthMbps quota),
   * not allowed on a regional one. Default: none. Changes update in place.
   */
  bandwidthMbps?: pulumi.Input<number>;
  /** Display name. Default: not managed (""); changes update in place. */
  name?: pulumi.Input<string>;
  /** Tags, at most 50. Default: not managed ({}); changes update in place. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Alarm on the loss rate (percent of offered packets dropped in a 5-minute sample, above 0 and at most
   * 100). Crossing it adds one "alarm" event to both accounts' event stream (`peerlink events`). Only
   * for a cross-region peering (with `bandwidthMbps`): regional ones are not monitored. Default: no
   * alarm. Changes update in place. Watch it with `peerlink peering metrics <id>`.
   */
  lossRateAlarmPercent?: pulumi.Input<number>;
  /**
   * Alarm on peak utilisation of the cap (the larger of in and out in a 5-minute sample over
   * `bandwidthMbps`, in percent, above 0 and at most 100). Same rules as `lossRateAlarmPercent`.
   */
  peakUtilisationAlarmPercent?: pulumi.Input<number>;
  /** Endpoint and API key of the requester's account. Default: stack config, then the environment. */
  connection?: pulumi.Input<Connection>;
  /**
   * Adopt the existing peering with this id ("pcx-...") instead of requesting a new one: the first `up`
   * checks that it joins the declared VPCs, brings name, tags and bandwidth to the declared values, and
   * manages it from then on (destroy deletes it). Changing or removing it later changes nothing.
   * Default: none. This stands in for the `import` resource option and `pulumi import`, which Pulumi
   * does not support for dynamic providers (pulumi/pulumi#16175).
   */
  importId?: pulumi.Input<string>;
}

export class PeeringConnection
  extends PeerlinkResource<PeeringConnectionInputs, PeeringConnectionOutputs, "peeringId">
  implements OutputsOf<PeeringConnectionOutputs>
{
  /** The peering id ("pcx-..."); the same as `id`. */
  declare readonly peeringId: pulumi.Output<string>;
  /** The shared state: Pending, Activating, Activated, Suspending, Suspended, Rejected, Expired or Deleted. */
  declare readonly state: pulumi.Output<string>;
  /** The requester's side status (Connecting while pending, then as `state`). */
  declare readonly status: pulumi.Output<string>;
  /** The initiator's side status. */
  declare readonly initiatorStatus: pulumi.Output<string>;
  /** The acceptor's side status (Accepting while pending). */
  declare readonly acceptorStatus: pulumi.Output<string>;
  /** True when the VPCs are in different regions. */
  declare readonly crossRegion: pulumi.Output<boolean>;
  /** The requester's account. */
  declare readonly accountId: pulumi.Output<string>;
  /** The requester VPC's id. */
  declare readonly vpcId: pulumi.Output<string>;
  /** The accepter VPC's id. */
  declare readonly peerVpcId: pulumi.Output<string>;
  /** The accepter's account. */
  declare readonly peerAccountId: pulumi.Output<string>;
  /** The accepter VPC's region. */
  declare readonly peerRegion: pulumi.Output<string>;
  /** The requester VPC's region. */
  declare readonly region: pulumi.Output<string>;
  /** The bandwidth cap (null for a regional peering). */
  declare readonly bandwidthMbps: pulumi.Output<number | null>;
  /** The display name. */
  declare readonly name: pulumi.Output<string>;
  /** The tags. */
  declare readonly tags: pulumi.Output<Record<string, string>>;
  /** When a pending request expires (ISO 8601), else null. */
  declare readonly expiresAt: pulumi.Output<string | null>;
  /**
   * Daily cost estimate at `bandwidthMbps` for a cross-region peering (priced or with a reason); null when
   * regional. What a day really cost: `peerlink bill --date YYYY-MM-DD` (the day's 5-minute peak, seed 004).
   */
  declare readonly costEstimate: pulumi.Output<CostEstimateOutput | null>;
  /** The loss-rate alarm threshold in percent, or null. */
  declare readonly lossRateAlarmPercent: pulumi.Output<number | null>;
  /** The peak-utilisation alarm threshold in percent, or null. */
  declare readonly peakUtilisationAlarmPercent: pulumi.Output<number | null>;

  constructor(name: string, args: PeeringConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    const one = (a: unknown, b: unknown, what: string, idName: string) => {
      if ((a === undefined) === (b === undefined)) {
        throw new Error(`PeeringConnection "${name}": set exactly one of "${what}" (a Vpc of this program) or "${idName}"`);
      }
    };
    one(args?.vpc, args?.vpcId, "vpc", "vpcId");
    one(args.peerVpc, args.peerVpcId, "peerVpc", "peerVpcId");
    const ownerRef = ownerRefFor("PeeringConnection", name);
    const { reg, refs } = registerPeering(name, ownerRef, args.vpc ?? args.vpcId, args.peerVpc ?? args.peerVpcId);
    super(
      "PeeringConnection",
      name,
      args.connection,
      {
        vpcId: args.vpc ? args.vpc.id : args.vpcId,
        peerVpcId: args.peerVpc ? args.peerVpc.id : args.peerVpcId,
        peerAccountId: args.peerAccountId ?? (args.peerVpc ? args.peerVpc.accountId : undefined),
        peerRegion: args.peerRegion,
        bandwidthMbps: args.bandwidthMbps,
        name: args.name,
        tags: args.tags,
        importId: args.importId,
        lossRateAlarmPercent: args.lossRateAlarmPercent,
        peakUtilisationAlarmPercent: args.peakUtilisationAlarmPercent,
        __refs: refs,
        state: undefined,
        status: undefined,
        initiatorStatus: undefined,
        acceptorStatus: undefined,
        crossRegion: undefined,
        accountId: undefined,
        region: undefined,
        expiresAt: undefined,
        costEstimate: undefined,
      },
      opts,
    );
    // Ids alias \`id\`: the engine knows a resource's id during the preview of its update, while any other
    // output of a dynamic resource is unknown then (its inputs stand in for its outputs), which would make
    // dependents look changed.
    this.peeringId = this.id;
    reg.resource = this;
    registerPeeringOutputs(reg, [this.peeringId, this.id]);
  }
}
