// PeeringConnection: the requester's side of a VPC peering. Its traffic: `peerlink peering metrics <id>`;
// its daily bill (paid by this side, the initiator): `peerlink bill`.
import * as pulumi from "@pulumi/pulumi";
import type { BorderRouter } from "./border-router";
import type { Connection } from "./connection";
import { ownerRefFor, registerPeering, registerPeeringOutputs } from "./planning";
import { type OutputsOf, PeerlinkResource } from "./resource";
import type { CostEstimateOutput, PeeringConnectionInputs, PeeringConnectionOutputs, RelatedRouteOutput } from "./types";
import type { Vpc } from "./vpc";

export interface PeeringConnectionArgs {
  /**
   * The requester VPC as a Vpc of this program (its CIDR and region are then checked at preview). Set
   * exactly one of `vpc`, `vpcId`, `borderRouter` and `borderRouterId`.
   */
  vpc?: Vpc;
  /** The requester VPC's id. Changing the requester replaces the peering. */
  vpcId?: pulumi.Input<string>;
  /** The requester as a BorderRouter of this program (issue 11): a border router peers with a VPC. */
  borderRouter?: BorderRouter;
  /** The requester border router's id ("vbr-..."). */
  borderRouterId?: pulumi.Input<string>;
  /** The accepter VPC as a Vpc of this program. Set exactly one of `peerVpc`, `peerVpcId`, `peerBorderRouter` and `peerBorderRouterId`. */
  peerVpc?: Vpc;
  /** The accepter VPC's id (may belong to another account). Changing the accepter replaces the peering. */
  peerVpcId?: pulumi.Input<string>;
  /** The accepter as a BorderRouter of this program. */
  peerBorderRouter?: BorderRouter;
  /** The accepter border router's id (may belong to another account, which must list this one). */
  peerBorderRouterId?: pulumi.Input<string>;
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
   * checks that this account requested it and that it joins the declared ends (an ImportMismatch error
   * names each field that differs, with both values; the preview says so too), brings name, tags,
   * bandwidth and alarms to the declared values, and manages it from then on (destroy deletes it).
   * Changing or removing it later changes nothing. Default: none. `peerlink export-program` writes these.
   * This stands in for `pulumi import`, which cannot reach dynamic providers (pulumi/pulumi#16175).
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
  /** The requester VPC's id ("" when the requester is a border router). */
  declare readonly vpcId: pulumi.Output<string>;
  /** The accepter VPC's id ("" when the accepter is a border router). */
  declare readonly peerVpcId: pulumi.Output<string>;
  /** The requester border router's id ("" when the requester is a VPC). */
  declare readonly borderRouterId: pulumi.Output<string>;
  /** The accepter border router's id ("" when the accepter is a VPC). */
  declare readonly peerBorderRouterId: pulumi.Output<string>;
  /**
   * The routes of the requester's side that point at this peering, each with its route table and that
   * table's subnets (seed 004's related routes). Refreshed by `pulumi refresh`: routes added after the
   * peering show up there.
   */
  declare readonly relatedRoutes: pulumi.Output<RelatedRouteOutput[]>;
  /** Whether the accepter's side has a route back through the peering (its tables stay its own). Refreshed like `relatedRoutes`. */
  declare readonly peerHasReturnRoute: pulumi.Output<boolean>;
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
    const one = (values: Record<string, unknown>) => {
      const set = Object.keys(values).filter((k) => values[k] !== undefined);
      if (set.length !== 1) {
        const names = Object.keys(values).map((k) => `"${k}"`);
        throw new Error(
          `PeeringConnection "${name}": set exactly one of ${names.join(", ")} (a VPC or a border router)${set.length > 1 ? `; got ${set.map((k) => `"${k}"`).join(" and ")}` : ""}`,
        );
      }
    };
    one({ vpc: args?.vpc, vpcId: args?.vpcId, borderRouter: args?.borderRouter, borderRouterId: args?.borderRouterId });
    one({ peerVpc: args.peerVpc, peerVpcId: args.peerVpcId, peerBorderRouter: args.peerBorderRouter, peerBorderRouterId: args.peerBorderRouterId });
    const ownerRef = ownerRefFor("PeeringConnection", name);
    const local = args.vpc ?? args.vpcId ?? args.borderRouter ?? args.borderRouterId;
    const peer = args.peerVpc ?? args.peerVpcId ?? args.peerBorderRouter ?? args.peerBorderRouterId;
    const { reg, refs } = registerPeering(name, ownerRef, local, peer);
    super(
      "PeeringConnection",
      name,
      args.connection,
      {
        vpcId: args.vpc ? args.vpc.id : args.vpcId,
        peerVpcId: args.peerVpc ? args.peerVpc.id : args.peerVpcId,
        borderRouterId: args.borderRouter ? args.borderRouter.id : args.borderRouterId,
        peerBorderRouterId: args.peerBorderRouter ? args.peerBorderRouter.id : args.peerBorderRouterId,
        peerAccountId: args.peerAccountId ?? (args.peerVpc ? args.peerVpc.accountId : args.peerBorderRouter ? args.peerBorderRouter.accountId : undefined),
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
        relatedRoutes: undefined,
        peerHasReturnRoute: undefined,
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
