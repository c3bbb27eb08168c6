// PeeringAcceptance: the accepter's side: accepts a request from an allowed account.
import * as pulumi from "@pulumi/pulumi";
import { Connection, secretConnection, withSecretConnection } from "./connection";
import { acceptanceRefs, ownerRefFor, registerAcceptance } from "./planning";
import { peeringAcceptanceProvider } from "./providers";

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
}

export class PeeringAcceptance extends pulumi.dynamic.Resource {
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
  declare readonly onDelete: pulumi.Output<string>;

  constructor(name: string, args: PeeringAcceptanceArgs, opts?: pulumi.CustomResourceOptions) {
    if (!args || args.peeringId === undefined) throw new Error(`PeeringAcceptance "${name}": "peeringId" is required`);
    if (args.allowedRequesterAccountIds === undefined) {
      throw new Error(
        `PeeringAcceptance "${name}": "allowedRequesterAccountIds" is required: list the accounts whose requests this stack may accept`,
      );
    }
    super(
      peeringAcceptanceProvider,
      name,
      {
        peeringId: args.peeringId,
        allowedRequesterAccountIds: args.allowedRequesterAccountIds,
        onDelete: args.onDelete,
        connection: secretConnection(args.connection),
        ownerRef: ownerRefFor("PeeringAcceptance", name),
        __refs: acceptanceRefs(args.peeringId),
        accountId: undefined,
        requesterAccountId: undefined,
        requesterVpcId: undefined,
        accepterVpcId: undefined,
        crossRegion: undefined,
        state: undefined,
        status: undefined,
      },
      withSecretConnection(opts),
      "peerlink",
      "PeeringAcceptance",
    );
    registerAcceptance(args.peeringId, [this.peeringId]);
  }
}
