// Where a provider call gets its endpoint and API key. Read at call time, never captured:
//   1. the resource's own `connection` input (per field),
//   2. stack config `peerlink:endpoint` / `peerlink:apiKey`, delivered to the dynamic provider's configure(),
//   3. the environment: PEERLINK_ENDPOINT / PEERLINK_API_KEY.
// This module runs in the dynamic-provider process; it must not import @pulumi/pulumi at run time.
import type { ConnectionInputs } from "./types";

export const CONFIG_ENDPOINT = "peerlink:endpoint";
export const CONFIG_API_KEY = "peerlink:apiKey";
export const ENV_ENDPOINT = "PEERLINK_ENDPOINT";
export const ENV_API_KEY = "PEERLINK_API_KEY";

export interface ResolvedConnection {
  endpoint: string;
  apiKey: string;
}

/** Anything with a `get(key)`, like the dynamic provider's ConfigureRequest.config. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

let configured: ConnectionInputs = {};

/** Called from each provider's configure(); the values live only in this process's memory. */
export function configureFrom(config: ConfigSource | undefined): void {
  const get = (key: string): string | undefined => {
    const v = config?.get(key);
    return typeof v === "string" && v.length > 0 ? v : undefined;
  };
  configured = { endpoint: get(CONFIG_ENDPOINT), apiKey: get(CONFIG_API_KEY) };
}

/** For tests: forget what configure() stored. */
export function resetConfiguration(): void {
  configured = {};
}

/** Thrown when no endpoint or key can be found; says where to set them. Never contains a key. */
export class ConnectionConfigError extends Error {
  readonly code = "ConnectionNotConfigured";
  constructor(message: string) {
    super(message);
    this.name = "ConnectionConfigError";
  }
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** Effective connection: the resource's own fields, then stack config, then the environment. */
export function resolveConnection(explicit?: ConnectionInputs | null): ResolvedConnection {
  const endpoint = nonEmpty(explicit?.endpoint) ?? configured.endpoint ?? nonEmpty(process.env[ENV_ENDPOINT]);
  const apiKey = nonEmpty(explicit?.apiKey) ?? configured.apiKey ?? nonEmpty(process.env[ENV_API_KEY]);
  if (!endpoint) {
    throw new ConnectionConfigError(
      `no Peerlink endpoint configured: run \`pulumi config set ${CONFIG_ENDPOINT} http://127.0.0.1:8787\`, ` +
        `set ${ENV_ENDPOINT}, or pass connection.endpoint to the resource`,
    );
  }
  if (!apiKey) {
    throw new ConnectionConfigError(
      `no Peerlink API key configured for ${endpoint}: run \`pulumi config set --secret ${CONFIG_API_KEY} <key>\`, ` +
        `set ${ENV_API_KEY}, or pass connection.apiKey to the resource`,
    );
  }
  return { endpoint: endpoint.replace(/\/+$/, ""), apiKey };
}
