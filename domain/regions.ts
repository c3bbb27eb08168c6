// The seeds' regions. mainlandChina decides cross-region pricing (seed 004 prices only mainland pairs).
import { ValidationError } from "./errors";

export type Region = { id: string; name: string; mainlandChina: boolean };

export const REGIONS: readonly Region[] = Object.freeze([
  { id: "ap-guangzhou", name: "Guangzhou", mainlandChina: true },
  { id: "ap-beijing", name: "Beijing", mainlandChina: true },
  { id: "ap-shanghai", name: "Shanghai", mainlandChina: true },
  { id: "ap-shanghai-fsi", name: "Shanghai Finance", mainlandChina: true },
  { id: "ap-shenzhen-fsi", name: "Shenzhen Finance", mainlandChina: true },
  { id: "ap-hongkong", name: "Hong Kong", mainlandChina: false },
  { id: "ap-singapore", name: "Singapore", mainlandChina: false },
  { id: "na-toronto", name: "Toronto", mainlandChina: false },
]);

export const REGION_IDS: readonly string[] = REGIONS.map((r) => r.id);

export function findRegion(id: string): Region | undefined {
  return REGIONS.find((r) => r.id === id);
}

export function assertRegion(id: unknown, field = "region"): Region {
  const region = typeof id === "string" ? findRegion(id) : undefined;
  if (!region) {
    throw new ValidationError(`"${field}" value ${JSON.stringify(String(id).slice(0, 64))} is not a known region; use one of ${REGION_IDS.join(", ")}`, {
      field,
      allowed: [...REGION_IDS],
    });
  }
  return region;
}
