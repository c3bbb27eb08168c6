// The base of every Peerlink resource class (program process). It adds what every resource sends its
// provider (the connection as a secret, the ownerRef identity) and the type token, and links the public
// class to the provider's Inputs and Outputs through the compiler:
//  - ProviderProps: the constructor must pass every provider input, and name every other output as
//    undefined (unknown until the provider sets it);
//  - OutputsOf: the outputs a class declares must have the provider's output types.
import * as pulumi from "@pulumi/pulumi";
import { type Connection, secretConnection, withSecretConnection } from "./connection";
import { ownerRefFor, registerDeclared, registerTopology } from "./planning";
import { PROVIDERS, type ResourceKind } from "./providers";
import type { CommonInputs, CommonOutputs } from "./types";

/** A provider value as a program may give it: each level may be an Input. */
type Lifted<T> = [T] extends [(infer E)[]]
  ? pulumi.Input<Lifted<E>[]>
  : [T] extends [Record<string, unknown>]
    ? pulumi.Input<{ [K in keyof T]: Lifted<T[K]> }>
    : pulumi.Input<T>;

/** What the base fills in for every resource (each class passes `importId` itself, from its args). */
type KitInputs = "connection" | "ownerRef";

/** `IdAlias`: outputs the class sets to its `id` instead (known while the engine previews an update). */
export type ProviderProps<I extends CommonInputs, O extends CommonOutputs, IdAlias extends keyof O = never> = {
  [K in Exclude<keyof I, KitInputs>]-?: Lifted<NonNullable<I[K]>> | undefined;
} & {
  [K in Exclude<keyof O, keyof I | IdAlias>]-?: undefined;
};

/** The outputs a resource class declares, typed as the provider sets them. */
export type OutputsOf<O extends CommonOutputs> = { readonly [K in Exclude<keyof O, KitInputs>]-?: pulumi.Output<O[K]> };

/** Inputs no class declares as an output (each is read only by the provider). */
const ONLY_INPUTS = ["connection", "importId"] as const;

export abstract class PeerlinkResource<I extends CommonInputs, O extends CommonOutputs, IdAlias extends keyof O = never> extends pulumi.dynamic.Resource {
  protected constructor(
    kind: ResourceKind,
    name: string,
    connection: pulumi.Input<Connection> | undefined,
    props: ProviderProps<I, O, IdAlias>,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const ownerRef = ownerRefFor(kind, name);
    registerDeclared(ownerRef);
    const inputs: Record<string, unknown> = { ...props, connection: secretConnection(connection), ownerRef };
    // Inputs that are not outputs are left out when not given: the engine never sees an undefined input,
    // and the SDK spends four debug promises (each with a stack trace) on every property it is given.
    for (const k of ONLY_INPUTS) if (inputs[k] === undefined) delete inputs[k];
    // The SDK gives every property four debug promises, each with a stack trace that source-map-support
    // maps frame by frame: most of a program's CPU per resource. Those traces only ever show in promise-leak
    // reports (PULUMI_DEBUG_PROMISE_LEAKS, which keeps them), and the resource's own source position is
    // taken with its own limit. So they are taken without frames while the SDK registers the resource.
    const limit = Error.stackTraceLimit;
    if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
    try {
      super(PROVIDERS[kind], name, inputs, withSecretConnection(opts), "peerlink", kind);
    } catch (e) {
      Error.stackTraceLimit = limit;
      // An error the SDK throws here (a bad option) still shows where the resource was declared.
      if (e instanceof Error) Error.captureStackTrace(e, PeerlinkResource);
      throw e;
    } finally {
      Error.stackTraceLimit = limit;
    }
    // Assertions are checked after everything else the program declares (provider/reachability-assertion.ts).
    if (kind !== "ReachabilityAssertion") registerTopology(this);
  }
}

/** Throws the error a user sees when a required argument is missing. */
export function requireArgs<A extends object>(kind: ResourceKind, name: string, args: A | undefined, keys: (keyof A & string)[]): asserts args is A {
  for (const k of keys) {
    if (!args || args[k] === undefined) throw new Error(`${kind} "${name}": "${k}" is required`);
  }
}
