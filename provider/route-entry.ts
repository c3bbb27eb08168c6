// RouteEntry: a route in a VPC's route table towards the peer VPC, via a peering.
import * as pulumi from "@pulumi/pulumi";
import type { Connection } from "./connection";
import { ownerRefFor, plannedCidr, registerRoute } from "./planning";
import { type OutputsOf, PeerlinkResource, requireArgs } from "./resource";
import type { RouteEntryInputs, RouteEntryOutputs } from "./types";

export interface RouteEntryArgs {
  /**
   * The route table ("rtb-..."): the VPC's main one (`vpc.routeTableId`) or any other of the VPC
   * (`routeTable.routeTableId`). Required; changing it replaces the route.
   */
  routeTableId: pulumi.Input<string>;
  /**
   * Destination CIDR in canonical form; must lie inside the peer VPC (peering is not transitive) and
   * outside the table's own VPC. `peerVpc.cidrBlock` works and is checked at preview even before that
   * VPC exists. Required; changing it replaces the route.
   */
  destinationCidrBlock: pulumi.Input<string>;
  /**
   * The next hop: a peering attaching the table's VPC (`peering.peeringId`, or on the accepter's side
   * `acceptance.peeringId`). Required; changes update in place. Create waits until it is Activated.
   */
  peeringId: pulumi.Input<string>;
  /** Free text. Default: "" ; changes update in place. */
  description?: pulumi.Input<string>;
  /** Endpoint and API key of the table owner's account. Default: stack config, then the environment. */
  connection?: pulumi.Input<Connection>;
  /**
   * Adopt the existing route with this id ("rt-...") instead of creating one: the first `up` checks its table
   * and destination (the Local route cannot be adopted) against the declaration (an ImportMismatch error names
   * each field that differs, with both values; the preview says so too), converges the next hop and description,
   * and manages it from then on (destroy deletes it). Changing or removing it later changes nothing. Default:
   * none. `peerlink export-program` writes these. This stands in for `pulumi import`, which cannot reach dynamic
   * providers (pulumi/pulumi#16175).
   */
  importId?: pulumi.Input<string>;
}

export class RouteEntry extends PeerlinkResource<RouteEntryInputs, RouteEntryOutputs, "routeId"> implements OutputsOf<RouteEntryOutputs> {
  /** The route id ("rt-..."); the same as `id`. */
  declare readonly routeId: pulumi.Output<string>;
  /** The route table. */
  declare readonly routeTableId: pulumi.Output<string>;
  /** The table's VPC. */
  declare readonly vpcId: pulumi.Output<string>;
  /** The destination CIDR. */
  declare readonly destinationCidrBlock: pulumi.Output<string>;
  /** The peering used as next hop. */
  declare readonly peeringId: pulumi.Output<string>;
  /** "Peering". */
  declare readonly nextHopType: pulumi.Output<string>;
  /** The description. */
  declare readonly description: pulumi.Output<string>;
  /** The table owner's account. */
  declare readonly accountId: pulumi.Output<string>;

  constructor(name: string, args: RouteEntryArgs, opts?: pulumi.CustomResourceOptions) {
    requireArgs("RouteEntry", name, args, ["routeTableId", "destinationCidrBlock", "peeringId"]);
    const ownerRef = ownerRefFor("RouteEntry", name);
    const destinationCidrBlock = plannedCidr(args.destinationCidrBlock);
    const refs = registerRoute(name, ownerRef, args);
    super(
      "RouteEntry",
      name,
      args.connection,
      {
        importId: args.importId,
        routeTableId: args.routeTableId,
        destinationCidrBlock,
        peeringId: args.peeringId,
        description: args.description,
        __refs: refs,
        vpcId: undefined,
        nextHopType: undefined,
        accountId: undefined,
      },
      opts,
    );
    this.routeId = this.id;
  }
}
