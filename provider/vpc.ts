// Vpc: a VPC and its main route table.
import * as pulumi from "@pulumi/pulumi";
import type { Connection } from "./connection";
import { ownerRefFor, registerVpc } from "./planning";
import { type OutputsOf, PeerlinkResource, requireArgs } from "./resource";
import type { VpcInputs, VpcOutputs } from "./types";

export interface VpcArgs {
  /** Region id, e.g. "ap-guangzhou" (see the control plane's GET /v1/regions). Required; changing it replaces the VPC. */
  region: pulumi.Input<string>;
  /** IPv4 CIDR block in canonical form, /8 to /28, e.g. "10.0.0.0/16". Required; changing it replaces the VPC. */
  cidrBlock: pulumi.Input<string>;
  /** Display name. Default: not managed (the control plane's default, ""); changes update in place. */
  name?: pulumi.Input<string>;
  /** Tags, at most 50. Default: not managed ({} at create); changes update in place. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Accounts (besides this VPC's own) that may request peerings to this VPC: the acceptor's half of the
   * peer information both ends configure. To any other account the VPC does not exist. Default: not
   * managed (none at create: only the owner's account); changes update in place.
   */
  allowedPeerAccountIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Endpoint and API key for this resource. Default: stack config, then the environment. */
  connection?: pulumi.Input<Connection>;
  /**
   * Adopt the existing VPC with this id ("vpc-...") instead of creating one: the first `up` checks its region
   * and CIDR block against the declaration (an ImportMismatch error names each field that differs, with both
   * values; the preview says so too), converges name, tags and allowedPeerAccountIds, and manages it from then
   * on (destroy deletes it). Changing or removing it later changes nothing. Default: none. `peerlink export-
   * program` writes these. This stands in for `pulumi import`, which cannot reach dynamic providers
   * (pulumi/pulumi#16175).
   */
  importId?: pulumi.Input<string>;
}

export class Vpc extends PeerlinkResource<VpcInputs, VpcOutputs, "vpcId"> implements OutputsOf<VpcOutputs> {
  /** The VPC id ("vpc-" + 12 hex); the same as `id`. */
  declare readonly vpcId: pulumi.Output<string>;
  /** The account that owns the VPC. */
  declare readonly accountId: pulumi.Output<string>;
  /** The VPC's main route table ("rtb-..."), for RouteEntry. */
  declare readonly routeTableId: pulumi.Output<string>;
  /** The region id. */
  declare readonly region: pulumi.Output<string>;
  /** The CIDR block (canonical). */
  declare readonly cidrBlock: pulumi.Output<string>;
  /** The display name ("" when none). */
  declare readonly name: pulumi.Output<string>;
  /** The tags ({} when none). */
  declare readonly tags: pulumi.Output<Record<string, string>>;
  /** Accounts besides the owner that may request peerings to this VPC ([] when none). */
  declare readonly allowedPeerAccountIds: pulumi.Output<string[]>;
  /** "Available" once created. */
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: VpcArgs, opts?: pulumi.CustomResourceOptions) {
    requireArgs("Vpc", name, args, ["region", "cidrBlock"]);
    super(
      "Vpc",
      name,
      args.connection,
      {
        importId: args.importId,
        region: args.region,
        cidrBlock: args.cidrBlock,
        name: args.name,
        tags: args.tags,
        allowedPeerAccountIds: args.allowedPeerAccountIds,
        accountId: undefined,
        routeTableId: undefined,
        status: undefined,
      },
      opts,
    );
    // Ids alias \`id\`: the engine knows a resource's id during the preview of its update, while any other
    // output of a dynamic resource is unknown then (its inputs stand in for its outputs), which would make
    // dependents look changed.
    this.vpcId = this.id;
    registerVpc(this, name, ownerRefFor("Vpc", name), args, { vpcId: this.vpcId, id: this.id, routeTableId: this.routeTableId, cidrBlock: this.cidrBlock });
  }
}
