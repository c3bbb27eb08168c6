// Subnet: a block of a VPC, associated with one of the VPC's route tables (seed 004).
import * as pulumi from "@pulumi/pulumi";
import type { Connection } from "./connection";
import { ownerRefFor, registerSubnet, subnetRefs } from "./planning";
import { type OutputsOf, PeerlinkResource, requireArgs } from "./resource";
import type { SubnetInputs, SubnetOutputs } from "./types";

export interface SubnetArgs {
  /** The VPC (`vpc.vpcId`). Required; changing it replaces the subnet. */
  vpcId: pulumi.Input<string>;
  /**
   * IPv4 CIDR block in canonical form, /16 to /28, inside the VPC's CIDR and overlapping no other subnet
   * of the VPC, e.g. "192.168.1.0/24". Required; changing it replaces the subnet.
   */
  cidrBlock: pulumi.Input<string>;
  /** Zone name, free text (e.g. "ap-guangzhou-3"). Default: ""; changing it replaces the subnet. */
  zone?: pulumi.Input<string>;
  /**
   * The route table the subnet is associated with: one of its VPC's (`routeTable.routeTableId`, or
   * `vpc.routeTableId` for the main one). Default: the VPC's main table at create, then not managed;
   * changes update in place.
   */
  routeTableId?: pulumi.Input<string>;
  /** Display name. Default: not managed ("" at create); changes update in place. */
  name?: pulumi.Input<string>;
  /** Tags, at most 50. Default: not managed ({} at create); changes update in place. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Endpoint and API key of the VPC owner's account. Default: stack config, then the environment. */
  connection?: pulumi.Input<Connection>;
  /**
   * Adopt the existing subnet with this id ("subnet-...") instead of creating one: the first `up` checks its
   * VPC, CIDR block and zone against the declaration (an ImportMismatch error names each field that differs,
   * with both values; the preview says so too), converges the route table association, name and tags, and
   * manages it from then on (destroy deletes it). Changing or removing it later changes nothing. Default: none.
   * `peerlink export-program` writes these. This stands in for `pulumi import`, which cannot reach dynamic
   * providers (pulumi/pulumi#16175).
   */
  importId?: pulumi.Input<string>;
}

export class Subnet extends PeerlinkResource<SubnetInputs, SubnetOutputs, "subnetId"> implements OutputsOf<SubnetOutputs> {
  /** The subnet id ("subnet-" + 12 hex); the same as `id`. */
  declare readonly subnetId: pulumi.Output<string>;
  /** The VPC. */
  declare readonly vpcId: pulumi.Output<string>;
  /** The CIDR block (canonical). */
  declare readonly cidrBlock: pulumi.Output<string>;
  /** The zone ("" when none). */
  declare readonly zone: pulumi.Output<string>;
  /** The associated route table. */
  declare readonly routeTableId: pulumi.Output<string>;
  /** The display name ("" when none). */
  declare readonly name: pulumi.Output<string>;
  /** The tags ({} when none). */
  declare readonly tags: pulumi.Output<Record<string, string>>;
  /** The VPC owner's account. */
  declare readonly accountId: pulumi.Output<string>;
  /** "Available" once created. */
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: SubnetArgs, opts?: pulumi.CustomResourceOptions) {
    requireArgs("Subnet", name, args, ["vpcId", "cidrBlock"]);
    super(
      "Subnet",
      name,
      args.connection,
      {
        importId: args.importId,
        vpcId: args.vpcId,
        cidrBlock: args.cidrBlock,
        zone: args.zone,
        routeTableId: args.routeTableId,
        name: args.name,
        tags: args.tags,
        __refs: subnetRefs(args),
        accountId: undefined,
        status: undefined,
      },
      opts,
    );
    this.subnetId = this.id;
    registerSubnet(this, ownerRefFor("Subnet", name), [this.id]);
  }
}
