// BorderRouter: a virtual border router (VBR), the cloud's end of a leased line to an on-premises network
// (seeds 000 and 001). A PeeringConnection joins it to a VPC; its own route table holds routes towards
// the VPC, and the VPC's tables route the on-premises blocks through the peering.
import * as pulumi from "@pulumi/pulumi";
import type { Connection } from "./connection";
import { ownerRefFor, registerBorderRouter } from "./planning";
import { type OutputsOf, PeerlinkResource, requireArgs } from "./resource";
import type { BorderRouterInputs, BorderRouterOutputs } from "./types";

export interface BorderRouterArgs {
  /** The region of the line's access point, e.g. "ap-guangzhou". Required; changing it replaces the router. */
  region: pulumi.Input<string>;
  /** The line's VLAN id, 1 to 2999, unique per account and region. Required; changing it replaces. */
  vlanId: pulumi.Input<number>;
  /** The /29 or /30 interconnect subnet holding both gateway IPs, e.g. "169.254.10.0/30". Required; changing it replaces. */
  interconnectCidrBlock: pulumi.Input<string>;
  /** The cloud side's gateway IP, inside the interconnect subnet. Required; changing it replaces. */
  localGatewayIp: pulumi.Input<string>;
  /** The on-premises side's gateway IP, inside the interconnect subnet. Required; changing it replaces. */
  peerGatewayIp: pulumi.Input<string>;
  /**
   * The on-premises CIDR blocks reachable behind the router (1 to 20, not overlapping). A peered VPC must
   * not overlap them, and its routes through the peering must lie inside them. Required; changing it replaces.
   */
  onPremisesCidrBlocks: pulumi.Input<pulumi.Input<string>[]>;
  /** Display name. Default: not managed ("" at create); changes update in place. */
  name?: pulumi.Input<string>;
  /** Tags, at most 50. Default: not managed ({} at create); changes update in place. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Accounts besides the owner that may request peerings to this router. Default: none; changes update in place. */
  allowedPeerAccountIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Endpoint and API key of the owner's account. Default: stack config, then the environment. */
  connection?: pulumi.Input<Connection>;
  /**
   * Adopt the existing border router with this id ("vbr-...") instead of creating one: the first `up` checks its
   * region and line (VLAN, interconnect subnet, gateway IPs, on-premises blocks) against the declaration (an
   * ImportMismatch error names each field that differs, with both values; the preview says so too), converges
   * name, tags and allowedPeerAccountIds, and manages it from then on (destroy deletes it). Changing or removing
   * it later changes nothing. Default: none. `peerlink export-program` writes these. This stands in for `pulumi
   * import`, which cannot reach dynamic providers (pulumi/pulumi#16175).
   */
  importId?: pulumi.Input<string>;
}

export class BorderRouter extends PeerlinkResource<BorderRouterInputs, BorderRouterOutputs, "borderRouterId"> implements OutputsOf<BorderRouterOutputs> {
  /** The router id ("vbr-" + 12 hex); the same as `id`. For PeeringConnection's `borderRouterId`. */
  declare readonly borderRouterId: pulumi.Output<string>;
  /** The router's own route table: RouteEntry resources towards a peered VPC go there. */
  declare readonly routeTableId: pulumi.Output<string>;
  declare readonly region: pulumi.Output<string>;
  declare readonly vlanId: pulumi.Output<number>;
  declare readonly interconnectCidrBlock: pulumi.Output<string>;
  declare readonly localGatewayIp: pulumi.Output<string>;
  declare readonly peerGatewayIp: pulumi.Output<string>;
  declare readonly onPremisesCidrBlocks: pulumi.Output<string[]>;
  declare readonly name: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<Record<string, string>>;
  declare readonly allowedPeerAccountIds: pulumi.Output<string[]>;
  /** The owner's account. */
  declare readonly accountId: pulumi.Output<string>;
  /** "Available" once created. */
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: BorderRouterArgs, opts?: pulumi.CustomResourceOptions) {
    requireArgs("BorderRouter", name, args, ["region", "vlanId", "interconnectCidrBlock", "localGatewayIp", "peerGatewayIp", "onPremisesCidrBlocks"]);
    super(
      "BorderRouter",
      name,
      args.connection,
      {
        importId: args.importId,
        region: args.region,
        vlanId: args.vlanId,
        interconnectCidrBlock: args.interconnectCidrBlock,
        localGatewayIp: args.localGatewayIp,
        peerGatewayIp: args.peerGatewayIp,
        onPremisesCidrBlocks: args.onPremisesCidrBlocks,
        name: args.name,
        tags: args.tags,
        allowedPeerAccountIds: args.allowedPeerAccountIds,
        routeTableId: undefined,
        accountId: undefined,
        status: undefined,
      },
      opts,
    );
    this.borderRouterId = this.id;
    registerBorderRouter(this, name, ownerRefFor("BorderRouter", name), { ids: [this.id, this.borderRouterId], routeTableId: this.routeTableId });
  }
}
