// ReachabilityAssertion: intent written into the program ("spoke-1 reaches the hub", "no spoke reaches
// another"). It creates nothing on the control plane. `pulumi preview` evaluates it over the projected
// world and fails when the planned topology breaks it, naming the hop; `up` checks it again against the
// control plane after every other Peerlink resource of the program; refresh re-evaluates it, so drift
// that breaks it makes `preview --expect-no-changes` fail (output `holds` false, an update to re-check).
import * as pulumi from "@pulumi/pulumi";
import type { Connection } from "./connection";
import { assertionRefs, topologySettled } from "./planning";
import { type OutputsOf, PeerlinkResource, requireArgs } from "./resource";
import type { ReachabilityAssertionInputs, ReachabilityAssertionOutputs, ReachabilityExpectation } from "./types";

export interface ReachabilityAssertionArgs {
  /**
   * Where traffic starts: a Vpc's `vpcId` (its main route table and whole block), a Subnet's `subnetId`
   * (its own table and block), a BorderRouter's `borderRouterId` (its on-premises space), or an IPv4
   * address inside one of these of the account. Required.
   */
  source: pulumi.Input<string>;
  /** Where it goes: a `vpcId`, `subnetId`, `borderRouterId` or an IPv4 address (the routes decide whose). Required. */
  destination: pulumi.Input<string>;
  /** "reachable": the path must work both ways; "unreachable": it must not. Required. */
  expect: pulumi.Input<ReachabilityExpectation>;
  /** Endpoint and API key of the source's account. Default: stack config, then the environment. */
  connection?: pulumi.Input<Connection>;
}

export class ReachabilityAssertion
  extends PeerlinkResource<ReachabilityAssertionInputs, ReachabilityAssertionOutputs, "assertionId">
  implements OutputsOf<ReachabilityAssertionOutputs>
{
  /** "reach-" + 12 hex, derived from the resource's identity; the same as `id`. */
  declare readonly assertionId: pulumi.Output<string>;
  declare readonly source: pulumi.Output<string>;
  declare readonly destination: pulumi.Output<string>;
  declare readonly expect: pulumi.Output<ReachabilityExpectation>;
  /** The answer matched `expect` when last checked (up or refresh). */
  declare readonly holds: pulumi.Output<boolean>;
  /** "reachable", "unreachable" or "undetermined". */
  declare readonly status: pulumi.Output<string>;
  /** One line: the path both ways, or the broken hop and what to change. */
  declare readonly answer: pulumi.Output<string>;
  /** The broken hop's code (e.g. "NoReturnRoute"); "" when reachable. */
  declare readonly brokenHop: pulumi.Output<string>;
  /** The account that asked. */
  declare readonly accountId: pulumi.Output<string>;

  constructor(name: string, args: ReachabilityAssertionArgs, opts?: pulumi.CustomResourceOptions) {
    requireArgs("ReachabilityAssertion", name, args, ["source", "destination", "expect"]);
    // Checked after everything else the program declares, whatever it names as its ends.
    const dependsOn = [...(opts?.dependsOn ? [opts.dependsOn] : []), topologySettled()] as pulumi.Input<pulumi.Resource>[];
    super(
      "ReachabilityAssertion",
      name,
      args.connection,
      {
        source: args.source,
        destination: args.destination,
        expect: args.expect,
        // An assertion is evaluated, not stored on the control plane: there is nothing to adopt.
        importId: undefined,
        __refs: assertionRefs(args),
        holds: undefined,
        status: undefined,
        answer: undefined,
        brokenHop: undefined,
        accountId: undefined,
      },
      { ...opts, dependsOn },
    );
    this.assertionId = this.id;
  }
}
