// Program-side handling of the per-resource `connection` input.
import * as pulumi from "@pulumi/pulumi";

/**
 * Which control plane and account a resource acts for. Each field falls back, at call time, to stack
 * config (`peerlink:endpoint`, `peerlink:apiKey`) and then to PEERLINK_ENDPOINT / PEERLINK_API_KEY.
 * Pass one per resource to act for two accounts in one program.
 */
export interface Connection {
  /** Control-plane URL, e.g. "http://127.0.0.1:8787". Default: peerlink:endpoint, then PEERLINK_ENDPOINT. */
  endpoint?: pulumi.Input<string>;
  /** API key of the account to act for. Always stored as a secret. Default: peerlink:apiKey, then PEERLINK_API_KEY. */
  apiKey?: pulumi.Input<string>;
}

/** The connection as a secret input (the key must never be stored in plaintext), or undefined. */
export function secretConnection(c: pulumi.Input<Connection> | undefined): pulumi.Output<{ endpoint?: string; apiKey?: string }> | undefined {
  if (c === undefined || c === null) return undefined;
  return pulumi.secret(
    pulumi.output(c).apply((v) => {
      const out: { endpoint?: string; apiKey?: string } = {};
      if (v?.endpoint !== undefined && v.endpoint !== null) out.endpoint = v.endpoint;
      if (v?.apiKey !== undefined && v.apiKey !== null) out.apiKey = v.apiKey;
      return out;
    }),
  );
}

/** Options every Peerlink resource adds: the output carrying connection data is secret. */
export function withSecretConnection(opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  return pulumi.mergeOptions(opts, { additionalSecretOutputs: ["connection"] });
}
