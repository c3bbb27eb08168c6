import crypto from "node:crypto";

export type IdPrefix = "acc" | "vpc" | "rtb" | "pcx" | "rt" | "subnet" | "vbr";

export function newId(prefix: IdPrefix): string {
  return `${prefix}-${crypto.randomBytes(6).toString("hex")}`;
}

export function newApiKey(): string {
  return `plk_${crypto.randomBytes(20).toString("hex")}`;
}

/** API keys are stored as sha256 hex only. */
export function hashApiKey(apiKey: string): string {
  return crypto.createHash("sha256").update(apiKey, "utf8").digest("hex");
}

/** Stable hash of a request (sorted keys) for idempotency comparison. */
export function requestHash(value: unknown): string {
  return crypto.createHash("sha256").update(stableStringify(value), "utf8").digest("hex");
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(",")}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(",")}}`;
}
