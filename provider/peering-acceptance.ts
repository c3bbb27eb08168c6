// PeeringAcceptance: the accepter's side: accepts a request from an allowed account.
import * as pulumi from "@pulumi/pulumi";
import type { Connection } from "./connection";
import { acceptanceRefs, registerAcceptance } from "./planning";
import { type OutputsOf, PeerlinkResource, requireArgs } from "./resource";
import type { OnDelete, PeeringAcceptanceInputs, PeeringAcceptanceOutputs } from "./types";

export interface PeeringAcceptanceArgs {
  /** The peering to accept ("pcx-..."). Required; changing it replaces the acceptance. */
  peeringId: pulumi.Input<string>;
  /**
   * Accounts whose requests may be accepted. Required: a request from any other account is refused
   * (never accept requests from unknown accounts). Changes update in place.
   */
  allowedRequesterAccountIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * What destroying this resource does: "disconnect" deletes the peering (so this stack can destroy
   * its VPC), "retain" leaves it. Default: "disconnect". Changes update in place.
   */
  onDelete?: pulumi.Input<"disconnect" | "retain">;
  /** Endpoint and API key of the accepter's account. Default: stack config, then the environment. */
  connection?: pulumi.Input<Connection>;
  /**
   * Adopt the existing accepted (or pending) peering with this id ("pcx-...") instead of creating one: the first
   * `up` checks the peering (the same id as "peeringId"), that this account is its accepter and the requester is
   * allowed against the declaration (an ImportMismatch error names each field that differs, with both values;
   * the preview says so too), accepts it when it is still pending, and manages it from then on (destroy follows
   * "onDelete"). Changing or removing it later changes nothing. Default: none. `peerlink export-program` writes
   * these. This stands in for `pulumi import`, which cannot reach dynamic providers (pulumi/pulumi#16175).
   */
  importId?: pulumi.Input<string>;
}

export class PeeringAcceptance extends PeerlinkResource<PeeringAcceptanceInputs, PeeringAcceptanceOutputs> implements OutputsOf<PeeringAcceptanceOutputs> {
  /** The accepted peering's id (use it for the accepter's routes, so they wait for the acceptance). */
  declare readonly peeringId: pulumi.Output<string>;
  /** The accepter's account. */
  declare readonly accountId: pulumi.Output<string>;
  /** The requester's account. */
  declare readonly requesterAccountId: pulumi.Output<string>;
  /** The requester VPC's id. */
  declare readonly requesterVpcId: pulumi.Output<string>;
  /** The accepter VPC's id. */
  declare readonly accepterVpcId: pulumi.Output<string>;
  /** True when the VPCs are in different regions. */
  declare readonly crossRegion: pulumi.Output<boolean>;
  /** The shared state (Activated once accepted). */
  declare readonly state: pulumi.Output<string>;
  /** The accepter's side status. */
  declare readonly status: pulumi.Output<string>;
  /** The allowed requester accounts. */
  declare readonly allowedRequesterAccountIds: pulumi.Output<string[]>;
  /** "disconnect" or "retain". */
  declare readonly onDelete: pulumi.Output<OnDelete>;

  constructor(name: string, args: PeeringAcceptanceArgs, opts?: pulumi.CustomResourceOptions) {
    requireArgs("PeeringAcceptance", name, args, ["peeringId"]);
    if (args.allowedRequesterAccountIds === undefined) {
      throw new Error(`PeeringAcceptance "${name}": "allowedRequesterAccountIds" is required: list the accounts whose requests this stack may accept`);
    }
    super(
      "PeeringAcceptance",
      name,
      args.connection,
      {
        importId: args.importId,
        peeringId: args.peeringId,
        allowedRequesterAccountIds: args.allowedRequesterAccountIds,
        onDelete: args.onDelete,
        __refs: acceptanceRefs(args.peeringId),
        accountId: undefined,
        requesterAccountId: undefined,
        requesterVpcId: undefined,
        accepterVpcId: undefined,
        crossRegion: undefined,
        state: undefined,
        status: undefined,
      },
      opts,
    );
    registerAcceptance(args.peeringId, [this.peeringId]);
  }
}
