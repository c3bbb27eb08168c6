import { ValidationError } from "./errors";

export type QuotaName =
  | "peeringsPerVpc"
  | "vpcsPerRegion"
  | "pendingRequestsPerAccount"
  | "routesPerTable"
  | "crossRegionBandwidthMbps"
  | "subnetsPerVpc"
  | "routeTablesPerVpc";

export type Quotas = Record<QuotaName, number>;

export const DEFAULT_QUOTAS: Readonly<Quotas> = Object.freeze({
  peeringsPerVpc: 10, // live peerings (pending included) touching one VPC
  vpcsPerRegion: 50, // VPCs one account has in one region
  pendingRequestsPerAccount: 25, // cross-account requests an account initiated that await acceptance
  routesPerTable: 200, // peering routes in one table (the Local route does not count)
  crossRegionBandwidthMbps: 1000, // bandwidth cap of one cross-region peering
  // The seeds give no figure for these two; the values are those of the clouds' usual defaults.
  subnetsPerVpc: 200, // subnets in one VPC
  routeTablesPerVpc: 10, // route tables in one VPC, the main one included
});

export const QUOTA_NAMES = Object.keys(DEFAULT_QUOTAS) as QuotaName[];

export function isQuotaName(name: string): name is QuotaName {
  return (QUOTA_NAMES as string[]).includes(name);
}

function checkValue(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(`quota "${name}" must be a whole number >= 0, got ${JSON.stringify(value)}`, {
      quota: name,
    });
  }
  return value;
}

/** Parses "peeringsPerVpc=3,routesPerTable=10" (also accepts an array of "name=value" items). */
export function parseQuotaOverrides(text: string | string[] | undefined): Partial<Quotas> {
  const items = (Array.isArray(text) ? text : (text ?? "").split(","))
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const out: Partial<Quotas> = {};
  for (const item of items) {
    const eq = item.indexOf("=");
    const name = eq < 0 ? item : item.slice(0, eq).trim();
    const raw = eq < 0 ? "" : item.slice(eq + 1).trim();
    if (!isQuotaName(name)) {
      throw new ValidationError(`unknown quota "${name}"; use one of ${QUOTA_NAMES.join(", ")}`, { quota: name });
    }
    out[name] = checkValue(name, /^\d+$/.test(raw) ? Number(raw) : raw);
  }
  return out;
}

/** Defaults with overrides applied; rejects unknown names and bad values. */
export function resolveQuotas(overrides: Partial<Quotas> = {}): Quotas {
  const q: Quotas = { ...DEFAULT_QUOTAS };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!isQuotaName(name)) {
      throw new ValidationError(`unknown quota "${name}"; use one of ${QUOTA_NAMES.join(", ")}`, { quota: name });
    }
    q[name] = checkValue(name, value);
  }
  return q;
}
