// RouteTable: a route table of a VPC besides its main one. Subnets associate with it; RouteEntry adds
// routes to it as to the main one.
import * as pulumi from "@pulumi/pulumi";
import type { Connection } from "./connection";
import { ownerRefFor, registerRouteTable } from "./planning";
import { type OutputsOf, PeerlinkResource, requireArgs } from "./resource";
import type { ResourceRefs, RouteTableInputs, RouteTableOutputs } from "./types";

export interface RouteTableArgs {
  /** The VPC (`vpc.vpcId`). Required; changing it replaces the table. */
  vpcId: pulumi.Input<string>;
  /** Display name. Default: not managed ("" at create); changes update in place. */
  name?: pulumi.Input<string>;
  /** Tags, at most 50. Default: not managed ({} at create); changes update in place. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Endpoint and API key of the VPC owner's account. Default: stack config, then the environment. */
  connection?: pulumi.Input<Connection>;
  /**
   * Adopt the existing route table with this id ("rtb-...") instead of creating one: the first `up` checks its
   * VPC (a main table belongs to its Vpc and cannot be adopted) against the declaration (an ImportMismatch error
   * names each field that differs, with both values; the preview says so too), converges name and tags, and
   * manages it from then on (destroy deletes it). Changing or removing it later changes nothing. Default: none.
   * `peerlink export-program` writes these. This stands in for `pulumi import`, which cannot reach dynamic
   * providers (pulumi/pulumi#16175).
   */
  importId?: pulumi.Input<string>;
}

export class RouteTable extends PeerlinkResource<RouteTableInputs, RouteTableOutputs, "routeTableId"> implements OutputsOf<RouteTableOutputs> {
  /** The table id ("rtb-" + 12 hex); the same as `id`. For RouteEntry and Subnet. */
  declare readonly routeTableId: pulumi.Output<string>;
  /** The VPC. */
  declare readonly vpcId: pulumi.Output<string>;
  /** The display name ("" when none). */
  declare readonly name: pulumi.Output<string>;
  /** The tags ({} when none). */
  declare readonly tags: pulumi.Output<Record<string, string>>;
  /** Always false: the main table is the Vpc's. */
  declare readonly main: pulumi.Output<boolean>;
  /** The VPC owner's account. */
  declare readonly accountId: pulumi.Output<string>;

  constructor(name: string, args: RouteTableArgs, opts?: pulumi.CustomResourceOptions) {
    requireArgs("RouteTable", name, args, ["vpcId"]);
    let resolveRefs: (refs: ResourceRefs) => void = () => undefined;
    const refs = new Promise<ResourceRefs>((resolve) => (resolveRefs = resolve));
    super(
      "RouteTable",
      name,
      args.connection,
      { vpcId: args.vpcId, importId: args.importId, name: args.name, tags: args.tags, __refs: refs, accountId: undefined, main: undefined },
      opts,
    );
    this.routeTableId = this.id;
    // Registered once the resource exists, so RouteEntry and Subnet objects can trace its outputs.
    resolveRefs(registerRouteTable(this, name, ownerRefFor("RouteTable", name), args, [this.id, this.routeTableId]));
  }
}
